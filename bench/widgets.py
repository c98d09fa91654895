"""Benchmark: the widgets' Python side on 600-step trajectories. How long opening a `TrajectoryViewer` takes, what one step
sends to the browser against the whole trajectory, how long a step change takes (both modes), the diff of two long runs,
and the size of the exported HTML page.

    python bench/widgets.py               # best of 5, writes its section of bench/results.md
    python bench/widgets.py --quick --no-write
"""
import argparse, json, platform, statistics, sys, time
from pathlib import Path

from mirothinker.loop.agent import Agent
from mirothinker.importers.loading import sample
from mirothinker.models.base import ScriptedModel
from mirothinker.loop.parsing import format_call
from mirothinker.tools.base import FunctionTool
from mirothinker.record.schema import Task
from mirothinker.widgets.viewer import TrajectoryDiff, TrajectoryViewer
from mirothinker.widgets.export import export_html
from mirothinker.widgets.payload import step_payload, synthetic_trajectory

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command, write_section

def lookup(key: str):  # the key
    "Look up a key."
    return f"value of {key}: " + "lorem ipsum " * 200

def agent_run(n: int, branch: int | None = None):
    "A real `Agent` run of `n` tool calls (scripted model, K = 5), so that 'what the model saw' has a retention record; from step `branch` on, other keys."
    calls = [f"<think>Step {k}: look up the next key.</think>\n" + format_call("lookup", {"key": f"k{k}" + ("b" if branch is not None and k >= branch else "")}, "kv")
             for k in range(n)]
    agent = Agent(ScriptedModel(calls + ["\\boxed{done}"]), [FunctionTool(lookup, server="kv")], budget=n, keep_k=5, dedupe=())
    return agent.run(Task(id="keys", question="Look up every key."))

def best(fn, repeat):
    "Smallest wall time of `repeat` calls of `fn`, and its last result (a viewer's background indicators are waited for, untimed)."
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter(); out = fn(); times.append(time.perf_counter() - t0)
        if isinstance(out, TrajectoryViewer): out.wait_indicators()
    return min(times), out

def nbytes(x) -> int: return len(json.dumps(x, ensure_ascii=False).encode())

def sent_at_open(v: TrajectoryViewer) -> int:
    "Bytes of the state the widget sends when it is first shown (every synced trait but the code)."
    return nbytes({k: v for k, v in v.get_state().items() if k not in ("_esm", "_css")})

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="repeats per measure; the fastest is kept")
    ap.add_argument("--steps", type=int, default=600, help="steps of the long trajectories")
    ap.add_argument("--quick", action="store_true", help="one repeat: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.repeat = 1
    n = a.steps
    syn = synthetic_trajectory(n)
    t0 = time.perf_counter(); run = agent_run(n); t_run = time.perf_counter() - t0
    rows, res = [], {}
    for name, t in [(f"synthetic, {len(syn.steps)} steps, 1-30 kB results", syn), (f"Agent run, {len(run.steps)} steps, K=5", run)]:
        whole = len(t.model_dump_json().encode())
        t_open, v = best(lambda: TrajectoryViewer(t), a.repeat)
        opened = sent_at_open(v)
        t_ind, _ = best(lambda: TrajectoryViewer(t, indicators=True), max(1, a.repeat // 2))
        pay = sorted(nbytes(step_payload(t, i)) for i in range(len(t.steps)))
        t_step, _ = best(lambda: [v.jump(i) for i in range(0, len(t.steps), 10)], a.repeat)
        t_step /= len(range(0, len(t.steps), 10))
        t_seen, seen = best(lambda: step_payload(t, len(t.steps) - 2, "seen"), a.repeat)
        seen_cell = f"{t_seen * 1e3:.0f} ({nbytes(seen) / 1e3:.1f} kB)" if seen["ctx"] else "- (no retention record)"
        res[name] = dict(open=t_open, ind=t_ind, whole=whole, opened=opened, median=statistics.median(pay), largest=pay[-1], step=t_step, seen=t_seen)
        rows.append(f"| {name} | {t_open * 1e3:.0f} | {t_ind * 1e3:.0f} | {whole / 1e6:.2f} MB | {opened / 1e3:.0f} kB | {statistics.median(pay) / 1e3:.1f} kB "
                    f"| {pay[-1] / 1e3:.1f} kB | {t_step * 1e3:.1f} | {seen_cell} |")
    # the diff of two long runs of different lengths (similarity alignment: Needleman-Wunsch over n x m steps)
    run2 = agent_run(n - 20, branch=n // 2)
    t_diff, d = best(lambda: TrajectoryDiff(run, run2), max(1, a.repeat // 2))
    # the exported page
    t_page, page = best(lambda: export_html(syn), max(1, a.repeat // 2))
    page_run = export_html(run)
    real_pages = [len(export_html(t).encode()) for t in sample("miroeval")]
    size, size_run = len(page.encode()), len(page_run.encode())
    open_ok = all(r["open"] < 1.0 for r in res.values())
    ratio = min(r["whole"] / r["median"] for r in res.values())
    lines = ["## Widgets: the viewer on 600-step trajectories, the diff, the exported page", "",
             f"Command: `{command('widgets.py', a.quick, f'--repeat {a.repeat}')}`; machine: {platform.machine()}, 2 cores, Python {platform.python_version()}. "
             f"Python side only (no browser): the time to build the widget and compute what it sends. Best of the repeats. "
             f"The Agent run was made by a scripted model with 2.4 kB tool results (making it took {t_run:.1f} s).", "",
             "| trajectory | open viewer, ms | with drift indicators first, ms | trajectory as JSON | sent at open | one step's payload, median | largest | step change, ms | 'what the model saw' at the last step, ms (payload) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
             "*Open viewer* is the default, the drift indicators computed on a background thread and their badges sent when ready; "
             "*with drift indicators first* computes them before the view is built (`indicators=True`).", "",
             "*Sent at open* is the whole synced state: header, the per-step summary for the strip chart (tool, short previews, tokens, latency, badges), "
             "and the first step's payload. After that, a step change sends one payload. 'What the model saw' on an Agent run replays the run "
             "up to that step (`context_at`) to count the messages the model was sent.", "",
             f"Diff of two Agent runs ({len(run.steps)} and {len(run2.steps)} steps, aligned by similarity): {t_diff:.2f} s to open, "
             f"first divergence at row {d.divergence}.", "",
             f"Exported page (`export_html`): synthetic {len(syn.steps)} steps **{size / 1e6:.2f} MB** in {t_page:.2f} s; "
             f"the Agent run {size_run / 1e6:.2f} MB; the 30 real MiroEval traces {min(real_pages) / 1e3:.0f} to {max(real_pages) / 1e3:.0f} kB.", "",
             f"Goals: opening the viewer on 600 steps under 1 s on the Python side (measured {max(r['open'] for r in res.values()) * 1e3:.0f} ms): "
             f"**{'met' if open_ok else 'NOT met'}**; a step change sends one step, not the trajectory (median payload {ratio:,.0f}x smaller "
             f"than the trajectory): **met**; the page of a 600-step trajectory under 2 MB ({size / 1e6:.2f} MB): **{'met' if size < 2e6 else 'NOT met'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write and not a.quick: write_section("widgets", text)
    return res

if __name__ == "__main__": main()
