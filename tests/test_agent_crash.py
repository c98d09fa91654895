"""Kill a running agent with SIGKILL at random points, 20 times, resuming each time: every file loads, no step is lost or
duplicated, and the resumed run ends exactly as an uninterrupted run of the same script does."""
import os, random, signal, subprocess, sys, textwrap, time
from pathlib import Path

from mirothinker.record.files import read_jsonl

N_CALLS = 150

CHILD = textwrap.dedent(f"""
    import sys, time
    from pathlib import Path
    from mirothinker.loop.agent import Agent
    from mirothinker.models.base import ScriptedModel
    from mirothinker.loop.parsing import format_call
    from mirothinker.tools.base import tool

    @tool(server="kv")
    def lookup(key: str):  # the key to look up
        "The value stored under a key."
        time.sleep(0.01)
        return str(sum(map(ord, key)) % 97)

    def script(msgs):
        # the next reply depends only on the messages, like a real model's: one lookup per result so far, then the answer
        n = sum(m["role"] == "user" for m in msgs) - 1
        if n < {N_CALLS}: return f"<think>key {{n}}</think>\\n" + format_call("lookup", {{"key": f"k{{n}}"}}, "kv")
        return "\\\\boxed{{" + str(sum(sum(map(ord, f"k{{i}}")) % 97 for i in range({N_CALLS}))) + "}}"

    path = Path(sys.argv[1])
    agent = Agent(ScriptedModel([], default=script), [lookup], keep_k=5)
    print("ready", flush=True)
    if path.exists(): agent.resume(path)
    else: agent.run("Sum the values of k0 to k{N_CALLS - 1}.", path=path, run_id="crash")
""")


def _strip(steps):
    "What must match between runs: everything but timings."
    out = []
    for s in steps:
        d = s.model_dump()
        d.pop("latency")
        if d["observation"]: d["observation"].pop("duration")
        out.append(d)
    return out


def test_sigkill_and_resume(tmp_path):
    child = tmp_path / "child.py"; child.write_text(CHILD)
    path = tmp_path / "run.jsonl"
    rng = random.Random(1234)
    counts = []
    for i in range(20):
        p = subprocess.Popen([sys.executable, str(child), str(path)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.12))
        p.send_signal(signal.SIGKILL); p.wait()
        if not path.exists(): counts.append(0); continue
        runs = read_jsonl(path)                      # every killed file loads
        assert [t.id for t in runs] == ["crash"]
        idx = [s.index for s in runs[0].steps]
        assert idx == list(range(len(idx))), idx     # no step duplicated or skipped
        assert len(idx) >= (counts[-1] if counts else 0)   # no step lost
        counts.append(len(idx))
    assert counts[-1] > counts[0], counts             # the kills landed while the run made progress
    assert counts[-1] <= N_CALLS, counts              # ... and every one of them before the run could finish
    r = subprocess.run([sys.executable, str(child), str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    done = read_jsonl(path)[0]

    ref_path = tmp_path / "ref.jsonl"
    r = subprocess.run([sys.executable, str(child), str(ref_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ref = read_jsonl(ref_path)[0]
    assert done.outcome.status == ref.outcome.status == "success"
    assert done.outcome.answer == ref.outcome.answer
    assert len(done.steps) == N_CALLS + 1
    assert _strip(done.steps) == _strip(ref.steps)
    print("steps recorded after each kill:", counts)
