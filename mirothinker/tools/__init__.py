"Tools an agent can call: function tools, a workspace, the bubblewrap Python sandbox, offline search and browse, web APIs, MCP servers."
from .base import *
from .workspace import *
from .sandbox import *
from .python import *
from .search import *
from .web import *
from .mcp import *
