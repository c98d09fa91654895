"""A run killed mid-write loses at most the step in flight, and can be resumed.

A real child process writes steps with `TrajectoryWriter` and is killed with SIGKILL while it writes.
"""
import os, signal, subprocess, sys, textwrap, time, warnings
from pathlib import Path

from mirothinker.record.schema import Step
from mirothinker.record.files import TrajectoryWriter, read_jsonl

CHILD = textwrap.dedent("""
    import sys, time
    from mirothinker.record.files import *
    from mirothinker.record.schema import *
    from mirothinker.record.table import *
    path = sys.argv[1]
    w = TrajectoryWriter(path, Trajectory(id="run-k", task=Task(id="t", question="q"), policy=Policy(budget=600)))
    for i in range(10**6):
        w.step(Step(index=i, text="x" * 20000, tool_call=ToolCall(tool="python", arguments={"i": i}),
                    observation=Observation(content="y" * 20000)))
        if i == 50: print("ready", flush=True)
""")

def test_sigkill_loses_at_most_the_step_in_flight(tmp_path):
    path = tmp_path / "run.jsonl"
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    os.kill(p.pid, signal.SIGKILL); p.wait()
    assert p.returncode == -signal.SIGKILL
    raw = path.read_bytes()
    complete_lines = raw.count(b"\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t, = read_jsonl(path)
    assert len(t.steps) == complete_lines - 1 > 50          # every flushed step is there (header is line 1)
    assert [s.index for s in t.steps] == list(range(len(t.steps)))
    assert t.outcome.status == "incomplete"
    if not raw.endswith(b"\n"):                               # killed mid-line: the reader says where
        assert any(f"line {complete_lines + 1}" in str(w.message) for w in caught)

def test_resume_after_kill_appends_cleanly(tmp_path):
    path = tmp_path / "run.jsonl"
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready"
    os.kill(p.pid, signal.SIGKILL); p.wait()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = len(read_jsonl(path)[0].steps)
        w = TrajectoryWriter.resume(path)
    w.step(Step(index=n, text="resumed", answer="42"))
    w.finish()
    t, = read_jsonl(path)                                    # no warning, no glued line
    assert [s.index for s in t.steps] == list(range(n + 1))
    assert t.steps[-1].text == "resumed" and t.outcome.status == "incomplete"
    assert path.read_bytes().endswith(b"\n")
