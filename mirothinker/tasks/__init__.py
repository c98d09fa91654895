"""Tasks with known interaction depth, their toolsets, answers and scorers, benchmark files, and synthweb.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('answers', 'suites', 'benchmarks', 'scorers', 'synthweb'))
