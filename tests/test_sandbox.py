"""The Python sandbox: isolation (no network, no writes outside the workspace), limits, sessions, the fallback.

Isolation tests need a working bubblewrap; where it is missing they are skipped and say why."""
import threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from mirothinker.record.schema import TRUNCATION_MARK
from mirothinker.tools.python import PythonTools
from mirothinker.tools.sandbox import Sandbox, SandboxError, bwrap_status
from mirothinker.tools.workspace import Workspace, workspace_tools

OK, WHY = bwrap_status()
needs_bwrap = pytest.mark.skipif(not OK, reason=f"bubblewrap unusable here: {WHY}")


@pytest.fixture
def sb(tmp_path):
    return Sandbox(Workspace(tmp_path / "ws"), timeout=10, memory_mb=512)


@pytest.fixture
def http_server():
    hits = []
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_GET(self):
            hits.append(self.path); self.send_response(200); self.end_headers(); self.wfile.write(b"secret")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv.server_address[1], hits
    srv.shutdown(); srv.server_close()


@needs_bwrap
def test_isolated_when_bwrap_works(sb):
    assert sb.isolated and sb.note is None
    o = sb.run("print('ok')")
    assert (o.content, o.error) == ("ok\n", None)


@needs_bwrap
def test_refuses_network(sb, http_server):
    port, hits = http_server
    import urllib.request
    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/from-host", timeout=5).read() == b"secret"  # the server is real
    o = sb.run(f"import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{port}/from-sandbox', timeout=3).read()")
    assert o.error is not None and ("Connection refused" in o.content or "Network is unreachable" in o.content), o.content
    o = sb.run("import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=3)")
    assert "Network is unreachable" in o.content, o.content
    o = sb.shell(f"exec 3<>/dev/tcp/127.0.0.1/{port}")
    assert o.error is not None
    assert hits == ["/from-host"]


@needs_bwrap
def test_refuses_writes_outside_workspace(sb, tmp_path):
    outside = tmp_path / "outside"; outside.mkdir()
    targets = ["/etc/mt-evil", "/usr/mt-evil", "/mt-evil", str(outside / "evil"), str(sb.workspace.root.parent / "evil"), "/workspace/../evil"]
    code = ("import json\nres = {}\nfor p in %r:\n    try: open(p, 'w').write('x'); res[p] = 'written'\n"
            "    except OSError as e: res[p] = e.strerror\nprint(json.dumps(res))") % targets
    o = sb.run(code)
    assert o.error is None, o.content
    import json
    res = json.loads(o.content)
    assert "written" not in res.values(), res
    assert res["/etc/mt-evil"] == res["/usr/mt-evil"] == res["/mt-evil"] == "Read-only file system"
    for p in ("/etc/mt-evil", "/usr/mt-evil", "/mt-evil", outside / "evil", sb.workspace.root.parent / "evil"):
        assert not Path(p).exists()
    o = sb.shell(f"touch /etc/mt-evil2; touch {outside}/evil2")
    assert o.error == "exit code 1" and "Read-only file system" in o.content
    assert not Path("/etc/mt-evil2").exists() and not (outside / "evil2").exists()


@needs_bwrap
def test_home_is_not_visible(sb):
    o = sb.run("import os\nprint(sorted(os.listdir('/')))\nprint(os.path.exists('/home'), os.getcwd())")
    assert "'workspace'" in o.content and o.content.strip().endswith("False /workspace")


def test_writes_inside_workspace_work(sb):
    o = sb.run("import os\nos.makedirs('out', exist_ok=True)\nopen('out/a.txt', 'w').write('from python')")
    assert o.error is None, o.content
    o = sb.shell("echo from shell > out/b.txt && ls out")
    assert o.error is None and o.content.endswith("a.txt\nb.txt\n")
    assert (sb.workspace.root / "out/a.txt").read_text() == "from python"
    assert (sb.workspace.root / "out/b.txt").read_text() == "from shell\n"
    rd, _, ls = workspace_tools(sb.workspace)
    assert rd({"path": "out/a.txt"}).content == "from python"
    assert ls({"path": "out"}).content == "out/a.txt\nout/b.txt"


def test_wall_time_kills_a_loop(sb):
    t0 = time.monotonic()
    o = sb.run("print('before', flush=True)\nwhile True: pass", timeout=1)
    assert time.monotonic() - t0 < 5
    assert o.error == "timed out after 1 s (wall-time limit): the process was killed"
    assert "before" in o.content


def test_wall_time_kills_background_children(sb):
    t0 = time.monotonic()
    o = sb.shell("(sleep 30; touch late.txt) & sleep 30", timeout=1)
    assert o.error.startswith("timed out") and time.monotonic() - t0 < 5
    time.sleep(0.5)
    assert not (sb.workspace.root / "late.txt").exists()


def test_memory_limit_stops_huge_allocation(sb):
    o = sb.run("x = bytearray(4 * 2**30)\nprint('allocated')")
    assert o.error == "MemoryError (exit code 1); the memory limit is 512 MB"
    assert "allocated" not in o.content
    with sb.session() as s:
        o = s.run("x = bytearray(4 * 2**30)")
        assert o.error == "MemoryError; the memory limit is 512 MB"
        assert s.run("y = 2 + 2\ny").content == "4\n"  # the session survives a MemoryError


