"""Two processes running the same study folder at once: each run is claimed by one of them, so no file is spliced, no
run starts twice, no step index repeats, and both end with the whole grid done and scored.

The study is the synthweb oracle over budgets 0..8 (each cell's accuracy is known from the tasks alone), slowed down a
little so that the two processes overlap for the whole study; each process counts the runs it started (the oracle's
first turn of a conversation) and prints that count."""
import json, subprocess, sys, textwrap
from pathlib import Path

import numpy as np

from mirothinker.record.files import read_jsonl
from mirothinker.studies.solvers import OracleModel
from mirothinker.studies.study import Study
from mirothinker.tasks.synthweb import synthweb_tasks

SCRIPT = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from mirothinker.tasks.synthweb import synthweb_tasks
    from mirothinker.studies.solvers import OracleModel
    from mirothinker.studies.study import Study

    starts = 0
    class SlowOracle(OracleModel):
        def generate(self, messages, tools=None, **sampling):
            global starts
            if not any(m["role"] == "assistant" for m in messages): starts += 1
            time.sleep(0.02)
            return super().generate(messages, tools, **sampling)

    tasks = [t for t in synthweb_tasks() if t.metadata["hops"] <= 4][:12]
    Study(Path(sys.argv[1]), tasks, {"oracle": SlowOracle(tasks)}, budgets=(0, 1, 2, 4, 8)).run(progress=False, workers=int(sys.argv[2]))
    print(json.dumps({"starts": starts}))
""")
BUDGETS = (0, 1, 2, 4, 8)


def tasks():
    return [t for t in synthweb_tasks() if t.metadata["hops"] <= 4][:12]


def _both(folder: Path, workers: int) -> list[int]:
    "Start two study processes on `folder` at once; the runs each one started."
    ps = [subprocess.Popen([sys.executable, "-c", SCRIPT, str(folder), str(workers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in ps]
    for p, (out, err) in zip(ps, outs):
        assert p.returncode == 0, err[-3000:]
    return [json.loads(out.strip().splitlines()[-1])["starts"] for out, _ in outs]


def _check(folder: Path, starts: list[int]):
    ts = tasks()
    plan = len(BUDGETS) * len(ts)
    files = sorted(folder.glob("runs/*/*.jsonl"))
    assert len(files) == plan and not list(folder.glob("runs/*/*.broken"))
    for f in files:
        runs = read_jsonl(f)
        assert len(runs) == 1, f"{f}: {len(runs)} runs"                              # no run started twice in a file
        idx = [s.index for s in runs[0].steps]
        assert idx == list(range(len(idx))), f"{f}: step indices {idx}"               # no step written twice
        assert runs[0].outcome.verdict is not None, f"{f}: not scored"
        text = f.read_text()
        assert text.count('"type": "trajectory"') == 1 and text.count('"type": "outcome"') == 2, f"{f}: spliced"
    assert sum(starts) == plan, f"runs started by the two processes: {starts} (the plan has {plan})"
    study = Study(folder, ts, {"oracle": OracleModel(ts)}, budgets=BUDGETS)
    assert study.pending() == []
    hops = np.array([t.metadata["hops"] for t in ts])
    cells = study.metrics(by=["cell.budget"])
    assert [round(a, 6) for a in cells["avg"]] == [round(float(np.mean(hops <= b)), 6) for b in BUDGETS]


def test_two_processes_one_folder(tmp_path):
    starts = _both(tmp_path / "study", workers=1)
    assert all(s > 0 for s in starts), f"one process did all the runs: {starts}; they did not overlap"
    _check(tmp_path / "study", starts)


def test_two_processes_with_threads_one_folder(tmp_path):
    starts = _both(tmp_path / "study", workers=3)
    assert all(s > 0 for s in starts), f"one process did all the runs: {starts}; they did not overlap"
    _check(tmp_path / "study", starts)


def test_a_file_two_writers_left_is_done_again(tmp_path):
    "A run file that two unguarded writers left (steps written twice, or a run spliced after itself) is not taken as done,"
    " even with a verdict as its last line: the next run() sets it aside as .broken and does the run again."
    ts = tasks()[:4]
    folder = tmp_path / "study"
    study = Study(folder, ts, {"oracle": OracleModel(ts)}, budgets=(2,))
    first = study.run(progress=False)["correct"].tolist()
    (c, t, s), (c2, t2, s2) = study.plan()[1], study.plan()[2]
    twice, spliced = study.run_path(c, t, s), study.run_path(c2, t2, s2)
    verdicts = {f: read_jsonl(f)[0].outcome.verdict for f in (twice, spliced)}
    lines = twice.read_text().splitlines(keepends=True)
    assert len(lines) >= 4 and json.loads(lines[-1])["verdict"] == verdicts[twice]
    twice.write_text("".join(lines[:2] + lines[1:]))                       # step 0 twice, then the rest and the verdict
    spliced.write_text(spliced.read_text() * 2)                            # the whole run again after itself
    again = Study(folder, ts, {"oracle": OracleModel(ts)}, budgets=(2,))
    assert sorted(again.pending(), key=str) == sorted([(c, t, s), (c2, t2, s2)], key=str)
    again.run(progress=False)
    for f in (twice, spliced):
        assert f.with_suffix(".broken").exists()
        runs = read_jsonl(f)
        assert len(runs) == 1 and [x.index for x in runs[0].steps] == list(range(len(runs[0].steps)))
        assert runs[0].outcome.verdict == verdicts[f]
    assert again.results()["correct"].tolist() == first
