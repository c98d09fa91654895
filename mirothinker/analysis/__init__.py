"""Statistics, fits, plots, the published numbers, the simulator of error compounding, drift measurements and indicators.

The modules are imported on first use, so that `import mirothinker.analysis.drift` (or `.indicators`, `.simulator`, `.stats`)
loads neither matplotlib nor scipy: only `fits`, `plots` and `published` need them."""
import importlib

_MODULES = ("stats", "simulator", "drift", "indicators", "fits", "plots", "published")   # light ones first

def _module(name): return importlib.import_module(f"{__name__}.{name}")

def __getattr__(name):
    "A module of the subpackage, `__all__`, or a public name of one of its modules, imported on first use."
    if name in _MODULES: return _module(name)
    if name == "__all__": return [n for m in _MODULES for n in _module(m).__all__]
    for m in _MODULES:
        mod = _module(m)
        if name in mod.__all__: return getattr(mod, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def __dir__(): return sorted(set(globals()) | set(_MODULES))
