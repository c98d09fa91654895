"""Benchmark: the widgets on long trajectories. The Python side on 600 steps: how long opening a `TrajectoryViewer` takes,
what one step sends to the browser against the whole trajectory, how long a step change takes (both modes), the diff of two
long runs, the size of the exported HTML page. Then long runs in Chromium (`long_runs`): a 10,000-step trajectory as an
exported page and as a widget served by Voila, beside the 600-step one as the baseline, measured in the browser: the time to
open it, a step change (the `j` key) and the page's size. Goals (issue 16): open in under 2 s, a step change under 100 ms,
the page under 10 MB.

    python bench/widgets.py               # best of 5, writes its section of bench/results.md
    python bench/widgets.py --quick --no-write
    python bench/widgets.py --no-browser  # the Python side only
"""
import argparse, json, os, platform, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request
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

CHROMIUM = "/usr/bin/chromium"

# In the browser: press `j` `n` times on the view (the document for a page, the view's root for a widget), each time waiting
# until the step label changed and the next frame was drawn; the milliseconds of each.
STEPS_JS = """async ([n, sel]) => {
  const root = document.querySelector(sel), label = () => root.querySelector('.mt-step-index').textContent;
  const target = window.mtReady ? document : root, out = [];        // a page listens on the document, a widget on its view
  if (target === root) root.focus();
  for (let k = 0; k < n; k++) {
    const before = label(), t0 = performance.now();
    await new Promise(res => {
      const done = () => requestAnimationFrame(() => setTimeout(res, 0));
      const obs = new MutationObserver(() => { if (label() !== before) { obs.disconnect(); done(); } });
      obs.observe(root, {subtree: true, childList: true, characterData: true});
      target.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
    });
    out.push(performance.now() - t0);
  }
  return out;
}"""

# In the browser: click the button that opens a viewer (Voila), and wait until its first step is drawn; milliseconds.
OPEN_JS = """([label, k]) => new Promise(res => {
  const n0 = document.querySelectorAll('.mt-viewer').length, t0 = performance.now();
  const obs = new MutationObserver(() => {
    const v = document.querySelectorAll('.mt-viewer');
    if (v.length > n0 && v[v.length - 1].querySelector('.mt-step-index')) { obs.disconnect(); requestAnimationFrame(() => setTimeout(() => res(performance.now() - t0), 0)); }
  });
  obs.observe(document.body, {subtree: true, childList: true});
  [...document.querySelectorAll('button')].filter(b => b.textContent === label)[0].click();
})"""

def _stats(ms: list[float]) -> dict:
    "Median, 90th percentile and largest of some milliseconds."
    s = sorted(ms)
    return {"median": statistics.median(s), "p90": s[min(len(s) - 1, int(0.9 * len(s)))], "max": s[-1]}

def _free_port() -> int:
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0)); return so.getsockname()[1]

