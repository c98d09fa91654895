"""`mirothinker view` as a user runs it: one self-contained page for a trajectory or a pair; bad input gives a clear error."""
import json, re

from test_cli import TRACES, run     # the installed command, as a user runs it

def data(page: str) -> dict:
    blob = re.search(r'<script type="application/json" id="mt-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(blob.replace("<\\/", "</"))

def test_view_pair_writes_one_page(tmp_path):
    src = TRACES / "miroeval_mirothinker17_multimodal.json"
    r = run("view", str(src), "--run", "miroeval-72", "--vs", "2", "-o", str(tmp_path / "pair.html"))
    assert r.returncode == 0, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["pair.html"]
    page = (tmp_path / "pair.html").read_text()
    d = data(page)
    assert d["kind"] == "diff" and d["header"]["a"]["id"] == "miroeval-72" and len(d["a"]) == 78
    assert len(page.encode()) < 2_000_000 and "<script src" not in page and "<link" not in page
    assert "wrote" in r.stdout and "miroeval-72 vs" in r.stdout

def test_view_two_files_and_default_name(tmp_path):
    a, b = TRACES / "tasklog_constructed.json", TRACES / "miroflow_message_history.json"
    r = run("view", str(a), str(b), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert data((tmp_path / "tasklog_constructed.html").read_text())["kind"] == "diff"

def test_view_bad_path_is_a_clear_error(tmp_path):
    r = run("view", str(tmp_path / "nope.json"), "-o", str(tmp_path / "x.html"))
    assert r.returncode == 2
    assert "nope.json" in r.stderr and "no such file" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.html").exists()
    r = run("view", str(TRACES / "tasklog_constructed.json"), "--run", "7", "-o", str(tmp_path / "x.html"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "tasklog_constructed.json" in r.stderr and "no run '7'" in r.stderr and "holds 1 run(s)" in r.stderr   # says what the file has
    r = run("view", str(TRACES / "tasklog_constructed.json"), "-o", str(tmp_path / "x.txt"))
    assert r.returncode != 0 and "must end in .html" in r.stderr and "Traceback" not in r.stderr
