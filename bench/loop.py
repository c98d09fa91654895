"""Benchmark: the agent loop's own cost per turn, with a zero-latency scripted model and a no-op tool, at 60 and 600
tool calls (retention K=5), beside a bare loop (generate, parse, call, append; no retention, flags or recording) in the same run.

    python bench/loop.py                 # 60 and 600 calls, best of 9, writes its section of bench/results.md
    python bench/loop.py --repeat 1 --no-write   # a quick check
"""
import argparse, platform, statistics, sys, tempfile, time
from pathlib import Path

from mirothinker.loop.agent import Agent
from mirothinker.loop.parsing import parse_mcp_calls
from mirothinker.models.base import ScriptedModel
from mirothinker.loop.parsing import format_call
from mirothinker.tools.base import FunctionTool

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_section

CALL = "<think>Next.</think>\n" + format_call("noop", {"x": 1}, "bench")

def noop(x: int = 0):  # ignored
    "Do nothing."
    return "ok"

TOOL = FunctionTool(noop, server="bench")

class _NoRecord(list):
    "Stands in for `ScriptedModel.seen`: a real model keeps no copy of every input, so the benchmark's model keeps none either."
    def append(self, x): pass

def scripted() -> ScriptedModel:
    "The zero-latency model: always the same call."
    m = ScriptedModel([], default=CALL, fill_tokens=False)
    m.seen = _NoRecord()
    return m

def agent_run(n: int, path=None) -> tuple[float, list[float]]:
    "Total seconds of a run of `n` tool calls (plus the final summary), and the seconds of each turn."
    stamps = []
    agent = Agent(scripted(), [TOOL], budget=n, keep_k=5, dedupe=(),
                  on_event=lambda e: stamps.append(time.perf_counter()))
    t0, c0 = time.perf_counter(), time.process_time()
    t = agent.run("Call the tool until the budget runs out.", path=path)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert t.n_calls == n and t.outcome.status == "budget_exhausted", (t.n_calls, t.outcome)
    return total, [b - a for a, b in zip(stamps[1:-2], stamps[2:-1])], cpu   # turns: step events only

def bare_run(n: int) -> tuple[float, list[float]]:
    "The baseline: the same turns with nothing but generate, parse, call and append."
    model, msgs, turns = scripted(), [{"role": "user", "content": "go"}], []
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        a = time.perf_counter()
        c = model.generate(list(msgs))
        call = parse_mcp_calls(c.text)[0]
        obs = TOOL(call.arguments)
        msgs += [{"role": "assistant", "content": c.text}, {"role": "user", "content": obs.content}]
        turns.append(time.perf_counter() - a)
    return time.perf_counter() - t0, turns, time.process_time() - c0

def best(fn, repeat):
    "The run with the smallest total of `repeat` runs."
    return min((fn() for _ in range(repeat)), key=lambda r: r[0])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=9, help="runs per setting; the fastest is kept")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mirothinker-bench-loop-"))
    res = {}
    for n in (60, 600):
        res[("agent", n)] = best(lambda: agent_run(n), a.repeat)
        res[("agent+jsonl", n)] = best(lambda: agent_run(n, work / f"run-{n}-{time.time_ns()}.jsonl"), a.repeat)
        res[("bare", n)] = best(lambda: bare_run(n), a.repeat)
    rows, out = [], {}
    for kind in ("agent", "agent+jsonl", "bare"):
        (t60, turns60, c60), (t600, turns600, c600) = res[(kind, 60)], res[(kind, 600)]
        med60, med600 = statistics.median(turns60) * 1e3, statistics.median(turns600) * 1e3
        ratio, cratio = t600 / t60, c600 / c60
        out[kind] = {"total_60": t60, "total_600": t600, "median_ms_60": med60, "median_ms_600": med600, "ratio": ratio,
                     "cpu_60": c60, "cpu_600": c600, "cpu_ratio": cratio}
        rows.append(f"| {kind} | {t60 * 1e3:.1f} | {t600 * 1e3:.1f} | {ratio:.1f}x | {c60 * 1e3:.1f} | {c600 * 1e3:.1f} | {cratio:.1f}x | {med60:.3f} | {med600:.3f} |")
    ag = out["agent+jsonl"]
    ok = ag["median_ms_600"] <= 1.0 and ag["cpu_ratio"] <= 12
    lines = ["## Agent loop: overhead per turn, 60 and 600 tool calls, K=5", "",
             f"Command: `python bench/loop.py --repeat {a.repeat}`; machine: {platform.machine()}, 2 cores, Python {platform.python_version()}. "
             "Zero-latency scripted model (keeping no copy of its inputs), no-op tool; each run ends with the final-summary turn. Best of the repeats by total time.", "",
             "| loop | 60 calls, wall ms | 600 calls, wall ms | 600 / 60 | 60 calls, CPU ms | 600 calls, CPU ms | 600 / 60 (CPU) | median turn at 60, ms | median turn at 600, ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
             f"`agent` is `Agent.run` in memory; `agent+jsonl` also appends and flushes every step to a JSONL file (the crash-safe default for studies); "
             f"`bare` is a baseline loop with no retention, flags, events or recording.", "",
             "CPU is the process time of all the run's threads; on a shared machine it measures the loop's own cost, while wall time also "
             "counts waiting for a core (the wall-time ratio moves by several units from run to run when other work is running).", "",
             f"Goals (recorded loop): median turn at most 1 ms (measured {ag['median_ms_600']:.3f} ms at 600 calls) and 600 calls at most 12x "
             f"the 60-call run (measured {ag['cpu_ratio']:.1f}x in CPU time, {ag['ratio']:.1f}x wall): **{'met' if ok else 'NOT met'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("loop", text)
    return out

if __name__ == "__main__": main()
