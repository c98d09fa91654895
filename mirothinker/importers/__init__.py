"""Traces other people recorded, read into trajectories (TaskLog, MiroFlow, MiroEval, OpenAI messages, Inspect AI logs, ATIF),
and trajectories written back (chat messages, Inspect AI `.eval` logs, ATIF).

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('messages', 'tasklog', 'miroeval', 'loading', 'export', 'inspect_ai_logs', 'atif'))
