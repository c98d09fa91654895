"""A small MCP server for tests: `add`, `echo`, `fail` (raises), `slow` (sleeps) and `pid`.

Run over stdio: `python tests/mcp_echo_server.py`."""
import os, time
from mcp.server.mcpserver import MCPServer

mcp = MCPServer("echo-server")

@mcp.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b

@mcp.tool()
def echo(text: str) -> str:
    """Return the text unchanged."""
    return text

@mcp.tool()
def fail(message: str = "kaboom") -> str:
    """Raise an error with the message."""
    raise RuntimeError(message)

@mcp.tool()
def slow(seconds: float) -> str:
    """Sleep for some seconds, then answer."""
    time.sleep(seconds)
    return f"slept {seconds}"

@mcp.tool()
def pid() -> int:
    """The server's process id."""
    return os.getpid()

if __name__ == "__main__":
    mcp.run()
