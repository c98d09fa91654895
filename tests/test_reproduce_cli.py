"""`mirothinker reproduce --quick` from the installed command, with the shipped adapters: it writes every figure (readable
PNG and SVG) and the report, prints the summary by phase; run again it reuses the stored studies; bad input stops before any
work with a clear message."""
import json, subprocess, sys, time
from pathlib import Path

import matplotlib.image as mpimg

FIGURES = ["horizon_curves", "published_sizes", "published_sft_vs_rl", "published_context_management", "published_versions",
           "published_budgets", "lookup_chain_budget", "synthweb_budget", "calls_by_phase", "sft_vs_rl", "running_total_turns"]


def _run(*args, timeout=900):
    return subprocess.run(["mirothinker", "reproduce", *args], capture_output=True, text=True, timeout=timeout)


def test_reproduce_quick_writes_figures_and_report(tmp_path):
    out, study = tmp_path / "figures", tmp_path / "study"
    t0 = time.time()
    r = _run("--quick", "--out", str(out), "--study-dir", str(study), "--no-progress")
    first = time.time() - t0
    assert r.returncode == 0, r.stderr[-3000:]
    for name in FIGURES:
        png, svg = out / f"{name}.png", out / f"{name}.svg"
        img = mpimg.imread(png)
        assert img.shape[0] > 300 and img.shape[1] > 500, (name, img.shape)     # a real figure, not an empty canvas
        assert img.std() > 0.02, name                                            # something is drawn on it
        assert svg.read_text().lstrip().startswith("<?xml") and "</svg>" in svg.read_text()
    report = (out / "reproduce_report.md").read_text()
    for section in ("## Analytic horizons", "## Published results", "## Goals", "## lookup_chain", "## synthweb", "## Tool calls",
                    "## SFT against RL", "## running_total", "## Time"):
        assert section in report
    # the summary table: a row per study, phase (in training order) and budget; nothing answers at budget 0 on lookup_chain
    rows = [l.split() for l in r.stdout.splitlines() if l.strip().startswith(("lookup_chain", "synthweb"))]
    lookup = [x for x in rows if x[0] == "lookup_chain"]
    assert [x[1] for x in lookup][::4] == ["base", "sft", "dpo", "rl"] and len(lookup) == 16, r.stdout[-2000:]
    assert all(float(x[4]) == 0.0 for x in lookup if x[2] == "0")
    # again: every run is stored, nothing is run twice
    t0 = time.time()
    r2 = _run("--quick", "--out", str(out), "--study-dir", str(study), "--no-progress")
    assert r2.returncode == 0, r2.stderr[-3000:]
    assert time.time() - t0 < first / 2
    assert all(len(p.read_text().splitlines()) > 0 for p in study.glob("*/runs/*/*.jsonl"))


def test_reproduce_bad_input_stops_before_work(tmp_path):
    out = tmp_path / "figures"
    r = _run("--quick", "--out", str(out), "--model", str(tmp_path / "no-such-model"))
    assert r.returncode != 0 and "no such model directory" in r.stderr and not out.exists()
    r = _run("--quick", "--out", str(out), "--workers", "0")
    assert r.returncode != 0 and "--workers must be at least 1" in r.stderr and not out.exists()
    r = _run("--quick", "--frobnicate")
    assert r.returncode == 2 and "unrecognized arguments: --frobnicate" in r.stderr
    study = tmp_path / "study"
    (study / "lookup_chain").mkdir(parents=True)
    (study / "lookup_chain" / "study.json").write_text(json.dumps({"format": 999, "tasks": {}}))
    r = _run("--quick", "--out", str(out), "--study-dir", str(study), "--no-progress")
    assert r.returncode == 2 and "another version of the study format" in r.stderr
