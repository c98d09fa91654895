"""`mirothinker view` and `mirothinker compare` as a user runs them: one self-contained page for a trajectory, a pair, or many runs
compared task by task; bad input gives a clear error."""
import json, re

from test_cli import TRACES, run     # the installed command, as a user runs it

def data(page: str) -> dict:
    blob = re.search(r'<script type="application/json" id="mt-data">(.*?)</script>', page, re.S).group(1)
    assert not set("<>&") & set(blob)               # every <, > and & of the data is a \u escape: no text can end the script
    return json.loads(blob)

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
    assert "tasklog_constructed.json" in r.stderr and "no run '7'" in r.stderr and "holds 1 run, position 0" in r.stderr   # says what the file has
    r = run("view", str(TRACES / "tasklog_constructed.json"), "-o", str(tmp_path / "x.txt"))
    assert r.returncode != 0 and "must end in .html" in r.stderr and "Traceback" not in r.stderr


def _study(folder):
    "A real study: six synthweb questions, the scripted oracle and a model that guesses, budgets 1 and 4."
    from mirothinker.models.base import ScriptedModel
    from mirothinker.studies.solvers import OracleModel
    from mirothinker.studies.study import Study
    from mirothinker.tasks.synthweb import synthweb_tasks
    web = synthweb_tasks()[:6]
    return Study(folder, web, {"oracle": OracleModel(web), "guess": ScriptedModel([], name="guess", default="The answer is \\boxed{0}.")},
                 budgets=(1, 4)).run(progress=False)

def test_compare_a_study(tmp_path):
    res = _study(tmp_path / "study")
    r = run("compare", str(tmp_path / "study"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "6 tasks x 4 cells, 24 runs; columns differ in model, budget"
    right = res.groupby(["cell.model", "cell.budget"])["correct"].sum()           # the study's own scoring
    for line in lines[2:6]:
        m = re.match(r"model (\w+) · budget (\d+)\s+(\d+)\s+(\d+)", line)
        assert int(m.group(3)) == 6 and int(m.group(4)) == right[(m.group(1), int(m.group(2)))], line
    page = tmp_path / "study-compare.html"                                       # the default name, here
    d = data(page.read_text())
    assert (d["kind"], len(d["rows"]), len(d["columns"]), len(d["runs"])) == ("compare", 6, 4, 24)
    assert "<script src" not in page.read_text() and f"wrote {page.name}" in r.stdout

def test_compare_trace_files_without_verdicts(tmp_path):
    r = run("compare", str(TRACES / "miroeval_mirothinker17_multimodal.json"), "--no-page", "--tasks", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "30 tasks x 1 cells, 30 runs" in r.stdout and "no verdicts" in r.stdout and "0%" not in r.stdout
    grid = [l.split()[0] for l in r.stdout.splitlines() if re.match(r"^\d+\s+\?", l)]
    assert grid == [str(k) for k in range(71, 101)]                              # tasks in natural order: 100 last
    assert list(tmp_path.iterdir()) == []

def test_compare_bad_input(tmp_path):
    for args, want in [((str(tmp_path / "nope"),), "no such file or folder"), ((str(TRACES / "tasklog_constructed.json"), "--by", "size"), "the dimensions are"),
                       ((str(TRACES / "tasklog_constructed.json"), "-o", str(tmp_path / "x.txt")), "must end in .html")]:
        r = run("compare", *args, cwd=tmp_path)
        assert r.returncode == 2 and want in r.stderr and "Traceback" not in r.stderr, r.stderr
    (tmp_path / "bad.json").write_text("{not json")
    r = run("compare", str(tmp_path / "bad.json"), cwd=tmp_path)
    assert r.returncode == 2 and "bad.json" in r.stderr and "Traceback" not in r.stderr, r.stderr
