"""Studies on a real Ray cluster on this machine: a head and a second worker node, each its own `ray start` process on
loopback, started by this module and stopped at its end (`studies.ray_runner.LocalCluster`).

- the same grid gives the same runs on Ray (through `mirothinker study --ray`) as on the local runner: the embedded
  SmolLM2, greedy, step by step;
- a worker process killed (SIGKILL) mid-study loses no run and repeats none: Ray restarts it and the run it was doing
  resumes from its file;
- a driver killed mid-study, then started again against the same cluster, completes the study;
- many trajectories in flight from each worker against an OpenAI-compatible server (`serve_openai` of the embedded
  model, a child process on loopback; short running-total runs), bounded by `concurrency`.

The scripted synthweb oracle (slowed down a little, so that kills land mid-run) drives the fault tests: its accuracy in
every cell is known from the tasks alone."""
import faulthandler, json, os, shutil, signal, subprocess, sys, textwrap, threading, time
from pathlib import Path

import numpy as np
import pytest

try:
    import ray
except ImportError:                                   # pragma: no cover - the install script installs Ray
    pytest.skip("Ray cannot be imported (pip install ray): the Ray backend is not tested", allow_module_level=True)
import ray.cloudpickle

from mirothinker.models.embedded import EmbeddedModel
from mirothinker.models.remote import OpenAIModel
from mirothinker.record.files import read_jsonl
from mirothinker.studies.ray_runner import LocalCluster
from mirothinker.studies.solvers import OracleModel, embedded_agent_kwargs
from mirothinker.studies.study import Recipe, Study
from mirothinker.tasks.suites import lookup_chain, running_total
from mirothinker.tasks.synthweb import synthweb_tasks

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])    # the workers do not have tests/ on their path
BUDGETS = (0, 1, 2, 4)
LIMIT = 900                 # seconds for this whole module (about 3 minutes here, on 2 busy cores)


class SlowOracle(OracleModel):
    "The synthweb oracle, a little slower, noting the process it runs in (so that a test can kill that process)."
    def __init__(self, tasks, pids: str):
        super().__init__(tasks); self.pids = pids

    def generate(self, messages, tools=None, **sampling):
        Path(self.pids, str(os.getpid())).touch()
        time.sleep(0.05)
        return super().generate(messages, tools, **sampling)


def web():
    return [t for t in synthweb_tasks() if t.metadata["hops"] <= 4][:12]


@pytest.fixture(scope="module")
def cluster():
    faulthandler.dump_traceback_later(LIMIT, exit=True)      # bounded: a hung cluster ends the run with every thread's stack
    try:
        with LocalCluster(nodes=2, cpus=1) as c:
            yield c
    finally: faulthandler.cancel_dump_traceback_later()


def _check_oracle_study(folder: Path):
    "Every run of the oracle grid done once: one run per file, steps numbered in order, scored; the known accuracy."
    ts = web()
    files = sorted(folder.glob("runs/*/*.jsonl"))
    assert len(files) == len(ts) * len(BUDGETS) and not list(folder.glob("runs/*/*.broken"))
    for f in files:
        runs = read_jsonl(f)
        assert len(runs) == 1, f"{f}: {len(runs)} runs"
        idx = [s.index for s in runs[0].steps]
        assert idx == list(range(len(idx))), f"{f}: step indices {idx}"
        assert runs[0].outcome.verdict is not None
    study = Study(folder, ts, {"oracle": OracleModel(ts)}, budgets=BUDGETS)
    assert study.pending() == []
    hops = np.array([t.metadata["hops"] for t in ts])
    assert [round(a, 6) for a in study.metrics(by=["cell.budget"])["avg"]] == [round(float(np.mean(hops <= b)), 6) for b in BUDGETS]


def _steps(t):
    "What a run did, without its timings."
    return ([s.model_dump(exclude={"latency": True, "observation": {"duration"}}) for s in t.steps],
            t.outcome.status, t.outcome.answer, t.outcome.verdict)


