"""The widgets in a real browser: Voila serves a notebook showing the viewer and the diff, headless Chromium (Playwright) clicks
through them; then the exported HTML page is opened from disk. Screenshots go to $MIROTHINKER_ARTIFACTS (or the pytest tmp dir).

Uses what `.ci/run` installs: Debian `chromium` at /usr/bin/chromium, `voila`, `playwright` (never its own browser download)."""
import json, os, signal, socket, subprocess, sys, time, urllib.request
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

# The notebook Voila serves: two short runs of a lookup task by the scripted agent (K = 3 results kept), the second one
# asks for key2 twice and answers differently. Built at serve time, so the page shows real Agent runs.
FIXTURE = [
    """from mirothinker.widgets import TrajectoryViewer, TrajectoryDiff
from mirothinker.loop.agent import Agent
from mirothinker.models.base import ScriptedModel
from mirothinker.loop.parsing import format_call
from mirothinker.tools.base import FunctionTool
from mirothinker.record.schema import Task
def lookup(key: str):  # the key to look up
    "Look up a key."
    return f"value of {key} is {len(key) * 7}"
look = FunctionTool(lookup, server="kv")
script = [f"<think>I need key{k}.</think>\\n" + format_call("lookup", {"key": f"key{k}"}, "kv") for k in range(9)] + ["The answer is \\\\boxed{63}."]
script2 = script[:3] + [script[2]] + script[3:9] + ["The answer is \\\\boxed{64}."]
task = Task(id="kv", question="Sum the keys.", reference="63")
run = Agent(ScriptedModel(script), [look], keep_k=3).run(task)
run2 = Agent(ScriptedModel(script2), [look], keep_k=3, dedupe="all").run(task)""",
    "TrajectoryViewer(run)",
    "TrajectoryDiff(run, run2)",
]

def _fixture_runs():
    "The same runs, built in the test process (for the exported pages)."
    ns = {}
    exec(FIXTURE[0], ns)
    return ns["run"], ns["run2"]

@pytest.fixture
def shots(tmp_path):
    d = Path(os.environ.get("MIROTHINKER_ARTIFACTS") or tmp_path) / "widget-screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

