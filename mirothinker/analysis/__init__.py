"""Statistics, fits, plots, the published numbers, the simulator of error compounding, drift measurements and indicators.\n\nOnly `fits`, `plots` and `published` load scipy or matplotlib, and only when used.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('stats', 'simulator', 'drift', 'indicators', 'fits', 'plots', 'published'))
