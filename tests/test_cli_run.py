"""`mirothinker run` as a new user runs it: the installed command, the embedded model, the real Python sandbox."""
import shutil, subprocess

from mirothinker.record.files import read_jsonl


def test_run_answers_with_the_python_tool(tmp_path):
    exe = shutil.which("mirothinker")
    assert exe, "the mirothinker command is not installed"
    out = tmp_path / "run.jsonl"
    r = subprocess.run([exe, "run", "What is 23 * 47?", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "run_python_code" in r.stdout and "answer: 1081" in r.stdout, r.stdout
    t = read_jsonl(out)[0]
    assert t.outcome.status == "success" and t.outcome.answer == "1081"
    assert t.calls[0].tool == "run_python_code" and t.steps[0].observation.content.strip().endswith("1081")
    assert t.model.backend == "embedded"


def test_run_without_a_question_is_refused():
    r = subprocess.run([shutil.which("mirothinker"), "run"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "give a question" in r.stderr
