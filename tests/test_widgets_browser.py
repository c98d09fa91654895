"""The widgets in a real browser: Voila serves a notebook showing the viewer, the diff, the comparison view of a real study,
a Chinese trace and the run table; headless Chromium (Playwright) clicks and types through them. Then the exported pages are
opened from disk: links to a step, keyboard stepping, the comparison page (its JavaScript alignment checked against Python's),
and an adversarial corpus that must neither change the page nor run. Screenshots go to $MIROTHINKER_ARTIFACTS (or the pytest
tmp dir).

Uses what `.ci/run` installs: Debian `chromium` at /usr/bin/chromium and `fonts-noto-cjk` (the Chinese trace is checked to be
drawn with a CJK font, not as empty boxes), `voila`, `playwright` (never its own browser download)."""
import json, os, re, signal, socket, subprocess, sys, time, urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

def _missing() -> str | None:
    if not Path(CHROMIUM).exists(): return f"{CHROMIUM} is missing (Debian package `chromium`)"
    for mod in ("voila", "playwright", "anywidget"):
        try: __import__(mod)
        except ImportError: return f"the Python package `{mod}` is not installed"
    return None

pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")

# The notebook Voila serves. Two short runs of a lookup task by the scripted agent (K = 3 results kept; the second asks for
# key2 twice and answers differently); a real study (six synthweb questions, the scripted oracle and a model that guesses,
# budgets 1 and 4), run at serve time; a real MiroThinker-1.7 trace in Chinese; the 30 MiroEval traces in a table.
SETUP = """import pathlib, tempfile
from mirothinker.widgets import CompareView, SetBrowser, TrajectoryDiff, TrajectoryViewer
from mirothinker.loop.agent import Agent
from mirothinker.models.base import ScriptedModel
from mirothinker.loop.parsing import format_call
from mirothinker.tools.base import FunctionTool
from mirothinker.record.schema import Task
from mirothinker.importers.loading import load, DATA, SAMPLES
from mirothinker.studies.study import Study
from mirothinker.studies.solvers import OracleModel
from mirothinker.tasks.synthweb import synthweb_tasks
def lookup(key: str):  # the key to look up
    "Look up a key."
    return f"value of {key} is {len(key) * 7}"
look = FunctionTool(lookup, server="kv")
script = [f"<think>I need key{k}.</think>\\n" + format_call("lookup", {"key": f"key{k}"}, "kv") for k in range(9)] + ["The answer is \\\\boxed{63}."]
script2 = script[:3] + [script[2]] + script[3:9] + ["The answer is \\\\boxed{64}."]
task = Task(id="kv", question="Sum the keys.", reference="63")
run = Agent(ScriptedModel(script), [look], keep_k=3).run(task)
run2 = Agent(ScriptedModel(script2), [look], keep_k=3, dedupe="all").run(task)
web = synthweb_tasks()[:6]
study_dir = pathlib.Path(tempfile.mkdtemp()) / "study"
Study(study_dir, web, {"oracle": OracleModel(web), "guess": ScriptedModel([], name="guess", default="The answer is \\\\boxed{0}.")},
      budgets=(1, 4)).run(progress=False)
real = load(DATA / SAMPLES["miroeval"][0], progress=False, **SAMPLES["miroeval"][1])     # `sample`, without a progress bar
zh = real["miroeval-74"]"""
FIXTURE = [SETUP, "TrajectoryViewer(run)", "TrajectoryDiff(run, run2)", "CompareView(study_dir)", "TrajectoryViewer(zh)", "SetBrowser(real)"]

def _fixture_runs():
    "The same runs, built in the test process (for the exported pages)."
    ns = {}
    exec(SETUP.replace("Study(study_dir", "0 and Study(study_dir"), ns)    # no study needed here
    return ns["run"], ns["run2"], ns["zh"]

