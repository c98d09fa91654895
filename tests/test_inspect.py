"""Inspect AI logs in and out (issue 17), with logs that Inspect itself writes.

`tests/data/inspect_task.py` runs a small Inspect task offline (its mock model, a real `add` tool, a message limit) and
writes the log as `.eval` and as `.json`; we import both, export our own runs (the bundled traces, and a study folder
that a real `Study` writes), read them back with `inspect_ai.log.read_eval_log`, and open one in `inspect view` in
Chromium (Playwright), checking what the page shows. Set MIROTHINKER_SHOTS to a folder to keep the screenshot.
"""
from __future__ import annotations
import json, os, shutil, socket, subprocess, sys, time
from pathlib import Path

import pytest

il = pytest.importorskip("inspect_ai.log", reason="inspect-ai is an optional dependency")

from mirothinker.importers.inspect_ai_logs import read_inspect, to_eval_log, write_inspect, write_study_inspect
from mirothinker.importers.loading import load, sample
from mirothinker.record.files import data_file, read_jsonl
from mirothinker.record.schema import TrajectoryError

TASK = Path(__file__).parent / "data" / "inspect_task.py"
MIROTHINKER = shutil.which("mirothinker")

@pytest.fixture(scope="module")
def inspect_logs(tmp_path_factory):
    "The task's log, written by Inspect as `.eval` and as `.json` (two runs of the task)."
    d = tmp_path_factory.mktemp("inspect")
    out = {}
    for fmt in ("eval", "json"):
        r = subprocess.run([sys.executable, str(TASK), str(d), fmt], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-3000:]
        out[fmt] = Path(r.stdout.split()[-1])
    return out

@pytest.mark.parametrize("fmt", ["eval", "json"])
def test_import_what_inspect_wrote(inspect_logs, fmt):
    "Every sample is a trajectory: messages, calls and results, tokens and times, model, verdict, limits as the policy."
    count, total = load(inspect_logs[fmt], progress=False)            # format detected by `load`
    assert [t.task.id for t in (count, total)] == ["count", "sum"]
    c = total.steps[0]
    assert (c.tool_call.tool, c.tool_call.arguments, c.observation.content, c.observation.duration > 0) == ("add", {"x": 2, "y": 3}, "5", True)
    assert [(s.tokens_in, s.tokens_out) for s in total.steps] == [(40, 7), (80, 7)]      # the mock model's own usage, per call
    assert all(s.latency is not None for s in total.steps)
    assert (total.outcome.status, total.outcome.verdict, total.outcome.judge, total.task.reference) == ("success", "CORRECT", "includes", "5")
    assert (total.model.name, total.system_prompts["main"]) == ("mockllm/model", "You add numbers with the add tool.")
    assert (count.outcome.status, count.outcome.verdict, count.n_calls) == ("step_limit", "INCORRECT", 3)
    assert count.outcome.end_reason.startswith("Inspect's message limit (8) ended the sample")
    assert count.policy.model_dump()["message_limit"] == 8 and total.policy.dialect == "openai"

def test_eval_and_json_read_alike(inspect_logs):
    "The same task logged in both formats reads as the same runs (ids and times aside)."
    def core(t): return [(s.text, s.tool_call and s.tool_call.model_dump(exclude={"id"}), s.observation and s.observation.content, s.tokens_in)
                         for s in t.steps] + [t.outcome.status, t.outcome.verdict]
    a, b = read_inspect(inspect_logs["eval"]), read_inspect(inspect_logs["json"])
    assert [core(t) for t in a] == [core(t) for t in b]

def test_ours_out_and_back(tmp_path):
    "Our runs written as `.eval` and `.json` are read by Inspect's reader, show Inspect's view of them, and come back the same."
    runs = list(sample("tasklog")) + list(sample("miroflow")) + list(sample("miroeval"))[:5]
    for fmt in ("eval", "json"):
        p = write_inspect(runs, tmp_path / f"ours.{fmt}")
        log = il.read_eval_log(str(p))
        assert log.status == "success" and len(log.samples) == len(runs)
        s = next(x for x in log.samples if x.id == runs[0].task.id)
        assert (s.target, s.scores["llm_as_judge"].value, s.messages[0].role, s.messages[1].text) == ("2599", "C", "system", runs[0].task.question)
        calls = [c for m in s.messages if m.role == "assistant" for c in m.tool_calls or []]
        assert [c.arguments for c in calls] == [st.tool_call.arguments for st in runs[0].steps if st.agent == "main" and st.tool_call]
        back = {t.id: t for t in read_inspect(p)}
        for t in runs: assert back[t.id].model_dump() == t.model_dump()

