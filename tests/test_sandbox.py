"""The Python sandbox: isolation (no network, no writes outside the workspace), limits, sessions, the refusal without bubblewrap,
and the attacks that once got through (issue 14), each tried for real:

- a session's capture file swapped for a symbolic link to a host file (the host read the file into the observation);
- the parent's environment read from /proc/1/environ (bubblewrap itself held it);
- the file tools raced by code swapping a workspace folder for a link (thousands of calls);
- code running as host root through the user namespace's uid map (/etc/shadow readable);
- a fork bomb, and several children whose memory only together passes the limit, and memory hidden in /tmp and /dev/shm;
- a double-forked process outliving the wall time;
- without bubblewrap: code that kills the agent, with the tool still promising no network;
- a print flood that killed a session with only "exit code 120".

Isolation tests need a working bubblewrap; where it is missing they are skipped and say why."""
import ctypes, json, os, secrets, signal, subprocess, sys, textwrap, threading, time, warnings
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


@pytest.fixture
def secret_file(tmp_path):
    "A host file outside the workspace, holding a token that must never reach an observation."
    token = "TOKEN-" + secrets.token_hex(8)
    f = tmp_path / "host-secret.txt"; f.write_text(token + "\n"); f.chmod(0o644)
    return f, token


@needs_bwrap
def test_isolated_when_bwrap_works(sb):
    assert sb.isolated and sb.mode == "bwrap"
    o = sb.run("print('ok')")
    assert (o.content, o.error, o.sandbox) == ("ok\n", None, "bwrap")


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
    targets = ["/etc/mt-evil", "/usr/mt-evil", "/mt-evil", "/dev/mt-evil", str(outside / "evil"), str(sb.workspace.root.parent / "evil"),
               "/workspace/../evil"]
    code = ("import json\nres = {}\nfor p in %r:\n    try: open(p, 'w').write('x'); res[p] = 'written'\n"
            "    except OSError as e: res[p] = e.strerror\nprint(json.dumps(res))") % targets
    o = sb.run(code)
    assert o.error is None, o.content
    res = json.loads(o.content)
    assert "written" not in res.values(), res
    assert res["/etc/mt-evil"] == res["/usr/mt-evil"] == res["/mt-evil"] == res["/dev/mt-evil"] == "Read-only file system"
    for p in ("/etc/mt-evil", "/usr/mt-evil", "/mt-evil", outside / "evil", sb.workspace.root.parent / "evil"):
        assert not Path(p).exists()
    o = sb.shell(f"touch /etc/mt-evil2; touch {outside}/evil2")
    assert o.error == "exit code 1" and "Read-only file system" in o.content
    assert not Path("/etc/mt-evil2").exists() and not (outside / "evil2").exists()


@needs_bwrap
def test_home_is_not_visible(sb):
    o = sb.run("import os\nprint(sorted(os.listdir('/')))\nprint(os.path.exists('/home'), os.getcwd())")
    assert "'workspace'" in o.content and o.content.strip().endswith("False /workspace")


@needs_bwrap
def test_code_runs_as_an_unprivileged_host_user(sb):
    "Attack: the uid map `1000 0 1` made the code host root: /etc/shadow (root, 0640) was readable inside."
    o = sb.run("import json, os\nr = {'status': open('/proc/self/status').read()}\n"
               "try: r['shadow'] = len(open('/etc/shadow').read())\nexcept OSError as e: r['shadow'] = e.strerror\n"
               "open('mine.txt', 'w').write('x')\nprint(json.dumps(r))")
    assert o.error is None, o.content
    r = json.loads(o.content)
    assert r["shadow"] == "Permission denied", r
    assert "CapEff:\t0000000000000000" in r["status"] and "NoNewPrivs:\t1" in r["status"]
    host = (sb.workspace.root / "mine.txt").stat().st_uid       # who the code is on the host: the owner of what it writes
    assert host != 0 and host == (os.geteuid() if os.geteuid() else sb.uid), host


