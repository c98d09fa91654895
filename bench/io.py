"""Benchmark: load many trajectories into the `steps` DataFrame from Parquet and from JSONL,
beside a plain `json.loads` + `pandas.DataFrame` baseline, in the same run.

    python bench/io.py                  # 10,000 trajectories x 100 steps, writes bench/results.md
    python bench/io.py --n 200 --no-write   # a quick check
"""
import argparse, json, os, platform, random, shutil, statistics, sys, tempfile, time
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from mirothinker.record.schema import Trajectory
from mirothinker.record.table import TrajectorySet
from mirothinker.record.files import write_jsonl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_section

TOOLS = [("tool-searching", "google_search"), ("tool-searching", "scrape_website"), ("tool-python", "run_python_code")]

def make(n: int, steps: int, seed: int = 0):
    "Yield `n` synthetic trajectories of `steps` steps with realistic field sizes."
    rnd = random.Random(seed)
    for i in range(n):
        ss = []
        for j in range(steps):
            server, tool = TOOLS[rnd.randrange(3)]
            last = j == steps - 1
            ss.append({"index": j, "text": f"Step {j}: thinking about query {rnd.random():.6f} " * 3,
                       "thought": f"thinking {j}", "tokens_in": 1000 + 150 * j, "tokens_out": rnd.randint(20, 400),
                       "latency": rnd.random() * 3, "answer": "42" if last else None,
                       "tool_call": None if last else {"tool": tool, "server": server, "arguments": {"q": f"query {i}-{j}"}, "dialect": "mcp_xml"},
                       "observation": None if last else {"content": f"result {j} " * 20, "duration": rnd.random(), "error": None if rnd.random() > 0.05 else "timeout"},
                       "hidden": list(range(max(0, j - 10), max(0, j - 5)))})
        yield Trajectory.model_validate({"id": f"run-{i}", "task": {"id": f"task-{i % 500}", "question": "What is the answer?", "reference": "42"},
                                         "model": {"name": "bench-model", "backend": "none", "sampling": {"temperature": 1.0}},
                                         "policy": {"budget": 600, "keep_k": 5}, "steps": ss,
                                         "outcome": {"status": "success", "answer": "42", "verdict": "CORRECT"}})

def timed(fn, repeat=1):
    "Best wall time of `repeat` runs of `fn`, and its last result."
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter(); out = fn(); best = min(best, time.perf_counter() - t0)
    return best, out

def baseline(path: Path) -> pd.DataFrame:
    "Plain baseline: json.loads every line of the JSONL file and build a DataFrame of the step records."
    with open(path, encoding="utf-8") as f: recs = [json.loads(l) for l in f]
    return pd.DataFrame([r for r in recs if r.get("type") == "step"])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="trajectories")
    ap.add_argument("--steps", type=int, default=100, help="steps per trajectory")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing (best is reported)")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mirothinker-bench-"))
    try:
        t0 = time.perf_counter()
        trajs = list(tqdm(make(a.n, a.steps), total=a.n, desc="generating", disable=a.n < 1000))
        ts = TrajectorySet.from_trajectories(trajs)
        pq_path, jl_path = ts.to_parquet(work / "set.parquet"), write_jsonl(trajs, work / "set.jsonl")
        del trajs
        gen = time.perf_counter() - t0
        n_steps = a.n * a.steps
        t_pq, df_pq = timed(lambda: TrajectorySet.read_parquet(pq_path).steps, a.repeat)
        t_base, df_base = timed(lambda: baseline(jl_path), a.repeat)
        t_jl, df_jl = timed(lambda: TrajectorySet.read_jsonl(jl_path).steps, 1)
        assert len(df_pq) == len(df_jl) == len(df_base) == n_steps, (len(df_pq), len(df_jl), len(df_base))
        rows = [("Parquet -> steps DataFrame (mirothinker)", t_pq), ("JSONL -> steps DataFrame (mirothinker, validated)", t_jl),
                ("baseline: json.loads + pandas.DataFrame", t_base)]
        ratio = t_base / t_pq
        lines = [f"## I/O: {a.n:,} trajectories x {a.steps} steps = {n_steps:,} steps",
                 "", f"Command: `python bench/io.py --n {a.n} --steps {a.steps} --repeat {a.repeat}`; "
                 f"machine: {os.cpu_count()} cores, Python {platform.python_version()}; "
                 f"files: Parquet {pq_path.stat().st_size/1e6:.1f} MB, JSONL {jl_path.stat().st_size/1e6:.1f} MB; generation took {gen:.1f} s.",
                 "", "| load | seconds | steps/s |", "|---|---:|---:|"]
        lines += [f"| {name} | {t:.2f} | {n_steps/t:,.0f} |" for name, t in rows]
        lines += ["", f"Parquet is **{ratio:.1f}x** faster than the baseline (goal: at least 5x, and under 2 s for 1,000,000 steps).",
                  "", "Best of the repeats for Parquet and the baseline; the validated JSONL load runs once. "
                  "The baseline leaves tool calls and observations as nested dicts; the mirothinker loads flatten them into columns."]
        text = "\n".join(lines)
        print(text)
        if not a.no_write: write_section("io", text)
        return {"parquet": t_pq, "jsonl": t_jl, "baseline": t_base, "ratio": ratio}
    finally: shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__": main()