def test_same_runs_as_the_local_runner(cluster, tmp_path):
    out = tmp_path / "on-ray"
    r = subprocess.run([shutil.which("mirothinker"), "study", "lookup_chain", "--tasks", "2", "--task-seed", "31", "--depth", "1",
                        "--budgets", "0", "1", "--model", "smollm2-135m", "--out", str(out), "--ray", cluster.address, "--no-progress"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    tasks = lookup_chain(2, length=1, seed=31)
    local = Study(tmp_path / "local", tasks, {"smollm2-135m": EmbeddedModel(threads=1)}, budgets=(0, 1), agent_kwargs=embedded_agent_kwargs)
    local.run(progress=False, workers=2)                   # two threads, each its clone of the model (as the two Ray workers)
    on_ray = Study(out, tasks, {"smollm2-135m": Recipe(EmbeddedModel)}, budgets=(0, 1), agent_kwargs=embedded_agent_kwargs)
    assert on_ray.pending() == []
    a, b = local.trajectories(), on_ray.trajectories()
    assert len(a) == len(b) == 4 and all(t.steps for t in a)
    assert [_steps(t) for t in a] == [_steps(t) for t in b]
    rows = json.loads((out / "results.json").read_text())
    res = local.results()
    assert [x["accuracy"] for x in rows] == [round(float(res[res["cell.budget"] == b]["correct"].mean()), 4) for b in (0, 1)]


def test_killed_worker_loses_and_repeats_no_run(cluster, tmp_path):
    folder, pids = tmp_path / "study", tmp_path / "pids"
    pids.mkdir()
    study = Study(folder, web(), {"oracle": SlowOracle(web(), str(pids))}, budgets=BUDGETS)
    killed = []
    def kill_one():
        while len(list(folder.glob("runs/*/*.jsonl"))) < 12: time.sleep(0.05)
        pid = int(sorted(pids.iterdir())[0].name)
        os.kill(pid, signal.SIGKILL); killed.append(pid)
    threading.Thread(target=kill_one, daemon=True).start()
    study.run(backend="ray", workers=2, progress=False)
    assert killed, "the kill did not happen"
    log = study.ray_log
    assert killed[0] in set(log["pid"]) and len(set(log["pid"])) == 3       # the killed process did runs; its restart did the rest
    assert len(log) == len(set(zip(log["cell"], log["task"]))) == 48         # each run reported once
    _check_oracle_study(folder)


DRIVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import ray
    from mirothinker.studies.solvers import OracleModel
    from mirothinker.studies.study import Study
    from mirothinker.tasks.synthweb import synthweb_tasks

    class SlowOracle(OracleModel):
        def generate(self, messages, tools=None, **sampling):
            time.sleep(0.05)
            return super().generate(messages, tools, **sampling)

    tasks = [t for t in synthweb_tasks() if t.metadata["hops"] <= 4][:12]
    Study(Path(sys.argv[1]), tasks, {"oracle": SlowOracle(tasks)}, budgets=(0, 1, 2, 4)).run(backend="ray", address=sys.argv[2], progress=False)
""")


def test_stopped_study_restarts_and_completes(cluster, tmp_path):
    folder = tmp_path / "study"
    p = subprocess.Popen([sys.executable, "-c", DRIVER, str(folder), cluster.address])
    deadline = time.time() + 300
    while time.time() < deadline and len(list(folder.glob("runs/*/*.jsonl"))) < 15: time.sleep(0.05)
    p.send_signal(signal.SIGKILL); p.wait()
    n = len(list(folder.glob("runs/*/*.jsonl")))
    assert 0 < n < 48, f"the driver was killed too early or too late ({n} run files)"
    ts = web()
    Study(folder, ts, {"oracle": OracleModel(ts)}, budgets=BUDGETS).run(backend="ray", progress=False)
    _check_oracle_study(folder)


SERVER = """
from mirothinker.models.embedded import EmbeddedModel
from mirothinker.models.remote import serve_openai
serve_openai(EmbeddedModel(), port=0, ready=lambda p: print(p, flush=True))
"""


SHORT = dict(system_prompt="You keep a running total.", sampling={"temperature": 0.0, "max_tokens": 12})   # short prompts, short replies


def test_many_runs_in_flight_against_an_openai_server(cluster, tmp_path):
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        port = server.stdout.readline().strip()
        assert port, "the server did not start"
        tasks = running_total(6, turns=2, seed=5)
        model = Recipe(OpenAIModel, f"http://127.0.0.1:{port}/v1", model="SmolLM2-135M-Instruct-Q4_1", retries=2)
        study = Study(tmp_path / "served", tasks, {"served": model}, budgets=(0,), agent_kwargs=SHORT)
        study.run(backend="ray", workers=2, concurrency=3, progress=False)
    finally:
        server.terminate(); server.wait(timeout=30)
    assert study.pending() == [] and len(study.trajectories()) == 6
    assert all(t.model.backend == "openai" and len(t.steps) >= 2 and t.steps[0].tokens_out for t in study.trajectories())
    log = study.ray_log
    assert log["most"].max() <= 3                                         # never more than `concurrency` runs in a worker
    overlap = []                                                          # the most runs in flight in one worker, from the times
    for _, g in log.groupby("pid"):
        edges = sorted([(s, 1) for s in g["started"]] + [(e, -1) for e in g["ended"]], key=lambda x: (x[0], x[1]))
        overlap.append(max(np.cumsum([d for _, d in edges])))
    assert 1 < max(overlap) <= 3, overlap
