"Tasks with known interaction depth, their toolsets, answers and scorers, benchmark files, and synthweb."
from .answers import *
from .suites import *
from .benchmarks import *
from .scorers import *
from .synthweb import *
