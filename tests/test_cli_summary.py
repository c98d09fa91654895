"""`mirothinker summary STUDY_DIR` prints accuracy by cell, and the CLI's numbers agree with the study's: a real study of the
scripted synthweb oracle (budgets 0, 1, 2; under a second), read by the installed command."""
import json, re, shutil

import pytest

from test_cli import run     # the installed command, as a user runs it


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from mirothinker.studies.solvers import OracleModel
    from mirothinker.studies.study import Study
    from mirothinker.tasks.synthweb import synthweb_tasks
    web = synthweb_tasks()[:6]
    st = Study(tmp_path_factory.mktemp("studies") / "oracle", web, {"oracle": OracleModel(web)}, budgets=(0, 1, 2))
    st.run(progress=False)
    return st


def _rows(text: str) -> dict[str, list[str]]:
    return {l.split()[0]: l.split() for l in text.splitlines() if l.strip().startswith("oracle__")}


def test_summary_of_a_study_folder_prints_accuracy_by_cell(study):
    r = run("summary", str(study.path))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert "3 cells x 6 tasks x 1 seed = 18 runs planned, 18 on disk" in r.stdout
    m, rows = study.metrics().set_index("cell.budget"), _rows(r.stdout)
    assert len(rows) == 3
    for b in (0, 1, 2):
        row = rows[f"oracle__b{b}__k5__sliding"]
        assert row[1:5] == ["6/6", "6", f"{100 * m.loc[b, 'avg']:.1f}%", f"±{196 * m.loc[b, 'se']:.1f}"]
        assert float(row[5]) == round(m.loc[b, "tool_calls"], 2)
    assert rows["oracle__b0__k5__sliding"][3] == "0.0%" and float(rows["oracle__b2__k5__sliding"][3][:-1]) > 0
    # one cell's folder read as traces: the same accuracy, with its Wilson interval, and the statuses apart from it
    r = run("summary", str(study.path / "runs" / "oracle__b2__k5__sliding"))
    k = int(round(6 * m.loc[2, "avg"]))
    assert f"accuracy {k} of 6 scored runs = {100 * k / 6:.1f}%" in r.stdout
    assert "how the runs ended (status from mirothinker's agent; not a verdict)" in r.stdout
    assert r.stderr == ""                                          # a folder is read without a progress bar


def test_summary_of_a_folder_of_studies_and_a_cut_study(study, tmp_path):
    r = run("summary", str(study.path.parent))                  # what `reproduce --study-dir` keeps: a folder of studies
    assert r.returncode == 0 and f"study oracle ({study.path})" in r.stdout
    # a cell with an unreadable run and a missing one: counted, named, not fatal
    cut = tmp_path / "cut"; shutil.copytree(study.path, cut)
    files = sorted((cut / "runs" / "oracle__b2__k5__sliding").glob("*.jsonl"))
    files[0].write_text('{"type": "trajectory", "id": 5}\n{"type": "step"}\n'); files[1].unlink()
    r = run("summary", str(cut))
    assert r.returncode == 0, r.stderr
    assert "18 runs planned, 16 on disk, 1 unreadable file" in r.stdout
    assert f"unreadable: {files[0]}, line 1, field 'id'" in r.stdout
    assert _rows(r.stdout)["oracle__b2__k5__sliding"][1] == "4/6"


def test_budget_zero_calls_agree_in_show_view_and_summary(study, tmp_path):
    """At budget 0 the oracle's call is refused: no call ran. `show`, `view` and `summary` say 0, as the study does."""
    f = next((study.path / "runs" / "oracle__b0__k5__sliding").glob("*.jsonl"))
    from mirothinker.record.files import read_jsonl
    t = read_jsonl(f)[-1]
    assert len(t.calls) == 1 and t.n_calls == 0                    # one call written, refused
    head = run("show", str(f)).stdout.splitlines()[0]
    assert head.endswith("calls 0"), head
    run("view", str(f), "-o", str(tmp_path / "b0.html"))
    blob = re.search(r'<script type="application/json" id="mt-data">(.*?)</script>', (tmp_path / "b0.html").read_text(), re.S).group(1)
    assert "0 tool calls" in json.loads(blob.replace("<\\/", "</"))["header"]["info"]
    s = run("summary", str(f)).stdout
    assert "0 tool calls that ran (1 call refused or over the budget)" in s and "calls per tool: none" in s
    assert _rows(run("summary", str(study.path)).stdout)["oracle__b0__k5__sliding"][5] == "0.00"