def _voila(folder: Path, cells: list[str]):
    "Start Voila on loopback serving a notebook of `cells`; returns (process, url)."
    import nbformat
    nb = nbformat.v4.new_notebook(); nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "bench.ipynb")
    port = _free_port()
    p = subprocess.Popen([sys.executable, "-m", "voila", "bench.ipynb", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
                         cwd=folder, stdout=open(folder / "voila.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    url, deadline = f"http://127.0.0.1:{port}/", time.time() + 60
    while True:
        try: urllib.request.urlopen(url, timeout=2); return p, url
        except Exception:
            if p.poll() is not None or time.time() > deadline: raise RuntimeError((folder / "voila.log").read_text()[-2000:])
            time.sleep(0.3)

def _stop(p):
    try: os.killpg(p.pid, signal.SIGTERM); p.wait(10)
    except (ProcessLookupError, subprocess.TimeoutExpired): os.killpg(p.pid, signal.SIGKILL)

def long_runs(sizes: list[int], presses: int, loads: int) -> tuple[list[str], dict]:
    "Pages and widgets of `sizes`-step synthetic trajectories in Chromium: open time, step changes, page size. Lines of a table, and the figures."
    from playwright.sync_api import sync_playwright
    tmp, rows, res = Path(tempfile.mkdtemp()), [], {}
    trajs = {n: synthetic_trajectory(n, hidden=n <= 1000) for n in sizes}
    cells = ["import ipywidgets\nfrom IPython.display import display\nfrom mirothinker.widgets.payload import synthetic_trajectory\n"
             "from mirothinker.widgets.viewer import TrajectoryViewer\nout = ipywidgets.Output()\n"
             + "\n".join(f"t{n} = synthetic_trajectory({n}, hidden={n <= 1000})" for n in [5, *sizes]),
             "def opener(t):\n    def f(_):\n        with out: display(TrajectoryViewer(t))\n    return f\n"
             "buttons = [ipywidgets.Button(description=f'open {len(t.steps) - 1}') for t in (" + ", ".join(f"t{n}" for n in [5, *sizes]) + ",)]\n"
             "for b, t in zip(buttons, (" + ", ".join(f"t{n}" for n in [5, *sizes]) + ",)): b.on_click(opener(t))\ndisplay(*buttons, out)"]
    voila, url = _voila(tmp, cells)
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            for n, t in trajs.items():
                c0 = time.process_time(); page_path = export_html(t, tmp / f"page{n}.html"); t_export = time.process_time() - c0
                size, opens, steps = page_path.stat().st_size, [], []
                for _ in range(loads):
                    pg = b.new_page(viewport={"width": 1400, "height": 900})
                    pg.goto(page_path.as_uri(), timeout=120_000)
                    opens.append(pg.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)))"))
                    steps += pg.evaluate(STEPS_JS, [presses, ".mt-viewer"]); pg.close()
                res[("page", n)] = dict(open=statistics.median(opens), size=size, export=t_export, **{f"step_{k}": v for k, v in _stats(steps).items()})
            pg = b.new_page(viewport={"width": 1400, "height": 900})
            pg.goto(url, timeout=180_000)
            pg.wait_for_selector("button:has-text('open')", timeout=180_000)
            pg.evaluate(OPEN_JS, ["open 5", 0])                       # not timed: the first view loads the renderer's module
            for k, n in enumerate(sizes, start=1):
                ms_open = pg.evaluate(OPEN_JS, [f"open {n}", k])
                pg.evaluate(f"document.querySelectorAll('.mt-viewer')[{k}].id = 'mt-bench-{n}'")
                early = pg.evaluate(STEPS_JS, [presses, f"#mt-bench-{n}"])           # the drift indicators still being computed
                t0 = time.time()
                pg.wait_for_function(f"document.querySelector('#mt-bench-{n} .mt-head').textContent.includes('drift indicators from')", timeout=600_000)
                ind_wait = time.time() - t0
                late = pg.evaluate(STEPS_JS, [presses, f"#mt-bench-{n}"])
                res[("widget", n)] = dict(open=ms_open, ind=ind_wait, **{f"early_{k}": v for k, v in _stats(early).items()},
                                          **{f"step_{k}": v for k, v in _stats(late).items()})
            b.close()
    finally: _stop(voila)
    for n in sizes:
        pr, wr = res[("page", n)], res[("widget", n)]
        rows.append(f"| {n:,} | page | {pr['size'] / 1e6:.2f} MB (export {pr['export']:.1f} s CPU) | {pr['open']:.0f} | {pr['step_median']:.0f} / {pr['step_p90']:.0f} / {pr['step_max']:.0f} | - |")
        rows.append(f"| {n:,} | widget (Voila) | - | {wr['open']:.0f} | {wr['step_median']:.0f} / {wr['step_p90']:.0f} / {wr['step_max']:.0f} "
                    f"| {wr['early_median']:.0f} / {wr['early_p90']:.0f} / {wr['early_max']:.0f} (indicators in {wr['ind']:.0f} s more) |")
    return rows, res

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="repeats per measure; the fastest is kept")
    ap.add_argument("--steps", type=int, default=600, help="steps of the long trajectories")
    ap.add_argument("--quick", action="store_true", help="one repeat: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    ap.add_argument("--long", type=int, default=10_000, help="steps of the long run measured in Chromium (beside 600 as the baseline)")
    ap.add_argument("--presses", type=int, default=30, help="step changes measured per view in Chromium")
    ap.add_argument("--no-browser", action="store_true", help="skip the measures in Chromium")
    a = ap.parse_args(argv)
    if a.quick: a.repeat, a.long, a.presses = 1, 2_000, 10
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
    lines = ["## Widgets: the viewer on 600-step trajectories, the diff, the exported page; long runs in Chromium", "",
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
    if not a.no_browser and Path(CHROMIUM).exists():
        load0 = os.getloadavg()[0]
        long_rows, lres = long_runs([n, a.long], a.presses, 1 if a.quick else 3)
        pg, wg = lres[("page", a.long)], lres[("widget", a.long)]
        ok = lambda c: "met" if c else "NOT met"
        lines += ["", f"### Long runs in Chromium: {a.long:,} steps, beside {n} as the baseline", "",
                  f"Headless Chromium ({CHROMIUM}) at 1400x900; synthetic trajectories as above (the {a.long:,}-step one without `hidden` lists, "
                  f"which would hold 50 million numbers: the record keeps, at every step, every step hidden so far). Page: opened from disk, "
                  f"median of {1 if a.quick else 3} loads (time to the first drawn frame, from navigation). Widget: Voila; a button click to the "
                  f"first drawn step (building the widget in the kernel, sending its state, drawing; after a first, untimed view of 5 steps has loaded the renderer). Step change: the `j` key to the next drawn frame "
                  f"showing the new step ({a.presses} presses), for the widget through the kernel; first while the drift indicators are still being "
                  f"computed on their thread, then after. Load average at the start: {load0:.1f} (2 cores, shared).", "",
                  "| steps | view | size | open, ms | step change, ms: median / p90 / max | step change while the indicators compute |",
                  "|---:|---|---|---:|---:|---|", *long_rows, "",
                  f"Goals for {a.long:,} steps: open in under 2 s: page {pg['open'] / 1e3:.2f} s **{ok(pg['open'] < 2000)}**, widget {lres[('widget', a.long)]['open'] / 1e3:.2f} s "
                  f"**{ok(wg['open'] < 2000)}**; a step change under 100 ms (median): page {pg['step_median']:.0f} ms **{ok(pg['step_median'] < 100)}**, "
                  f"widget {wg['step_median']:.0f} ms **{ok(wg['step_median'] < 100)}** ({wg['early_median']:.0f} ms while the indicators compute); "
                  f"the page under 10 MB: {pg['size'] / 1e6:.2f} MB **{ok(pg['size'] < 10e6)}**."]
        res["long"] = lres
    text = "\n".join(lines)
    print(text)
    if not a.no_write and not a.quick: write_section("widgets", text)
    return res

if __name__ == "__main__": main()
