"""Traces other people recorded, read into trajectories (TaskLog, MiroFlow, MiroEval, OpenAI), and trajectories written back as messages.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('messages', 'tasklog', 'miroeval', 'loading', 'export'))