def test_study_folder_as_logs(tmp_path):
    "A study folder written by a real `Study` becomes one log per cell, seeds as epochs, and reads back as its runs."
    from mirothinker.studies.solvers import OracleModel
    from mirothinker.studies.study import Study
    from mirothinker.tasks.synthweb import synthweb_tasks
    tasks = [t for t in synthweb_tasks() if t.metadata["hops"] <= 3][:3]
    folder = tmp_path / "study"
    Study(folder, tasks, {"oracle": OracleModel(tasks)}, budgets=(0, 4), seeds=(0, 1)).run(progress=False)
    logs = write_study_inspect(folder, tmp_path / "logs")
    assert len(logs) == 2
    for p in logs:
        log = il.read_eval_log(str(p))
        cell = folder / "runs" / p.stem.split("--", 1)[1]
        runs = {(t.task.id, t.id): t for f in cell.glob("*.jsonl") for t in read_jsonl(f)}
        assert sorted((s.id, s.epoch) for s in log.samples) == sorted((t.id, e) for t in tasks for e in (1, 2))
        verdicts = {r.id: r.outcome.verdict for r in runs.values()}
        letters = {"C": "CORRECT", "I": "INCORRECT", "N": "NOT_ATTEMPTED", "P": "PARTIAL"}
        assert all(letters[next(iter(s.scores.values())).value] == verdicts[s.metadata["mirothinker"]["run"]["id"]] for s in log.samples)
        assert {t.id: t.model_dump() for t in read_inspect(p)} == {t.id: t.model_dump() for t in runs.values()}
    with pytest.raises(TrajectoryError, match="not a study folder"): write_study_inspect(tmp_path, tmp_path / "x")

@pytest.mark.skipif(MIROTHINKER is None, reason="the mirothinker command is not installed")
def test_cli_convert_to_eval(tmp_path):
    "`mirothinker convert TRACE out.eval` writes a log Inspect reads; the command reads it back."
    out = tmp_path / "t.eval"
    r = subprocess.run([MIROTHINKER, "convert", str(data_file("traces/tasklog_constructed.json")), str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert [s.id for s in il.read_eval_log(str(out)).samples] == ["example-0001"]
    r = subprocess.run([MIROTHINKER, "show", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "2599" in r.stdout, r.stderr

def test_bad_logs(tmp_path, inspect_logs):
    "What Inspect's reader cannot read is a clear error naming the file (and the field); the command exits 2 with one line."
    (tmp_path / "zip.eval").write_bytes(b"PK\x03\x04 not really a zip")
    d = json.loads(inspect_logs["json"].read_text()); d["samples"][0]["messages"][1]["role"] = 5
    (tmp_path / "role.json").write_text(json.dumps(d))
    cut = inspect_logs["eval"].read_bytes(); (tmp_path / "cut.eval").write_bytes(cut[:len(cut) // 2])
    for name, where in [("zip.eval", "zip.eval: not a log Inspect AI can read"), ("role.json", "role.json, field 'samples[0].messages[1]"),
                        ("cut.eval", "cut.eval: not a log Inspect AI can read")]:
        with pytest.raises(TrajectoryError) as e: load(tmp_path / name)
        assert where in str(e.value), str(e.value)
        if MIROTHINKER:
            r = subprocess.run([MIROTHINKER, "summary", str(tmp_path / name)], capture_output=True, text=True, timeout=300)
            assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and where in r.stderr, r.stderr

def _free_port() -> int:
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_inspect_view_shows_our_run(tmp_path):
    "`inspect view` serves our exported run; Chromium shows its task, target, answer, score, tool calls and their times."
    pw = pytest.importorskip("playwright.sync_api")
    t = sample("tasklog")[0]
    write_inspect([t], tmp_path / "logs" / "ours.eval")
    port = _free_port()
    server = subprocess.Popen([shutil.which("inspect") or "inspect", "view", "--log-dir", str(tmp_path / "logs"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try: socket.create_connection(("127.0.0.1", port), timeout=1).close(); break
            except OSError: time.sleep(0.3)
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_text("TOOL-GOOGLE-SEARCH-GOOGLE_SEARCH", exact=False).first.wait_for(timeout=60_000)
            shot = tmp_path / "inspect_view.png"; page.screenshot(path=str(shot))
            text = page.inner_text("body")
            browser.close()
        for want in (t.task.question.split("\n")[0], "2599", "qwen/MiroThinker-v1.0-30B", "llm_as_judge", "51 SEC"):
            assert want.lower() in text.lower(), want
        if os.environ.get("MIROTHINKER_SHOTS"): shutil.copy(shot, Path(os.environ["MIROTHINKER_SHOTS"]) / shot.name)
    finally:
        server.terminate()
        try: server.wait(10)
        except subprocess.TimeoutExpired: server.kill(); server.wait()