@needs_bwrap
def test_parent_environment_does_not_leak(sb, monkeypatch):
    "Attack: /proc/1/environ inside (bubblewrap itself) held the parent's variables, e.g. an OPENAI_API_KEY."
    key = "sk-" + secrets.token_hex(12)
    monkeypatch.setenv("OPENAI_API_KEY", key)
    code = ("import glob\nfound = []\nfor f in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):\n"
            "    try: found.append(open(f, 'rb').read().decode('utf-8', 'replace'))\n    except OSError: pass\n"
            "print(len(found)); print('\\n'.join(found))")
    o = sb.run(code)
    assert o.error is None and int(o.content.split()[0]) >= 2, o.content   # it did read some of them
    assert key not in o.content and "OPENAI_API_KEY" not in o.content
    with sb.session() as s:
        o = s.run(code)
        assert o.error is None and key not in o.content and "OPENAI_API_KEY" not in o.content


@needs_bwrap
def test_capture_file_swapped_for_a_link_is_not_read(sb, secret_file):
    "Attack: code replaced the session's capture file (in a host folder bound inside) with a link; the host read the link's target."
    f, token = secret_file
    attack = textwrap.dedent(f"""
        import glob, os, time
        for p in ['/tmp/.mirothinker/output'] + glob.glob('/tmp/*/output') + glob.glob('/tmp/.mirothinker*/*'):
            try: os.remove(p)
            except OSError: pass
            try: os.symlink({str(f)!r}, p)
            except OSError: pass
        print('swapped', flush=True)
        """)
    with sb.session() as s:
        o = s.run(attack + "while True: time.sleep(0.1)", timeout=2)              # the host reads the output after a timeout
        assert o.error.startswith("timed out") and token not in o.content, o.content
        o = s.run(attack + "os._exit(3)")                                          # ... and after a death
        assert "died" in o.error and token not in o.content and token not in o.error, (o.content, o.error)
        o = s.run(attack + "print('done')")                                       # ... and after a normal end
        assert token not in o.content
        rd, _, _ = workspace_tools(sb.workspace)
        s.run(f"import os\nos.symlink({str(f)!r}, 'leak.txt')")
        assert token not in str(rd({"path": "leak.txt"}))


@needs_bwrap
def test_file_tools_race_with_code_swapping_a_folder(sb, secret_file):
    "Attack: code in a live session swaps a workspace folder for a link to a host folder while read_file / write_file run."
    f, token = secret_file
    outside = f.parent
    rd, wr, ls = workspace_tools(sb.workspace)
    swapper = textwrap.dedent(f"""
        import ctypes, os, random, time
        os.makedirs('d', exist_ok=True); open('d/host-secret.txt', 'w').write('inside')
        if not os.path.islink('link'): os.symlink({str(outside)!r}, 'link')
        exchange, t0, n = ctypes.CDLL(None, use_errno=True).renameat2, time.time(), 0
        open('started', 'w').close()
        while not os.path.exists('stop') and time.time() - t0 < 60:
            exchange(-100, b'd', -100, b'link', 2); n += 1   # RENAME_EXCHANGE: 'd' is a folder, then a link, then a folder...
            time.sleep(random.choice((0, 0, 0.00005, 0.0002)))   # phases of many lengths, to meet any check-then-open window
        open('swaps', 'w').write(str(n))
        """)
    with sb.session() as s:
        s.run(f"import subprocess, sys\np = subprocess.Popen([sys.executable, '-c', {swapper!r}])")
        deadline = time.time() + 20
        while not (sb.workspace.root / "started").exists() and time.time() < deadline: time.sleep(0.05)
        reads, writes = {}, {}
        for i in range(2000):
            r = rd({"path": "d/host-secret.txt"}); k = r.content if r.error is None else r.error.split(": ")[-1]
            reads[k] = reads.get(k, 0) + 1
            w = wr({"path": f"d/w{i % 10}.txt", "content": "from the tool"}); k = "written" if w.error is None else w.error.split(": ")[-1]
            writes[k] = writes.get(k, 0) + 1
            ls({"path": "d"})
        wr({"path": "stop", "content": ""})
        s.run("p.wait()")
    print("reads:", reads, "writes:", writes, "swaps:", (sb.workspace.root / "swaps").read_text())
    assert sum(v for k, v in reads.items() if token in k) == 0, reads
    assert not list(outside.glob("w*.txt")), "a write landed outside the workspace"
    assert int((sb.workspace.root / "swaps").read_text()) > 1000 and reads.get("inside", 0) > 0   # the race really ran
    # (the code before issue 14 read the host file 36-71 times in 2,000 reads here, and wrote outside, in each of 6 runs)


