"Tasks with known interaction depth, their toolsets, answers and scorers, benchmark files, and synthweb."
import importlib

from .answers import *
from .suites import *
from .benchmarks import *
from .scorers import *
from . import answers, suites, benchmarks, scorers

def _synthweb(): return importlib.import_module(f"{__name__}.synthweb")

def __getattr__(name):
    "synthweb's names (and `__all__`, which includes them), imported on first use: `python -m mirothinker.tasks.synthweb` then runs that module once."
    if name == "__all__": return [n for m in (answers, suites, benchmarks, scorers, _synthweb()) for n in m.__all__]
    if not name.startswith("__") and name in _synthweb().__all__: return getattr(_synthweb(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
