__version__ = "0.0.1"

from .trajectory import *
from .formats import *
from .parsing import *
from .tools import *
from .models import *
from .agent import *
from .tasks import *
from .synthweb import *
# Imported on their own: `mirothinker.scaling` and `mirothinker.reproduce` (studies, fits, plots: they load matplotlib and scipy),
# `mirothinker.drift`, `mirothinker.simulator` and `mirothinker.indicators` (error compounding and drift), `mirothinker.widgets` (Jupyter widgets).