def test_fifo_in_the_workspace_does_not_hang_the_tools(sb):
    rd, wr, _ = workspace_tools(sb.workspace)
    os.mkfifo(sb.workspace.root / "out.txt")
    t0 = time.monotonic()
    assert rd({"path": "out.txt"}).error.endswith("it is not a regular file")
    assert wr({"path": "out.txt", "content": "x"}).error.endswith("it is not a regular file")
    assert time.monotonic() - t0 < 2


def test_writes_inside_workspace_work(sb):
    o = sb.run("import os\nos.makedirs('out', exist_ok=True)\nopen('out/a.txt', 'w').write('from python')")
    assert o.error is None, o.content
    o = sb.shell("echo from shell > out/b.txt && ls out")
    assert o.error is None and o.content.endswith("a.txt\nb.txt\n")
    assert (sb.workspace.root / "out/a.txt").read_text() == "from python"
    assert (sb.workspace.root / "out/b.txt").read_text() == "from shell\n"
    rd, wr, ls = workspace_tools(sb.workspace)
    assert rd({"path": "out/a.txt"}).content == "from python"
    assert ls({"path": "out"}).content == "out/a.txt\nout/b.txt"
    assert wr({"path": "new/c.txt", "content": "from the tool"}).error is None   # and the code can change what the tools wrote
    o = sb.shell("echo changed >> new/c.txt && touch new/d.txt && cat new/c.txt")
    assert (o.error, o.content) == (None, "from the toolchanged\n")


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


@needs_bwrap
def test_double_forked_process_dies_with_the_run(sb):
    "Attack: a double-forked process in a new session (so not in the run's process group) outlived the wall time."
    code = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(1.5); open('late.txt', 'w').write('alive')\n"
            "        os._exit(0)\n    os._exit(0)\ntime.sleep(30)")
    e = sb.run(code, timeout=1).error
    assert e.startswith("timed out"), e
    with sb.session() as s:
        e = s.run(code, timeout=1).error
        assert e.startswith("timed out"), e
    time.sleep(2.5)                            # a survivor forked before the kill would have written by now
    assert not (sb.workspace.root / "late.txt").exists()


def test_memory_limit_stops_huge_allocation(sb):
    o = sb.run("x = bytearray(4 * 2**30)\nprint('allocated')")
    assert o.error == "MemoryError (exit code 1); the memory limit is 512 MB"
    assert "allocated" not in o.content
    with sb.session() as s:
        o = s.run("x = bytearray(4 * 2**30)")
        assert o.error == "MemoryError; the memory limit is 512 MB"
        assert s.run("y = 2 + 2\ny").content == "4\n"  # the session survives a MemoryError


CHILDREN = ("import subprocess, sys\ncode = 'x = bytearray({mb} * 2**20); x[::4096] = b\"x\" * len(x[::4096]); "
            "print(\"allocated\", flush=True); import time; time.sleep(20)'\n"
            "ps = [subprocess.Popen([sys.executable, '-c', code]) for _ in range(3)]\n[p.wait() for p in ps]")