def test_output_is_truncated_with_mark(tmp_path):
    sb = Sandbox(Workspace(tmp_path), timeout=10, max_output=1000)
    o = sb.run("import sys\nfor i in range(100000): print('line', i)")
    assert o.truncated and o.error is None
    assert o.content.endswith(TRUNCATION_MARK) and len(o.content) == (len(sb.note) + 1 if sb.note else 0) + 1000 + len(TRUNCATION_MARK)
    with sb.session() as s:
        o = s.run("print('z' * 10**6)")
        assert o.truncated and o.content.endswith("z" * 10 + TRUNCATION_MARK)


def test_session_keeps_variables_and_restarts_after_timeout(sb):
    with sb.session() as s:
        assert s.run("import math\nxs = [1, 2, 3]").error is None
        assert s.run("xs.append(4)\nsum(xs)").content == "10\n"
        o = s.run("def f():\n    return 1 / 0\nf()")
        assert o.error == "ZeroDivisionError: division by zero" and 'File "<cell 3>", line 2, in f' in o.content
        assert s.run("len(xs)").content == "4\n"  # an exception does not lose state
        o = s.run("import time\nwhile True: time.sleep(0.05)", timeout=1)
        assert "the Python session was killed and its variables are lost" in o.error and not s.alive
        o = s.run("xs")
        assert o.content.startswith("[new session: the previous Python session was killed when a call ran past 1 s")
        assert o.error == "NameError: name 'xs' is not defined" and s.starts == 2
        o = s.run("import os\nos._exit(7)")
        assert o.error.startswith("the Python session died (exit code 7)")
        assert s.run("1 + 1").content.endswith("2\n")


def test_fallback_forced_works_and_says_so(tmp_path):
    sb = Sandbox(Workspace(tmp_path), timeout=10, memory_mb=512, isolation="none")
    assert not sb.isolated
    o = sb.run("import os\nopen('f.txt', 'w').write('x')\nprint(os.getcwd())")
    assert o.error is None
    assert o.content.startswith("[sandbox] bubblewrap is not in use (isolation='none' was asked for): this ran as a plain "
                                "subprocess with time, memory and output limits but WITHOUT network or file-system isolation.")
    assert o.content.endswith(f"{sb.workspace.root}\n") and (tmp_path / "f.txt").read_text() == "x"
    assert sb.run("while True: pass", timeout=1).error.startswith("timed out after 1 s")
    assert sb.run("x = bytearray(4 * 2**30)").error.startswith("MemoryError")
    with sb.session() as s:
        s.run("v = 5")
        o = s.run("v * 2")
        assert o.content.endswith("10\n") and o.content.startswith("[sandbox] bubblewrap is not in use")


def test_isolation_argument_is_checked(tmp_path):
    with pytest.raises(SandboxError, match="isolation must be"): Sandbox(tmp_path, isolation="docker")
    if not OK:
        with pytest.raises(SandboxError, match="bubblewrap is required"): Sandbox(tmp_path, isolation="bwrap")


def test_python_tools_upstream_names_and_bad_input(sb):
    with PythonTools(sb, max_sandboxes=2) as pt:
        create, run, cmd = pt.tools
        assert [(t.server, t.name) for t in pt.tools] == [("tool-python", "create_sandbox"), ("tool-python", "run_python_code"),
                                                          ("tool-python", "run_command")]
        # upstream requires sandbox_id; here it may be left out (the task's default sandbox), so small models work too
        assert run.schema["required"] == ["code_block"] and cmd.schema["required"] == ["command"]
        assert "sandbox_id" in run.schema["properties"] and "sandbox_id" in cmd.schema["properties"]
        sid = create({}).content.removeprefix("Sandbox created with sandbox_id: ")
        assert run({"code_block": "a = 1", "sandbox_id": sid}).error is None
        assert run({"code_block": "a + 1", "sandbox_id": sid}).content.endswith("2\n")
        assert cmd({"command": "echo $HOME; pwd", "sandbox_id": sid}).content.endswith("\n[exit code 0]")
        create({})
        assert create({}).error == "RuntimeError: at most 2 sandboxes may exist at once"
        for bad, msg in [({}, "missing required argument 'code_block'"),
                         ({"code_block": 3, "sandbox_id": sid}, "argument 'code_block' must be string, got integer ('3')"),
                         ({"code_block": "1", "sandbox_id": sid, "x": 1}, "unexpected argument 'x' (this tool takes: code_block, sandbox_id)"),
                         ({"code_block": "1", "sandbox_id": "zzz"}, "LookupError: no sandbox with sandbox_id 'zzz': create one with `create_sandbox` first"),
                         (None, "arguments must be a JSON object, got null")]:
            assert run(bad).error == msg


@needs_bwrap
def test_isolated_from_a_virtualenv_under_tmp(tmp_path):
    "CI machines often run from a virtualenv in /tmp; the sandbox's private /tmp must not hide that Python."
    import subprocess, sys
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    code = ("from mirothinker.tools import Sandbox, bwrap_status\n"
            "ok, why = bwrap_status(); print(ok, why)\n"
            "o = Sandbox(timeout=20).run('import sys; print(sys.prefix)')\n"
            "print(repr(o.content), o.error)")
    r = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.splitlines()[:2]
    assert first.startswith("True"), r.stdout
    assert second == f"'{venv}\\n' None", r.stdout
