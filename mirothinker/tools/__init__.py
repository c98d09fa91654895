"""Tools an agent can call: function tools, a workspace, the bubblewrap Python sandbox, offline search and browse, web APIs, MCP servers.

Its modules, and their public names, are imported on first use."""
from .. import _lazy_subpackage

__getattr__, __dir__ = _lazy_subpackage(__name__, ('base', 'workspace', 'sandbox', 'python', 'search', 'web', 'mcp'))