@needs_bwrap
def test_total_memory_of_a_run_is_capped(tmp_path):
    "Attack: three children of 700 MB each, each under the 1,024 MB per-process limit, 2.1 GB together."
    sb = Sandbox(Workspace(tmp_path), timeout=30)   # the default limit: 1,024 MB
    t0 = time.monotonic()
    o = sb.run(CHILDREN.format(mb=700))
    print(o.error, f"({time.monotonic() - t0:.1f} s)")
    assert o.content.count("allocated") < 3, o.content
    assert o.error.startswith("killed: the run's processes together used") and o.error.endswith("over the limit of 1024 MB for the whole run")
    peak = float(o.error.split("used ")[1].split(" MB")[0])
    assert 1024 < peak < 1024 + 700, peak   # caught while growing, before the third child was done
    with sb.session() as s:                    # a session: the watch kills the worker, and the next call says why
        o = s.run(CHILDREN.format(mb=700))
        assert "died (the run's processes together used" in o.error, o.error
        assert s.run("1 + 1").content.endswith("2\n")


def test_forked_workers_sharing_memory_are_not_killed(tmp_path):
    "No false alarm: 5 processes that share 300 MB after a fork hold 300 MB, not 1.5 GB (their Rss sum)."
    sb = Sandbox(Workspace(tmp_path), timeout=30, memory_mb=1024)
    o = sb.run("import os, time\nx = bytearray(300 * 2**20); x[::4096] = b'x' * len(x[::4096])\npids = []\n"
               "for _ in range(4):\n    pid = os.fork()\n    if pid == 0: time.sleep(1.5); os._exit(0)\n    pids.append(pid)\n"
               "for p in pids: os.waitpid(p, 0)\nprint('done')")
    assert (o.content, o.error) == ("done\n", None), o.error


@needs_bwrap
def test_memory_in_tmp_and_dev_shm_is_capped(tmp_path):
    "Attack: files in the in-memory /tmp and /dev/shm hold RAM that no process limit counts."
    sb = Sandbox(Workspace(tmp_path), timeout=30, memory_mb=256)
    code = ("import os\nfor d in ('/tmp', '/dev/shm'):\n    for i in range(2):\n        try:\n"
            "            with open(f'{d}/fill{i}', 'wb') as f:\n                for _ in range(200): f.write(b'x' * 2**20)\n"
            "            print('wrote', d, i, flush=True)\n        except OSError as e: print(d, i, e.strerror, flush=True)")
    o = sb.run(code)
    print(o.content, o.error)
    assert o.content.count("wrote") < 2, o.content   # not even 400 MB of the 800 MB tried
    assert "No space left on device" in o.content or (o.error or "").startswith("killed: the run's processes together used")


@needs_bwrap
def test_fork_bomb_stops_at_the_process_limit(tmp_path):
    "Attack: 300 processes started in 0.6 s."
    sb = Sandbox(Workspace(tmp_path), timeout=20)   # the default limit: 128 processes
    o = sb.run("import os, time\nn = 0\ntry:\n    for i in range(300):\n        if os.fork() == 0: time.sleep(10); os._exit(0)\n"
               "        n += 1\nfinally: print('started', n, flush=True)")
    started = int(o.content.split("started ")[1].split()[0])
    assert started < 128 and o.error.endswith("at most 128 processes may run at once"), (o.content, o.error)
    t0 = time.monotonic()                         # a shell fork bomb ends at the wall time, with everything it started
    bomb = Sandbox(Workspace(tmp_path), timeout=3, max_processes=64)
    o = bomb.shell("b() { b | b & }; b; sleep 30")
    assert o.error.startswith("timed out after 3 s") and time.monotonic() - t0 < 8, o.error
    if bomb.uid is not None:                      # under root the sandbox's user is its own: none of its processes is left
        time.sleep(0.5)
        left = [p for p in Path("/proc").glob("[0-9]*") if _uid_of(p) == bomb.uid]
        assert left == [], left


def _uid_of(proc: Path) -> int | None:
    try: return int((proc / "status").read_text().split("Uid:")[1].split()[0])
    except (OSError, IndexError, ValueError): return None