@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = Path(os.environ.get("MIROTHINKER_ARTIFACTS") or tmp_path_factory.mktemp("artifacts")) / "widget-screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    "Voila serving the fixture notebook on loopback; yields its URL, stopped afterwards."
    import nbformat
    tmp = tmp_path_factory.mktemp("voila")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in FIXTURE]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp / "viewer_fixture.ipynb")
    port, log = _free_port(), open(tmp / "voila.log", "w")
    p = subprocess.Popen([sys.executable, "-m", "voila", "viewer_fixture.ipynb", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
                         cwd=tmp, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 30
        while True:
            try: urllib.request.urlopen(url, timeout=2); break
            except Exception:
                if p.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"voila did not start: {(tmp / 'voila.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield url
    finally:
        try: os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError: pass
        try: p.wait(10)
        except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait(5)
        log.close()

@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try: yield b
        finally: b.close()

@pytest.fixture(scope="module")
def served(voila, browser):
    "The Voila page, loaded once: every widget of the fixture drawn."
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(voila, timeout=90_000)
    page.wait_for_function("document.querySelectorAll('.mt-viewer .mt-step-index').length >= 2 && document.querySelector('.mt-compare') "
                           "&& document.querySelector('.mt-runs tbody tr')", timeout=90_000)
    page.errors = errors
    yield page
    page.close()

def _text(page, sel) -> str: return page.locator(sel).first.inner_text()

def _wait_text(page, sel, text, timeout=15_000):
    "Wait until the first element matching `sel` reads `text` exactly."
    page.wait_for_function("([s, t]) => (document.querySelector(s) || {}).textContent === t", arg=[sel, text], timeout=timeout)

def _fonts(page, sel) -> list[str]:
    "The font families Chromium used to draw the text of the first element matching `sel` (DevTools' platform fonts)."
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": sel})["nodeId"]
    cdp.send("CSS.enable")
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in fonts if f["glyphCount"] > 0]

# ---- the widgets, served by Voila ---------------------------------------------------------------------------------------

def test_viewer_keyboard_search_and_seen(served, shots):
    page, v = served, "#mt-kv"
    page.evaluate("document.querySelectorAll('.mt-viewer')[0].id = 'mt-kv'")
    _wait_text(page, f"{v} .mt-step-index", "Step 0")
    assert "key0" in _text(page, f"{v} .mt-args")
    assert _text(page, f"{v} .mt-pos") == "step 0 · 10 steps (0–9)"             # numbered as `mirothinker show` numbers them
    page.click(f"{v} .mt-step-index")                                          # focus the view; then the keys step through it
    page.keyboard.press("j"); _wait_text(page, f"{v} .mt-step-index", "Step 1")
    assert "key1" in _text(page, f"{v} .mt-args")
    assert page.input_value(f"{v} .mt-jump") == "1"                            # the jump box follows the step
    page.keyboard.press("ArrowRight"); _wait_text(page, f"{v} .mt-step-index", "Step 2")
    page.keyboard.press("k"); _wait_text(page, f"{v} .mt-step-index", "Step 1")
    page.keyboard.press("ArrowLeft"); _wait_text(page, f"{v} .mt-step-index", "Step 0")
    page.keyboard.press("End"); _wait_text(page, f"{v} .mt-step-index", "Step 9")
    page.keyboard.press("Home"); _wait_text(page, f"{v} .mt-step-index", "Step 0")
    # jump to step 8 and switch to what the model saw: results of steps 0-4 were hidden by retention (K = 3)
    page.fill(f"{v} .mt-jump", "8"); page.press(f"{v} .mt-jump", "Enter")
    _wait_text(page, f"{v} .mt-step-index", "Step 8")
    page.click(f"{v} .mt-seen-btn")
    page.wait_for_function("(document.querySelector('#mt-kv .mt-seen-note') || {}).textContent?.includes('3 of 8 tool results')", timeout=15_000)
    assert "steps 0-4: results omitted (5)" in _text(page, f"{v} .mt-ctx.mt-hidden")
    page.locator(v).screenshot(path=str(shots / "01-viewer-seen.png"))
    # a search that matches: the matching step is shown; one that matches nothing says so, and shows no step
    page.fill(f"{v} .mt-search", "key5")
    page.wait_for_function("document.querySelector('#mt-kv .mt-count').textContent.startsWith('1 of 10')", timeout=15_000)
    _wait_text(page, f"{v} .mt-step-index", "Step 5")
    page.fill(f"{v} .mt-search", "no step says this")
    page.wait_for_selector(f"{v} .mt-nomatch", timeout=15_000)
    assert page.locator(f"{v} .mt-step").count() == 0 and page.input_value(f"{v} .mt-jump") == ""
    assert _text(page, f"{v} .mt-count") == 'no step matches "no step says this"'
    assert page.locator(f"{v} .mt-next").is_disabled()
    page.locator(v).screenshot(path=str(shots / "02-viewer-no-match.png"))
    page.click(f"{v} .mt-clear")
    page.wait_for_selector(f"{v} .mt-step-index", timeout=15_000)
    assert page.locator(f"{v} .mt-nomatch").count() == 0

def test_diff_in_voila(served, shots):
    page, diff = served, ".mt-diff"
    page.wait_for_selector(f"{diff} .mt-divnote", timeout=30_000)
    d = page.locator(diff).first
    assert "First divergence at row 3" in d.locator(".mt-divnote").inner_text()
    assert d.locator(".mt-drow.mt-div").count() == 1 and d.locator(".mt-othertask").count() == 0     # one task: no warning
    # Wait for the answers in the two step panels: the runs' headers show the answers from the start
    d.locator(".mt-drow").last.click()
    page.wait_for_function("[...document.querySelectorAll('.mt-diff')][0].querySelectorAll('.mt-step .mt-answer').length === 2 && "
                           "[...[...document.querySelectorAll('.mt-diff')][0].querySelectorAll('.mt-step .mt-answer')].map(e => e.textContent).join('|') === '63|64'", timeout=15_000)
    d.screenshot(path=str(shots / "03-diff.png"))

def test_compare_view_in_voila(served, shots):
    page = served
    cmp = page.locator(".mt-compare")
    heads = [h.inner_text() for h in cmp.locator("th").all()]
    assert [h.split("\n")[:2] for h in heads[1:]] == [["model guess", "budget 1"], ["model guess", "budget 4"], ["model oracle", "budget 1"], ["model oracle", "budget 4"]]
    assert "0% [0, 39]" in heads[1] and "0/6" in heads[1]                       # the guesses are all wrong: 0 of 6, Wilson [0, 39]%
    rows = cmp.locator("tbody tr")
    assert rows.count() == 6 and "✗ 0" in rows.first.inner_text()
    cmp.screenshot(path=str(shots / "04-compare.png"))
    # filters and sorting, in the page
    cmp.locator(".mt-cmp-show").select_option("noneright")
    n_none = rows.count()
    assert 0 < n_none < 6 and all("✓" not in r.inner_text() for r in rows.all())
    cmp.locator(".mt-cmp-show").select_option("all")
    cmp.locator(".mt-cmp-sort").select_option("right-")
    firsts = [r.inner_text().count("✓") for r in rows.all()]
    assert firsts == sorted(firsts, reverse=True) and firsts[0] >= 1
    cmp.locator(".mt-cmp-filter").fill("s0-004")
    assert rows.count() == 1
    cmp.locator(".mt-cmp-filter").fill("")
    cmp.locator(".mt-cmp-sort").select_option("task")
    # two clicks on one task: the kernel opens the diff of those two runs below the table
    row = cmp.locator("tr[data-task='synthweb-default-s0-003']")
    row.locator("td.mt-cell").nth(2).click(); row.locator("td.mt-cell").nth(3).click()
    page.wait_for_function("[...document.querySelectorAll('.mt-diff')].some(d => d.textContent.includes('oracle__b1__k5__sliding/synthweb-default-s0-003') "
                           "&& d.textContent.includes('oracle__b4__k5__sliding/synthweb-default-s0-003'))", timeout=20_000)
    dv = page.locator(".mt-diff", has_text="oracle__b4__k5__sliding/synthweb-default-s0-003")
    assert "First divergence at row 1" in dv.locator(".mt-divnote").inner_text()
    dv.screenshot(path=str(shots / "05-compare-diff.png"))

def test_chinese_trace_in_voila(served, shots):
    page = served
    page.evaluate("document.querySelectorAll('.mt-viewer')[1].id = 'mt-zh'")
    v = "#mt-zh"
    _wait_text(page, f"{v} .mt-step-index", "Step 0")
    # CJK text is drawn with a CJK font (the font stack names Noto Sans CJK; Debian `fonts-noto-cjk`), not as empty boxes
    fonts = _fonts(page, "#mt-zh .mt-head .mt-clamp")
    assert any("CJK" in f for f in fonts), f"the Chinese text was drawn with {fonts}, no CJK font: install the Debian package fonts-noto-cjk"
    # the step is above the fold at 1400x900: the header is compact
    top = page.evaluate("(() => { const r = document.querySelector('#mt-zh'), s = r.querySelector('.mt-step');"
                        " return s.getBoundingClientRect().top - r.getBoundingClientRect().top; })()")
    assert top < 330, top
    # the observation is JSON: shown as a tree, with a button for the text as recorded
    assert "analysis" in [k.inner_text() for k in page.locator(f"{v} .mt-step .mt-jkey").all()]
    page.locator(f"{v} .mt-step .mt-toggle").first.click()
    assert '"success": true' in page.locator(f"{v} .mt-step pre.mt-obs").first.inner_text()
    # the retry loop on one image is flagged (the drift indicators arrive from their thread)
    page.wait_for_function("document.querySelector('#mt-zh .mt-head').textContent.includes('drift indicators from')", timeout=30_000)
    page.click(f"{v} .mt-step-index")
    for _ in range(8): page.keyboard.press("j")
    _wait_text(page, f"{v} .mt-step-index", "Step 8")
    assert "retry loop" in _text(page, f"{v} .mt-stephead")
    page.evaluate("document.querySelector('#mt-zh').scrollIntoView()")
    page.screenshot(path=str(shots / "06-chinese-trace.png"))
    page.keyboard.press("End"); _wait_text(page, f"{v} .mt-step-index", "Step 53")
    page.click(f"{v} .mt-detbtn")                                                   # the final report, in the header's details:
    assert page.locator(f"{v} .mt-details .mt-md .mt-h").count() > 3                # markdown, rendered
    assert page.locator(f"{v} .mt-details .mt-md ul").count() >= 1 and page.locator(f"{v} .mt-details .mt-md b").count() >= 1

def test_run_table_in_voila(served, shots):
    page = served
    t = page.locator(".mt-runs")
    ids = [r.get_attribute("data-id") for r in t.locator("tbody tr").all()]
    assert ids[0] == "miroeval-71" and ids[-2:] == ["miroeval-99", "miroeval-100"]     # natural order: 71 ... 99, 100
    [h for h in t.locator("th").all() if h.inner_text().startswith("id")][0].click()   # and reversed
    page.wait_for_function("document.querySelector('.mt-runs tbody tr').dataset.id === 'miroeval-100'", timeout=15_000)
    box = page.locator(".widget-text:has(input[placeholder='calls>=20 steps<100']) input")
    box.fill("calls>=100"); box.press("Enter")
    page.wait_for_function("document.querySelectorAll('.mt-runs tbody tr').length === 1", timeout=15_000)
    assert t.locator("tbody tr").first.get_attribute("data-id") == "miroeval-84"
    box.fill("steps<20"); box.press("Enter")
    page.wait_for_function("document.querySelectorAll('.mt-runs tbody tr').length === 7", timeout=15_000)
    checks = t.locator("tbody input.mt-check")
    checks.nth(0).check(); checks.nth(1).check()
    button = page.locator("button", has_text="diff the 2 picked")
    page.wait_for_function("!([...document.querySelectorAll('button')].find(b => b.textContent.includes('diff the 2 picked')) || {}).disabled", timeout=15_000)
    button.click()
    page.wait_for_function("[...document.querySelectorAll('.mt-diff .mt-othertask')].length === 1", timeout=20_000)
    assert "different tasks" in _text(page, ".mt-othertask")                      # and it shows both tasks
    page.locator(".mt-othertask").screenshot(path=str(shots / "07-diff-other-tasks.png"))
    assert served.errors == [], served.errors

# ---- the exported pages, opened from disk ----------------------------------------------------------------------------

def test_exported_pages_offline(browser, shots, tmp_path):
    from mirothinker.widgets.export import export_html
    run, run2, zh = _fixture_runs()
    one, pair, chinese = export_html(run, tmp_path / "run.html"), export_html((run, run2), tmp_path / "pair.html"), export_html(zh, tmp_path / "zh.html")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(one.as_uri())
    page.wait_for_selector(".mt-viewer .mt-step-index")
    assert _text(page, ".mt-step-index") == "Step 0"
    assert run.id in _text(page, ".mt-title") and "Sum the keys." in _text(page, ".mt-head")
    page.click(".mt-next")
    assert _text(page, ".mt-step-index") == "Step 1" and page.evaluate("location.hash") == "#step=1"
    page.keyboard.press("j"); page.keyboard.press("ArrowRight")
    assert _text(page, ".mt-step-index") == "Step 3" and page.evaluate("location.hash") == "#step=3"
    page.fill(".mt-search", "key6")
    page.wait_for_function("document.querySelector('.mt-step-index').textContent === 'Step 6'", timeout=5_000)
    page.click(".mt-seen-btn")
    assert "steps 0-2: results omitted (3)" in _text(page, ".mt-ctx.mt-hidden")
    page.screenshot(path=str(shots / "08-page.png"), full_page=True)
    page.fill(".mt-search", "nothing like this")
    page.wait_for_selector(".mt-nomatch", timeout=5_000)
    assert page.locator(".mt-step").count() == 0
    # a link to a step shows it (clearing a filter that hides it), and opens a fresh page at it
    page.evaluate("location.hash = '#step=2'")
    page.wait_for_function("(document.querySelector('.mt-step-index') || {}).textContent === 'Step 2'", timeout=5_000)
    assert page.input_value(".mt-search") == ""
    fresh = browser.new_page(); fresh.goto(one.as_uri() + "#step=7"); fresh.wait_for_selector(".mt-step-index")
    assert _text(fresh, ".mt-step-index") == "Step 7"
    fresh.close()
    # the pair
    page.goto(pair.as_uri())
    page.wait_for_selector(".mt-diff .mt-divnote")
    assert "First divergence at row 3" in _text(page, ".mt-divnote")
    assert "Duplicate query" in _text(page, ".mt-diff .mt-error")      # row 3 is shown: run 2's refused repeat
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == "#row=4"
    page.screenshot(path=str(shots / "09-page-pair.png"), full_page=True)
    # the Chinese trace: CJK font, the step above the fold, the marker apart from the bars and in its own colour
    page.goto(chinese.as_uri()); page.wait_for_selector(".mt-step-index")
    fonts = _fonts(page, ".mt-step .mt-thought")
    assert any("CJK" in f for f in fonts), f"the Chinese text was drawn with {fonts}, no CJK font: install the Debian package fonts-noto-cjk"
    box = page.locator(".mt-step .mt-label").first.bounding_box()
    assert box["y"] + box["height"] < 900 * 0.5, box                     # the step starts in the upper half of a 1400x900 window
    chart, marker = page.locator(".mt-chart").bounding_box(), page.locator(".mt-marker").bounding_box()
    assert marker["y"] >= chart["y"] + chart["height"] - 0.5, (chart, marker)    # below the bars, never over one
    colours = page.evaluate("[getComputedStyle(document.querySelector('.mt-marker')).borderBottomColor,"
                            " document.querySelector('.mt-ticks-bad').getAttribute('fill'), document.querySelector('.mt-ticks-warn').getAttribute('fill'),"
                            " document.querySelector('.mt-bars-tok').getAttribute('fill'), document.querySelector('.mt-bars-lat').getAttribute('fill')]")
    assert colours[0] == "rgb(27, 31, 36)" and len(set(colours)) == 5, colours
    page.screenshot(path=str(shots / "10-page-chinese-1400x900.png"))
    assert all(u.startswith("file://") for u in requests), requests  # nothing fetched from the network

def test_page_numbers_steps_as_the_cli(browser, tmp_path):
    "The page's step numbers are `mirothinker show`'s, also when a record's numbers do not start at 0."
    from mirothinker.importers.loading import DATA, load
    from mirothinker.widgets.export import export_html
    t = load(DATA / "traces" / "tasklog_constructed.json", progress=False)[0]
    shifted = t.model_copy(deep=True)
    for s in shifted.steps: s.index += 10
    src = tmp_path / "shifted.jsonl"
    from mirothinker.record.table import TrajectorySet
    TrajectorySet.from_trajectories([shifted]).to_jsonl(src)
    cli = subprocess.run([sys.executable, "-m", "mirothinker.cli", "show", str(src)], capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    numbers = [int(m) for m in re.findall(r"^\[(\d+)\]", cli.stdout, re.M)]
    assert numbers == list(range(10, 18))
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(export_html(load(src, progress=False)[0], tmp_path / "shifted.html").as_uri())
    page.wait_for_selector(".mt-step-index")
    seen = []
    for _ in numbers:
        seen.append(int(_text(page, ".mt-step-index").split()[1])); page.keyboard.press("j")
    assert seen == numbers
    assert _text(page, ".mt-pos") == "step 17 · 8 steps (10–17)"
    page.fill(".mt-jump", "12"); page.press(".mt-jump", "Enter")
    assert _text(page, ".mt-step-index") == "Step 12" and page.evaluate("location.hash") == "#step=12"

def test_compare_page_aligns_as_python(browser, shots, tmp_path):
    "The comparison page opens a diff on two clicks, aligned in JavaScript exactly as `align` does in Python."
    from mirothinker.importers.loading import DATA, SAMPLES, load
    from mirothinker.widgets.alignment import align
    from mirothinker.widgets.compare import Comparison
    from mirothinker.widgets.export import export_html
    real = load(DATA / SAMPLES["miroeval"][0], progress=False, **SAMPLES["miroeval"][1])
    run, run2, _ = _fixture_runs()
    cmp = Comparison([*real, run, run2])
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(export_html(cmp, tmp_path / "compare.html").as_uri())
    page.wait_for_selector(".mt-compare tbody tr")
    keys = [f"r{k}" for k in range(len(cmp.items))]
    pairs = [(a, b) for a in keys[:8] for b in keys[:8] if a < b] + [(keys[-2], keys[-1]), (keys[0], keys[-1])]
    js = page.evaluate("ps => ps.map(([a, b]) => alignFeatures(D.runs[a].f, D.runs[b].f))", pairs)
    py = [[list(p) for p in align(cmp.run(a), cmp.run(b))] for a, b in pairs]
    assert js == py
    assert sum(len(p) for p in py) > 500 and any(len(cmp.run(a).steps) != len(cmp.run(b).steps) for a, b in pairs)
    # two clicks in the row of the lookup task: its two runs side by side
    row = page.locator("tr[data-task='kv']")
    assert row.locator("td.mt-cell.mt-unscored").count() == 2
    row.locator("td.mt-cell").nth(0).click()                       # no run there: nothing picked
    assert row.locator("td.mt-pick").count() == 0
    row.locator("td.mt-cell").nth(1).click()
    assert row.locator("td.mt-pick").count() == 1
    row.locator("td.mt-cell").nth(1).click(); row.locator("td.mt-cell").nth(1).click()      # unpick, pick again
    assert page.locator(".mt-cmpdiff .mt-diff").count() == 0
    # the scripted model ran both, in one cell: two columns numbered `run 0` and `run 1`, none hidden; the MiroEval column has no kv run
    assert page.locator(".mt-compare th").count() == 4 and row.locator("td.mt-missing").count() == 1
    row.locator("td.mt-cell").nth(2).click()
    page.wait_for_selector(".mt-cmpdiff .mt-diff .mt-divnote")
    assert "First divergence at row 3" in _text(page, ".mt-cmpdiff .mt-divnote")
    page.screenshot(path=str(shots / "11-compare-page.png"), full_page=True)

# ---- issue 14: no text may change an exported page -----------------------------------------------------------------------

NASTY = ["<!--<script>", "<!-- never closed", "-->", "</script><script>window.pwned = 1</script>", "</SCRIPT ><script>window.pwned = 1</script>",
         '<img src=x onerror="window.pwned = 2">', '<svg onload="window.pwned = 3"></svg>', '<a href="javascript:window.pwned = 4">click</a>',
         "[click me](javascript:window.pwned = 5)", "![x](https://example.org/pixel.png)", "<![CDATA[ ]]> ]]>", "line\u2028separator\u2029paragraph",
         "&lt;b&gt; &amp;amp; &#60;script&#62;", "<style>body { display: none }</style>", "<iframe srcdoc='<script>parent.pwned = 6</script>'>",
         "<script>window.pwned = 7</script>", "{{7*7}} ${7*7} `${window.pwned = 8}`", "<base href='https://example.org/'>"]

UNCLOSED = [x for x in NASTY if "-->" not in x]     # as in a scraped page cut after `<!--<script>`: nothing closes the comment

def _nasty_run(corpus=NASTY):
    "A run whose every text (question, thoughts, arguments, observations as text and as JSON, errors, answer) is an attack."
    from mirothinker.record.schema import Observation, Outcome, Step, Task, ToolCall, Trajectory
    steps = [Step(index=k, text=x, thought=x, tool_call=ToolCall(tool="search" + x[:8], arguments={"q": x, x: x}),
                  observation=Observation(content=x if k % 2 else json.dumps({"result": x, x: [x]}), error=x if k % 3 == 0 else None))
             for k, x in enumerate(corpus)]
    answer = "## Answer\n\n" + "\n".join(f"- {x}" for x in corpus)
    steps.append(Step(index=len(corpus), text=answer, answer=answer))
    return Trajectory(id="<!--<script>" + NASTY[3], task=Task(id="t", question=" ".join(corpus)), steps=steps,
                      outcome=Outcome(status="success", answer=answer, reason=corpus[0]))

def _open_attacked(browser, path) -> tuple:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors, requests, dialogs = [], [], []
    page.on("pageerror", lambda e: errors.append(str(e))); page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return page, errors, requests, dialogs

def test_adversarial_text_in_pages(browser, shots, tmp_path):
    from mirothinker.widgets.export import export_html
    bad, unclosed = _nasty_run(), _nasty_run(UNCLOSED)
    other = bad.model_copy(deep=True); other.steps = other.steps[::-1]
    for name, obj in (("viewer", bad), ("unclosed", unclosed), ("pair", (bad, other))):
        page, errors, requests, dialogs = _open_attacked(browser, export_html(obj, tmp_path / f"{name}.html"))
        page.wait_for_selector(".mt-step-index" if name != "pair" else ".mt-diff .mt-divnote", timeout=10_000)
        if name != "pair":
            run_, corpus = (bad, NASTY) if name == "viewer" else (unclosed, UNCLOSED)
            text = lambda sel: page.evaluate("s => document.querySelector(s).textContent", sel)
            for k, x in enumerate(corpus):                              # every text shows as it was written
                if k: page.keyboard.press("j")
                assert text(".mt-step .mt-thought") == x
                if k % 3 == 0: assert text(".mt-step .mt-error") == x
            page.keyboard.press("j")
            assert page.locator(".mt-step .mt-md li").count() == len(corpus)     # the answer is markdown: rendered, as text
            page.locator(".mt-step .mt-toggle").last.click()          # the answer as recorded
            assert text(".mt-step pre.mt-answer") == run_.steps[-1].answer
            assert page.locator(".mt-head .mt-title").inner_text().startswith(bad.id)
        structure = page.evaluate("""() => ({pwned: window.pwned === undefined ? null : window.pwned,
            scripts: document.scripts.length, imgs: document.images.length, iframes: document.querySelectorAll('iframe, svg[onload], style:not(head style), base').length,
            handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
            jslinks: [...document.querySelectorAll('a')].filter(a => !/^(https?:|mailto:|#)/.test(a.getAttribute('href') || '')).length,
            title: document.title, hidden: getComputedStyle(document.body).display})""")
        assert structure == {"pwned": None, "scripts": 2, "imgs": 0, "iframes": 0, "handlers": 0, "jslinks": 0,
                             "title": bad.id if name != "pair" else f"{bad.id} vs {bad.id}", "hidden": "block"}, structure
        assert errors == [] and dialogs == [], (errors, dialogs)
        assert all(u.startswith("file://") for u in requests), requests      # the markdown image was not fetched
        page.screenshot(path=str(shots / f"12-adversarial-{name}.png"), full_page=True)
        page.close()

def test_adversarial_text_blanked_the_old_page(browser, tmp_path):
    "The first version's embedding (only `</` escaped), on the corpus without a closing `-->`: the page's own script is swallowed."
    from mirothinker.widgets.export import _page, _page_data
    data = _page_data(_nasty_run(UNCLOSED))
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")        # the old `_page`'s embedding
    tag = '<script type="application/json" id="mt-data">'
    head, rest = _page(data, "t", 2000).split(tag, 1)
    (tmp_path / "old.html").write_text(head + tag + blob + "</script>" + rest.split("</script>", 1)[1], encoding="utf-8")
    page, errors, _, _ = _open_attacked(browser, tmp_path / "old.html")
    page.wait_for_timeout(500)
    assert page.locator(".mt-step-index").count() == 0 and page.evaluate("document.scripts.length") == 1   # the page's script was swallowed
