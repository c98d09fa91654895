"Statistics, fits, plots, the published numbers, the simulator of error compounding, drift measurements and indicators."
from .stats import *
from .fits import *
from .plots import *
from .published import *
from .simulator import *
from .drift import *
from .indicators import *