def test_print_flood_says_why(tmp_path):
    "Attack: a print flood (700 MB) ended the session with 'session died (exit code 120)' and no reason; here 20 MB under 8 MB."
    sb = Sandbox(Workspace(tmp_path), timeout=30, file_mb=8)
    with sb.session() as s:
        s.run("keep = 'me'")
        o = s.run("print('x' * (20 * 2**20))")
        assert o.error == "OSError: [Errno 27] File too large; the file-size limit is 8 MB (output included)", o.error
        assert o.truncated and s.run("keep").content == "'me'\n"
        o = s.run("import os\nos.system('yes | head -c 20000000')\nprint('after')")    # a child program's flood fills it too
        assert o.error.endswith("File too large; the file-size limit is 8 MB (output included)") and o.truncated
        assert s.run("keep").content == "'me'\n"
        o = s.run("import os\nn = os.write(1, b'y' * 9 * 2**20)\nos._exit(120)")       # a worker that dies after filling the file
        assert o.error.startswith("the Python session died (exit code 120: its output filled the capture file up to the file-size limit of 8 MB)"), o.error
    o = sb.run("print('x' * (20 * 2**20))")                   # a stateless run streams its output: cut, not failed
    assert o.error is None and o.truncated


def test_output_is_truncated_with_mark(tmp_path):
    sb = Sandbox(Workspace(tmp_path), timeout=10, max_output=1000)
    o = sb.run("import sys\nfor i in range(100000): print('line', i)")
    assert o.truncated and o.error is None
    assert o.content.endswith(TRUNCATION_MARK) and len(o.content) == 1000 + len(TRUNCATION_MARK)
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


@needs_bwrap
def test_unisolated_only_when_asked_and_the_output_is_the_same(tmp_path, sb):
    "The observation a model sees does not change with the isolation; the mode is in the `sandbox` field and a warning."
    with pytest.warns(UserWarning, match="WITHOUT isolation"):
        plain = Sandbox(Workspace(tmp_path / "plain"), timeout=10, memory_mb=512, isolation="none")
    assert plain.mode == "none" and not plain.isolated
    code = "import os\nopen('f.txt', 'w').write('x')\nprint(sorted(os.listdir('.')), 6 * 7)\n1 / 0"
    a, b = plain.run(code), sb.run(code)
    assert (a.content, a.error) == (b.content, b.error) == ("['f.txt'] 42\n" + a.content.split("\n", 1)[1], "ZeroDivisionError: division by zero (exit code 1)")
    assert (a.sandbox, b.sandbox) == ("none", "bwrap")
    assert plain.run("while True: pass", timeout=1).error.startswith("timed out after 1 s")
    assert plain.run("x = bytearray(4 * 2**30)").error.startswith("MemoryError")
    with plain.session() as s, sb.session() as t:
        for c in ("v = 5", "v * 2", "print('out'); import sys; sys.exit(4)"):
            x, y = s.run(c), t.run(c)
            assert (x.content, x.error, x.truncated) == (y.content, y.error, y.truncated) and x.sandbox == "none"


def test_isolation_argument_is_checked(tmp_path, monkeypatch):
    with pytest.raises(SandboxError, match="isolation must be"): Sandbox(tmp_path, isolation="docker")
    if not OK:
        with pytest.raises(SandboxError, match="bubblewrap is required"): Sandbox(tmp_path, isolation="bwrap")
    monkeypatch.setenv("MIROTHINKER_SANDBOX", "none")                  # the opt-in by environment
    with pytest.warns(UserWarning, match="WITHOUT isolation"): assert Sandbox(tmp_path).mode == "none"
    monkeypatch.setenv("MIROTHINKER_SANDBOX", "chroot")
    with pytest.raises(SandboxError, match="isolation must be"): Sandbox(tmp_path)


def _no_bwrap_env(tmp_path, **extra) -> dict:
    "An environment whose PATH has bash and prlimit but no bubblewrap: a machine without the Debian package."
    bin_ = tmp_path / "bin"; bin_.mkdir(exist_ok=True)
    for tool in ("bash", "prlimit", "sh"):
        if not (bin_ / tool).exists(): (bin_ / tool).symlink_to(subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip())
    env = {k: v for k, v in os.environ.items() if k != "MIROTHINKER_SANDBOX"}
    return {**env, "PATH": str(bin_), **extra}


