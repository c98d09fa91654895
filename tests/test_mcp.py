"""The MCP client against a real MCP server subprocess (`tests/mcp_echo_server.py`), over stdio."""
import os, sys, time
from pathlib import Path

import pytest
from mirothinker.tools.mcp import MCPClient, MCPError
from mirothinker.tools.base import Tool
from mirothinker.loop.runner import resolve_tool
from mirothinker.loop.prompts import tool_listing

SERVER = str(Path(__file__).with_name("mcp_echo_server.py"))


@pytest.fixture(scope="module")
def client():
    c = MCPClient(sys.executable, [SERVER], server="tool-echo", timeout=10)
    yield c
    c.close()


def tool(c, name): return resolve_tool(c.tools, name)


def test_lists_tools(client):
    assert [t.name for t in client.tools] == ["add", "echo", "fail", "slow", "pid"]
    assert all(isinstance(t, Tool) and t.server == "tool-echo" for t in client.tools)
    assert client.info.name == "echo-server"
    add = tool(client, "add")
    assert add.description == "Add two integers." and add.schema["required"] == ["a", "b"]
    assert "## Server name: tool-echo\n### Tool name: add\nDescription: Add two integers.\n" in tool_listing(client.tools)


def test_calls(client):
    assert tool(client, "add")({"a": 2, "b": 40}).content == "42"
    assert tool(client, "add")({"a": "2", "b": 40}).content == "42"  # lax, as the server's pydantic is
    o = tool(client, "echo")({"text": "héllo\nworld"})
    assert (o.content, o.error) == ("héllo\nworld", None) and o.duration > 0


def test_errors_become_observations(client):
    assert tool(client, "fail")({}).error == "Error executing tool fail"
    assert tool(client, "add")({"a": 1}).error == "missing required argument 'b'"
    assert tool(client, "add")({"a": 1, "b": "x"}).error == "argument 'b' must be integer, got string ('x')"
    assert tool(client, "echo")({"text": "x", "loud": True}).error == "unexpected argument 'loud' (this tool takes: text)"
    assert tool(client, "echo")("x").error == "arguments must be a JSON object, got string"
    o = client.call("no_such_tool", {})
    assert o.error and "no_such_tool" in o.error


def test_timeout_then_still_usable(client):
    t0 = time.monotonic()
    o = client.call("slow", {"seconds": 5}, timeout=1)
    assert time.monotonic() - t0 < 4
    assert o.error == "no answer from MCP server 'tool-echo' within 1 s"
    assert tool(client, "add")({"a": 1, "b": 1}).content == "2"


def test_close_stops_server_and_thread():
    c = MCPClient(sys.executable, [SERVER])
    assert c.server == "echo-server"
    pid = int(tool(c, "pid")({}).content)
    os.kill(pid, 0)  # alive
    c.close()
    assert not c.thread.is_alive() and c.loop.is_closed()
    for _ in range(50):
        try: os.kill(pid, 0)
        except ProcessLookupError: break
        time.sleep(0.1)
    else: pytest.fail(f"server process {pid} still running after close()")
    assert tool(c, "add")({"a": 1, "b": 2}).error == "MCP server 'echo-server' is not connected (closed, or it stopped)"
    c.close()  # twice is fine


def test_server_that_cannot_start():
    with pytest.raises(MCPError, match="did not start"):
        MCPClient(sys.executable, ["-c", "import sys; sys.stderr.write('broken server'); sys.exit(3)"], start_timeout=20)
