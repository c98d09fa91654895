"""The trajectory record: the schema every part meets at, the text a model wrote, JSONL files written step by step, and the Arrow-backed `TrajectorySet`.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('schema', 'text', 'files', 'table'))