WITHOUT_BWRAP = """
import json, os, sys, warnings
from mirothinker.tools.sandbox import Sandbox, SandboxError, bwrap_status
from mirothinker.tools.python import PythonTools
print("status", json.dumps(bwrap_status()), flush=True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    sb = Sandbox(timeout=5)
print("mode", getattr(sb, "mode", "unknown"), "warned", len(w), flush=True)
attacks = ["import os, signal; os.kill(os.getppid(), signal.SIGKILL)",
           "print(open(f'/proc/{os.getppid()}/environ').read())",
           "import os, time\\nif os.fork() == 0:\\n    os.setsid()\\n    if os.fork() == 0: time.sleep(2); open('late.txt', 'w').write('x')\\n    os._exit(0)"]
for code in attacks:
    try: print("ran", sb.run(code).content, flush=True)
    except SandboxError as e: print("refused", str(e)[:80], flush=True)
pt = PythonTools(sb)
print("tool", json.dumps(pt.tools[1]({"code_block": attacks[0]}).error), flush=True)
print("description", json.dumps(pt.tools[0].description), flush=True)
print("survived", flush=True)
"""


def test_without_bwrap_code_is_refused(tmp_path):
    "Attack: without bubblewrap the code ran unisolated, killed the agent with os.kill(os.getppid(), 9), left a double-forked process."
    work = tmp_path / "work"; work.mkdir()
    p = subprocess.run([sys.executable, "-c", WITHOUT_BWRAP], env=_no_bwrap_env(tmp_path, SECRET_OF_THE_AGENT="s3cr3t"),
                       capture_output=True, text=True, timeout=60, cwd=work)
    print(p.stdout, p.stderr)
    assert p.returncode == 0 and p.stdout.rstrip().endswith("survived"), (p.returncode, p.stdout, p.stderr)
    lines = p.stdout.splitlines()
    assert lines[0] == 'status [false, "bwrap is not installed (Debian package `bubblewrap`)"]'
    assert lines[1] == "mode refused warned 1"
    assert [l.split()[0] for l in lines[2:5]] == ["refused"] * 3 and "s3cr3t" not in p.stdout
    assert json.loads(lines[5].removeprefix("tool ")).startswith("SandboxError: model-written code is not run without isolation")
    time.sleep(2.5)
    assert not list(tmp_path.rglob("late.txt"))


def test_without_bwrap_the_opt_in_runs_unisolated_and_says_so(tmp_path):
    env = _no_bwrap_env(tmp_path, MIROTHINKER_SANDBOX="none")
    code = ("from mirothinker.tools.python import PythonTools\nimport json\npt = PythonTools()\n"
            "print(json.dumps([pt.sandbox.mode, pt.tools[0].description, pt.tools[1]({'code_block': 'print(6 * 7)'}).content]))")
    p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    mode, description, out = json.loads(p.stdout)
    assert (mode, out) == ("none", "42\n")
    assert "NOT isolated" in description and "network" not in description
    assert "WITHOUT isolation" in p.stderr   # the warning


def test_status_command_says_what_to_do(tmp_path):
    p = subprocess.run([sys.executable, "-m", "mirothinker.tools.sandbox"], env=_no_bwrap_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert "bwrap is not installed (Debian package `bubblewrap`)" in p.stdout and "sudo apt-get install bubblewrap" in p.stdout
    assert "MIROTHINKER_SANDBOX=none" in p.stdout
    p = subprocess.run([sys.executable, "-m", "mirothinker.tools.sandbox"], env=_no_bwrap_env(tmp_path, MIROTHINKER_SANDBOX="none"),
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "WITHOUT isolation" in p.stdout
    if OK:
        p = subprocess.run([sys.executable, "-m", "mirothinker.tools.sandbox"], capture_output=True, text=True, timeout=60)
        assert p.returncode == 0 and "runs isolated" in p.stdout


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
