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


def test_ctrl_c_keeps_the_steps_and_says_how_to_resume(tmp_path):
    """Ctrl-C (SIGINT to the whole foreground group, as a terminal sends it) after the first step: one line, code 130,
    the finished steps on disk, and the run continues with --resume."""
    import os, signal
    out = tmp_path / "run.jsonl"
    p = subprocess.Popen([shutil.which("mirothinker"), "run", "What is 23 * 47? Check it twice with Python.", "--out", str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    first = p.stdout.readline()                                   # the first step is on disk when it is printed
    os.killpg(p.pid, signal.SIGINT)
    rest, err = p.communicate(timeout=300)
    assert first.startswith("[0] "), (first, err)
    assert p.returncode == 130 and "Traceback" not in err, err
    assert f"interrupted; the steps so far are in {out}: continue with `mirothinker run --resume {out}`" in err
    t = read_jsonl(out)[-1]
    assert t.outcome.status == "incomplete" and len(t.steps) >= 1
    r = subprocess.run([shutil.which("mirothinker"), "run", "--resume", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    t = read_jsonl(out)[-1]
    assert t.outcome.status != "incomplete" and f"trajectory: {out}" in r.stdout


def test_run_without_bubblewrap_stops_before_the_model_loads(tmp_path):
    """No `bwrap` on PATH and no opt-in: `run` says once what to install (or how to opt in) and stops, instead of running an
    agent whose every code call is refused."""
    import os, sys, time
    env = {**os.environ, "PATH": os.path.dirname(sys.executable)}   # the Python's own bin folder: no bwrap in it
    env.pop("MIROTHINKER_SANDBOX", None)
    assert not shutil.which("bwrap", path=env["PATH"])
    t0 = time.time()
    r = subprocess.run([shutil.which("mirothinker"), "run", "What is 2 + 2?", "--out", str(tmp_path / "r.jsonl")],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode != 0 and r.stderr.count("bubblewrap is not usable here") == 1, r.stderr
    assert "MIROTHINKER_SANDBOX=none" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "r.jsonl").exists() and time.time() - t0 < 60   # nothing written, no model loaded
