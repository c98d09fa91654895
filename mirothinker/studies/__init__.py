"""Where the loop, models, tasks and analysis meet: scripted solvers, batched agents, the `Study` runner, drift experiments, `reproduce`.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('solvers', 'batching', 'study', 'experiments', 'reproduction'))
