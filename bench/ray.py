"""Benchmark: the same study grid on the local runner and on a local two-node Ray cluster (a head and a worker node,
each its own `ray start` process on loopback): per-run overhead and throughput side by side. The embedded model
(SmolLM2-135M, CPU, one torch thread per worker), greedy, `lookup_chain` tasks with the worked examples the embedded model
uses (`studies.solvers.embedded_agent_kwargs`).

Per-run overhead of Ray: for every run, the time from the driver sending it to the driver having its result, less the
time the run took inside the worker (`Study.ray_log`: `returned - sent - (ended - started)`); its mean over the runs,
against the mean time of a run on the local runner. One-off costs (starting the cluster, starting the workers, which
load the model) are reported apart.

    python bench/ray.py                      # 4 tasks x budgets 0 1 2: 12 runs each way; writes bench/results.md
    python bench/ray.py --quick --no-write   # 2 tasks x budget 1
"""
import argparse, importlib.util, os, platform, sys, tempfile, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]    # this file is ray.py: `import ray` must find Ray

from mirothinker.models.embedded import EmbeddedModel
from mirothinker.studies.ray_runner import LocalCluster
from mirothinker.studies.solvers import embedded_agent_kwargs
from mirothinker.studies.study import Recipe, Study
from mirothinker.tasks.suites import lookup_chain

_spec = importlib.util.spec_from_file_location("_results", HERE / "_results.py")
_results = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(_results)
command, write_section = _results.command, _results.write_section


def local(model, tasks, budgets, folder, workers):
    "The grid on the local runner with `workers` threads (each its clone of the model); (seconds, CPU seconds, the study)."
    st = Study(folder, tasks, {"smollm2-135m": model}, budgets=budgets, agent_kwargs=embedded_agent_kwargs)
    t0, c0 = time.perf_counter(), time.process_time()
    st.run(progress=False, workers=workers)
    return time.perf_counter() - t0, time.process_time() - c0, st


def on_ray(tasks, budgets, folder):
    "The grid on a local two-node cluster, one worker per node; (cluster start s, run s, the study with its `ray_log`)."
    t0 = time.perf_counter()
    with LocalCluster(nodes=2, cpus=1) as cluster:
        up = time.perf_counter() - t0
        st = Study(folder, tasks, {"smollm2-135m": Recipe(EmbeddedModel, threads=1)}, budgets=budgets, agent_kwargs=embedded_agent_kwargs)
        t0 = time.perf_counter()
        st.run(backend="ray", workers=2, progress=False)
        return up, time.perf_counter() - t0, st


def same_runs(a: Study, b: Study) -> int:
    "How many runs are the same step by step (timings aside) in both studies."
    key = lambda t: ([s.model_dump(exclude={"latency": True, "observation": {"duration"}}) for s in t.steps], t.outcome.answer)
    return sum(key(x) == key(y) for x, y in zip(a.trajectories(), b.trajectories()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=4, help="lookup_chain tasks (2 keys each)")
    ap.add_argument("--budgets", type=int, nargs="+", default=[0, 1, 2], help="tool-call budgets")
    ap.add_argument("--quick", action="store_true", help="2 tasks at budget 1: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.tasks, a.budgets = 2, [1]
    tasks, tmp = lookup_chain(a.tasks, length=2, seed=77), Path(tempfile.mkdtemp())
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter(); model = EmbeddedModel(threads=1); load_s = time.perf_counter() - t0
    loc_s, loc_cpu, loc = local(model, tasks, tuple(a.budgets), tmp / "local", 1)
    two_s, two_cpu, two = local(model, tasks, tuple(a.budgets), tmp / "local2", 2)
    up_s, ray_s, ray_st = on_ray(tasks, tuple(a.budgets), tmp / "ray")
    n, log = len(loc.plan()), ray_st.ray_log
    per_run = loc_s / n
    inside = (log["ended"] - log["started"]).mean()
    overhead = (log["returned"] - log["sent"] - (log["ended"] - log["started"])).mean()
    first = log["sent"].min()
    dispatch_s = log["returned"].max() - first
    ratio = overhead / per_run
    lines = ["## Studies on Ray: the local runner against a local two-node cluster", "",
             f"Command: `{command('ray.py', a.quick, f'--tasks {a.tasks} --budgets ' + ' '.join(map(str, a.budgets)))}`; machine: "
             f"{platform.machine()}, {os.cpu_count()} cores shared with other work (load average {load_before:.1f} at the start, "
             f"{os.getloadavg()[0]:.1f} at the end), Python {platform.python_version()}, Ray {__import__('ray').__version__}. "
             f"{n} runs: {a.tasks} `lookup_chain` tasks of 2 keys x budgets {', '.join(map(str, a.budgets))}; SmolLM2-135M (CPU, one torch "
             "thread per worker), greedy, the embedded model's worked examples. Local: one run at a time in this process. Ray: a head "
             "and a worker node (`ray start` processes, one CPU each), one study worker on each, one run at a time per worker. "
             "Two runs at a time on two cores slow each other down (and the machine is shared), so the local runner with two threads "
             "is there too.", "",
             "| | local runner, 1 thread | local runner, 2 threads | Ray, 2 nodes x 1 worker |", "|---|---:|---:|---:|",
             f"| one-off: start | model load {load_s:.1f} s | (the same model) | cluster {up_s:.1f} s; workers (model load) {ray_s - dispatch_s:.1f} s |",
             f"| wall time of the runs | {loc_s:.1f} s | {two_s:.1f} s | {dispatch_s:.1f} s |",
             f"| throughput | {n / loc_s:.3f} runs/s | {n / two_s:.3f} runs/s | {n / dispatch_s:.3f} runs/s |",
             f"| mean time of a run | {per_run:.2f} s (CPU {loc_cpu / n:.2f} s) | {2 * two_s / n:.2f} s | {inside:.2f} s inside a worker |",
             f"| Ray's overhead per run (sent to result, less the run) | | | {overhead * 1000:.1f} ms |", "",
             f"Runs the same step by step as the local runner (1 thread): {same_runs(loc, two)} of {n} with 2 threads, "
             f"{same_runs(loc, ray_st)} of {n} on Ray.", "",
             f"Goal: Ray's overhead per run at most 10% of a run's time on the embedded model (measured {100 * ratio:.2f}%): "
             f"**{'met' if ratio <= 0.10 else 'NOT met'}**. Starting the cluster and the workers is paid once per study (and the "
             "cluster once per session), not per run."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("ray", text)
    return {"overhead": overhead, "per_run": per_run, "ratio": ratio, "local_s": loc_s, "local2_s": two_s, "ray_s": dispatch_s, "n": n}


if __name__ == "__main__": main()
