"""`mirothinker study` through the installed command: a grid on freshly generated tasks, its table and results files,
resuming, and bad input stopped before any work.

The synthweb oracle gives a grid whose every figure is known from the tasks alone (accuracy at budget b: the share of
questions of at most b hops); the embedded SmolLM2 runs a small lookup_chain grid for real, its figures checked against
the run files it wrote."""
import csv, json, shutil, subprocess, time
from pathlib import Path

import pytest

from mirothinker.record.files import read_jsonl
from mirothinker.tasks.synthweb import synthweb_tasks

EXE = shutil.which("mirothinker")


def study(*args, out: Path):
    return subprocess.run([EXE, "study", *args, "--out", str(out), "--no-progress"], capture_output=True, text=True, timeout=900)


def _files_agree(out: Path, rows: list[dict]):
    "results.csv holds the rows of results.json."
    with open(out / "results.csv") as f:
        got = [{k: type(rows[0][k])(v) for k, v in r.items()} for r in csv.DictReader(f)]
    assert got == rows


def test_oracle_grid_on_new_questions(tmp_path):
    out, seed = tmp_path / "web", 11                     # questions drawn by a seed the project never shipped
    args = ["synthweb", "--tasks", "12", "--task-seed", str(seed), "--depth", "4", "--budgets", "4", "0", "2", "1",
            "--model", "synthweb-oracle"]
    r = study(*args, out=out)
    assert r.returncode == 0, r.stderr
    rows = json.loads((out / "results.json").read_text())
    hops = [t.metadata["hops"] for t in synthweb_tasks(12, max_hops=4, seed=seed)]
    assert [(x["model"], x["budget"], x["n"]) for x in rows] == [("synthweb-oracle", b, 12) for b in (0, 1, 2, 4)]
    assert [x["accuracy"] for x in rows] == [round(sum(h <= b for h in hops) / 12, 4) for b in (0, 1, 2, 4)]
    assert all(0 <= x["tool_calls"] <= x["budget"] for x in rows)
    _files_agree(out, rows)
    table = r.stdout.splitlines()
    assert table[1].split() == ["model", "budget", "accuracy", "n", "tool_calls"]
    assert [l.split()[:3] for l in table[2:6]] == [["synthweb-oracle", str(x["budget"]), f"{x['accuracy']:.3f}"] for x in rows]

    # resumes: a second call does no run again; a run file taken away is done again, and only it
    files = sorted(out.glob("runs/*/*.jsonl"))
    assert len(files) == 48
    before = {f: f.stat().st_mtime_ns for f in files}
    gone = files[7]; gone.unlink(); del before[gone]
    r2 = study(*args, out=out)
    assert r2.returncode == 0, r2.stderr
    assert {f: f.stat().st_mtime_ns for f in before} == before and gone.exists() and len(read_jsonl(gone)) == 1
    assert json.loads((out / "results.json").read_text()) == rows


def test_embedded_model_grid(tmp_path):
    out = tmp_path / "lookup"
    r = study("lookup_chain", "--tasks", "1", "--task-seed", "123", "--depth", "1", "--budgets", "0", "1", "--model", "smollm2-135m",
              out=out)
    assert r.returncode == 0, r.stderr
    rows = json.loads((out / "results.json").read_text())
    assert [(x["model"], x["budget"], x["n"]) for x in rows] == [("smollm2-135m", 0, 1), ("smollm2-135m", 1, 1)]
    _files_agree(out, rows)
    for x in rows:                                      # the figures are those of the run files
        runs = [read_jsonl(f)[-1] for f in sorted(out.glob(f"runs/smollm2-135m__b{x['budget']}__*/*.jsonl"))]
        assert len(runs) == 1 and all(t.model.name == "smollm2-135m" and t.steps for t in runs)
        assert x["accuracy"] == float(runs[0].outcome.verdict == "CORRECT")
        assert x["tool_calls"] == runs[0].n_calls <= x["budget"]


@pytest.mark.parametrize("args, message", [
    (["chess"], "unknown suite 'chess'; known: lookup_chain, synthweb, running_total, dict_sum"),
    (["lookup_chain", "--model", "smollm2-135m", "--model", "gpt-7"], "unknown model 'gpt-7'; known: smollm2-135m"),
    (["lookup_chain", "--budgets", "4", "-1"], "budgets must be at least 0, got -1"),
    (["running_total", "--tasks", "0"], "--tasks must be at least 1, got 0"),
    (["synthweb", "--tool"], "--tool: synthweb has no tool variant"),
    (["dict_sum", "--model", "synthweb-oracle"], "synthweb-oracle answers synthweb questions only, not dict_sum"),
    (["synthweb", "--concurrency", "4"], "--concurrency is for Ray workers: give --ray too"),
])
def test_bad_input_stops_before_any_work(tmp_path, args, message):
    out = tmp_path / "never"
    r = study(*args, out=out)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not out.exists()


def test_a_folder_of_other_tasks_is_refused(tmp_path):
    out = tmp_path / "web"
    assert study("synthweb", "--tasks", "2", "--budgets", "1", "--model", "synthweb-oracle", out=out).returncode == 0
    spec = json.loads((out / "study.json").read_text())
    first = next(iter(spec["tasks"]))
    spec["tasks"][first] = "0" * 16                      # the folder says it ran another task under this id
    (out / "study.json").write_text(json.dumps(spec))
    r = study("synthweb", "--tasks", "2", "--budgets", "1", "--model", "synthweb-oracle", out=out)
    assert r.returncode == 2 and "differ from the ones this folder was run with" in r.stderr and "Traceback" not in r.stderr


def test_a_ray_address_where_nothing_listens(tmp_path):
    "Said at once (Ray itself would keep trying for minutes), before the folder is made."
    out = tmp_path / "never"
    t0 = time.monotonic()
    r = study("synthweb", "--tasks", "2", "--model", "synthweb-oracle", "--ray", "127.0.0.1:1", out=out)
    assert r.returncode == 2 and "Traceback" not in r.stderr and not out.exists(), r.stderr
    try:
        import ray  # noqa: F401
        assert "no Ray cluster at 127.0.0.1:1: nothing listens there" in r.stderr and time.monotonic() - t0 < 60
    except ImportError:
        assert "needs Ray: pip install ray" in r.stderr