@pytest.fixture
def voila(tmp_path):
    "Voila serving the fixture notebook on loopback; yields its URL, stopped afterwards."
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in FIXTURE]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "viewer_fixture.ipynb"
    nbformat.write(nb, path)
    port = _free_port()
    log = open(tmp_path / "voila.log", "w")
    p = subprocess.Popen([sys.executable, "-m", "voila", path.name, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
                         cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 30
        while True:
            try: urllib.request.urlopen(url, timeout=2); break
            except Exception:
                if p.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"voila did not start: {(tmp_path / 'voila.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield url
    finally:
        try: os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError: pass
        try: p.wait(10)
        except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait(5)
        log.close()

@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try: yield b
        finally: b.close()

def _text(page, sel) -> str: return page.locator(sel).first.inner_text()

def test_viewer_and_diff_in_voila(voila, browser, shots):
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.goto(voila, timeout=60_000)
    viewer, diff = ".mt-viewer", ".mt-diff"
    page.wait_for_selector(f"{viewer} .mt-step-index", timeout=60_000)
    assert _text(page, f"{viewer} .mt-step-index") == "Step 0"
    assert "key0" in _text(page, f"{viewer} .mt-args")
    page.screenshot(path=str(shots / "01-viewer.png"), full_page=True)
    # next: the kernel answers with step 1's payload
    page.click(f"{viewer} .mt-next")
    page.wait_for_function("document.querySelector('.mt-viewer .mt-step-index').textContent === 'Step 1'", timeout=15_000)
    assert "key1" in _text(page, f"{viewer} .mt-args")
    assert "step 1 of 9" in _text(page, f"{viewer} .mt-pos")
    # jump to step 8 and switch to what the model saw: results of steps 0-4 were hidden by retention (K = 3)
    page.fill(f"{viewer} .mt-jump", "8"); page.press(f"{viewer} .mt-jump", "Enter")
    page.wait_for_function("document.querySelector('.mt-viewer .mt-step-index').textContent === 'Step 8'", timeout=15_000)
    # The button redraws at once with the step's payload in hand; the counts come with the `seen` payload the kernel sends
    # next. Wait for that payload (the note's counts), not for the list, which the first drawing already shows.
    page.click(f"{viewer} .mt-seen-btn")
    page.wait_for_function("(document.querySelector('.mt-viewer .mt-seen-note') || {}).textContent?.includes('3 of 8 tool results')", timeout=15_000)
    assert "steps 0-4: results omitted (5)" in _text(page, f"{viewer} .mt-ctx.mt-hidden")
    page.screenshot(path=str(shots / "02-viewer-seen.png"), full_page=True)
    # search: the filter runs in the kernel, the matching step is shown
    page.fill(f"{viewer} .mt-search", "key5")
    page.wait_for_function("document.querySelector('.mt-viewer .mt-count').textContent.startsWith('1 of 10')", timeout=15_000)
    page.wait_for_function("document.querySelector('.mt-viewer .mt-step-index').textContent === 'Step 5'", timeout=15_000)
    # the diff: first divergence marked at row 3 (run 2 repeats key2); clicking the last row shows both answers
    page.wait_for_selector(f"{diff} .mt-divnote", timeout=30_000)
    assert "First divergence at row 3" in _text(page, f"{diff} .mt-divnote")
    assert page.locator(f"{diff} .mt-drow.mt-div").count() == 1
    # Wait for the answers in the two step panels (`.mt-step`): the runs' headers above show the answers `63` and `64` from
    # the start, so waiting for any `.mt-answer` with `64` would not wait for the kernel at all.
    page.locator(f"{diff} .mt-drow").last.click()
    page.wait_for_function("[...document.querySelectorAll('.mt-diff .mt-step .mt-answer')].map(e => e.textContent).join('|') === '63|64'", timeout=15_000)
    answers = [e.inner_text() for e in page.locator(f"{diff} .mt-step .mt-answer").all()]
    assert answers == ["63", "64"], answers
    page.locator(f"{diff}").screenshot(path=str(shots / "03-diff.png"))

def test_exported_pages_offline(browser, shots, tmp_path):
    from mirothinker.widgets.export import export_html
    run, run2 = _fixture_runs()
    one, pair = export_html(run, tmp_path / "run.html"), export_html((run, run2), tmp_path / "pair.html")
    page = browser.new_page(viewport={"width": 1200, "height": 1200})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(one.as_uri())
    page.wait_for_selector(".mt-viewer .mt-step-index")
    assert _text(page, ".mt-step-index") == "Step 0"
    assert run.id in _text(page, ".mt-title") and "Sum the keys." in _text(page, ".mt-head")
    page.click(".mt-next")
    assert _text(page, ".mt-step-index") == "Step 1"
    page.fill(".mt-search", "key6")
    page.wait_for_function("document.querySelector('.mt-step-index').textContent === 'Step 6'", timeout=5_000)
    page.click(".mt-seen-btn")
    assert "steps 0-2: results omitted (3)" in _text(page, ".mt-ctx.mt-hidden")
    page.screenshot(path=str(shots / "04-page.png"), full_page=True)
    page.goto(pair.as_uri())
    page.wait_for_selector(".mt-diff .mt-divnote")
    assert "First divergence at row 3" in _text(page, ".mt-divnote")
    assert "Duplicate query" in _text(page, ".mt-diff .mt-error")      # row 3 is shown: run 2's refused repeat
    page.screenshot(path=str(shots / "05-page-pair.png"), full_page=True)
    assert all(u.startswith("file://") for u in requests), requests  # nothing fetched from the network
