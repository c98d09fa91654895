"""Widgets and offline pages to step through, compare and follow runs.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('payload', 'alignment', 'viewer', 'browser', 'export', 'compare'))
