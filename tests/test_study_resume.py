"""A study process killed with SIGKILL mid-run resumes: no finished run is lost or done again, cut-off runs continue
from their last recorded step, and the results come out as if nothing had happened.

The study is the synthweb oracle over budgets 0..8 (its accuracy in each cell is known from the tasks alone); the oracle
is slowed down a little so that the kill lands in the middle of runs."""
import os, signal, subprocess, sys, textwrap, time
from pathlib import Path

import numpy as np

from mirothinker.tasks.synthweb import synthweb_tasks
from mirothinker.studies.solvers import OracleModel
from mirothinker.record.files import read_jsonl
from mirothinker.studies.study import Study

SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from mirothinker.tasks.synthweb import synthweb_tasks
    from mirothinker.studies.solvers import OracleModel
    from mirothinker.studies.study import Study

    class SlowOracle(OracleModel):
        def generate(self, messages, tools=None, **sampling):
            time.sleep(0.03)
            return super().generate(messages, tools, **sampling)

    tasks = [t for t in synthweb_tasks() if t.metadata["hops"] <= 4][:12]
    Study(Path(sys.argv[1]), tasks, {"oracle": SlowOracle(tasks)}, budgets=(0, 1, 2, 4, 8)).run(progress=False, workers=int(sys.argv[2]))
""")

BUDGETS = (0, 1, 2, 4, 8)


def tasks():
    return [t for t in synthweb_tasks() if t.metadata["hops"] <= 4][:12]


def _kill_midway(folder: Path, workers: int, runs_before_kill: int):
    p = subprocess.Popen([sys.executable, "-c", SCRIPT, str(folder), str(workers)])
    deadline = time.time() + 120
    while time.time() < deadline and len(list(folder.glob("runs/*/*.jsonl"))) < runs_before_kill: time.sleep(0.02)
    p.send_signal(signal.SIGKILL); p.wait()
    return len(list(folder.glob("runs/*/*.jsonl")))


def _check_complete(folder: Path):
    ts = tasks()
    study = Study(folder, ts, {"oracle": OracleModel(ts)}, budgets=BUDGETS)
    res = study.run(progress=False)
    files = sorted(folder.glob("runs/*/*.jsonl"))
    assert len(files) == len(BUDGETS) * len(ts) == len(res)
    for f in files:
        runs = read_jsonl(f)
        assert len(runs) == 1, f"{f}: {len(runs)} runs"                       # no run started twice
        idx = [s.index for s in runs[0].steps]
        assert idx == list(range(len(idx))), f"{f}: step indices {idx}"        # resumed runs continue, nothing repeated
        o = runs[0].outcome
        assert o.verdict is not None and o.reason                            # scored: the judge's verdict and reason
        assert o.status == "success" or o.end_reason, f"{f}: {o.status} without the loop's reason"   # kept through scoring
    hops = np.array([t.metadata["hops"] for t in ts])
    cells = study.metrics(by=["cell.budget"])
    assert [round(a, 6) for a in cells["avg"]] == [round(float(np.mean(hops <= b)), 6) for b in BUDGETS]


def test_killed_study_resumes(tmp_path):
    folder = tmp_path / "study"
    n = _kill_midway(folder, workers=1, runs_before_kill=20)
    assert 0 < n < len(BUDGETS) * 12, f"the kill came too late or too early ({n} run files)"
    _check_complete(folder)


def test_killed_concurrent_study_resumes(tmp_path):
    folder = tmp_path / "study"
    n = _kill_midway(folder, workers=4, runs_before_kill=25)
    assert 0 < n < len(BUDGETS) * 12
    _check_complete(folder)
