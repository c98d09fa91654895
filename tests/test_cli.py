"""The `mirothinker` command as a user runs it: installed console script, real files."""
import json, shutil, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRACES = ROOT / "data" / "traces"
EXE = shutil.which("mirothinker")

def run(*args, cwd=None):
    cmd = [EXE] if EXE else [sys.executable, "-m", "mirothinker.cli"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=cwd, timeout=300)

def test_console_script_is_installed():
    assert EXE, "the `mirothinker` command is not on PATH: install with `bash scripts/install.sh`"

def test_summary_of_bundled_traces(tmp_path):
    r = run("summary", cwd=tmp_path)                          # works from any directory
    assert r.returncode == 0, r.stderr
    assert "30 trajectories, 1334 steps, 1312 tool calls that ran" in r.stdout
    assert "mean 43.7, median 37.5, min 6, max 136" in r.stdout
    assert "web_search 588" in r.stdout
    assert "1 trajectory, 8 steps, 4 tool calls that ran" in r.stdout     # the TaskLog, sub-agent included
    assert r.stderr == ""                                                  # no progress bar mixed in

def test_convert_round_trip_and_show(tmp_path):
    src = TRACES / "tasklog_constructed.json"
    for out in ["t.jsonl", "t.parquet", "t.messages.jsonl"]:
        r = run("convert", str(src), str(tmp_path / out))
        assert r.returncode == 0, r.stderr
    a, b = run("summary", str(tmp_path / "t.jsonl")), run("summary", str(tmp_path / "t.parquet"))
    assert a.stdout.split("\n", 1)[1] == b.stdout.split("\n", 1)[1]
    msgs = json.loads((tmp_path / "t.messages.jsonl").read_text())["messages"]
    assert msgs[0]["role"] == "system" and msgs[-1]["content"].endswith("\\boxed{2599}")
    r = run("show", str(tmp_path / "t.parquet"), "--run", "0")
    assert "(agent-browsing_1)" in r.stdout and "[51.32s]" in r.stdout

@pytest.mark.parametrize("content,expect", [
    ('{"task_id": "x", "main_agent_message_history": {"message_history": [{"role": "user"}, {"role": "assistant", "content": 5}]}}',
     "field 'main_agent_message_history.message_history[1].content'"),
    ('[{"role": "user", "content": "q"}', "line 1: not valid JSON"),
    ('{"nothing": "here"}', "unrecognised trace format"),
])
def test_bad_file_gives_a_clear_error(tmp_path, content, expect):
    p = tmp_path / "bad.json"; p.write_text(content)
    r = run("summary", str(p))
    assert r.returncode == 2
    assert "bad.json" in r.stderr and expect in r.stderr
    assert "Traceback" not in r.stderr
