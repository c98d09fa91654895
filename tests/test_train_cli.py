"""`mirothinker train` (issue 15): a real process killed with SIGKILL mid-phase resumes where it stopped (no step lost or
done twice), and bad input (unknown phase or model, negative minutes, a dataset of another format version, a checkpoint of
another model) stops with a clear message and exit code 2 before any work."""
import json, os, signal, subprocess, sys, time
from pathlib import Path

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def _train(*args, timeout=600):
    return subprocess.run(["mirothinker", "train", *args], capture_output=True, text=True, timeout=timeout, env=ENV)


def test_killed_train_resumes(tmp_path):
    out = tmp_path / "run"
    cmd = ["mirothinker", "train", "--size", "smoke", "--phase", "data", "--phase", "sft", "--out", str(out), "--threads", "1"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    state = out / "sft" / "ckpt" / "state.json"
    deadline = time.time() + 400
    while time.time() < deadline and not (state.exists() and json.loads(state.read_text())["step"] == 1): time.sleep(0.05)
    assert state.exists(), "no checkpoint written"
    p.send_signal(signal.SIGKILL); p.wait()
    first = p.stdout.read()
    assert "sft step 1/2" in first and "sft step 2/2" not in first, first[-2000:]
    assert not (out / "sft" / "done.json").exists()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=ENV)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "data: done earlier" in r.stdout                          # the finished phase is not made again
    assert "sft step 2/2" in r.stdout and "sft step 1/2" not in r.stdout     # resumed after step 1, step 1 not done twice
    log = [json.loads(l) for l in (out / "sft" / "log.jsonl").read_text().splitlines()]
    assert [x["step"] for x in log] == [1, 2]
    meta = json.loads((out / "adapters" / "smollm2-135m-sft" / "mirothinker.json").read_text())
    assert meta["steps"] == 2 and meta["phase"] == "sft"


def test_bad_input_stops_before_work(tmp_path):
    out = tmp_path / "run"
    for args, says in [(["--phase", "ppo"], "unknown phase 'ppo'"), (["--model", "qwen3-8b"], "unknown model 'qwen3-8b'"),
                       (["--minutes", "-1"], "--minutes must be at least 0"), (["--phase", "dpo"], "needs phase 'sft' done first")]:
        t0 = time.time()
        r = _train("--out", str(out), *args)
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert time.time() - t0 < 30 and not out.exists(), args          # nothing loaded, nothing written
    (out / "data").mkdir(parents=True)
    (out / "data" / "meta.json").write_text(json.dumps({"format": 0, "base": "x"}))
    r = _train("--out", str(out), "--size", "smoke")
    assert r.returncode == 2 and "meta.json: field format" in r.stderr, r.stderr
    (out / "data" / "meta.json").unlink()
    (out / "sft" / "ckpt").mkdir(parents=True)
    (out / "sft" / "ckpt" / "state.json").write_text(json.dumps({"step": 3, "made_for": {"phase": "sft", "base": "SmolLM2-360M-Instruct.Q8_0-1"}}))
    r = _train("--out", str(out), "--size", "smoke")
    assert r.returncode == 2 and "state.json: field made_for.base" in r.stderr, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["data", "sft"]      # nothing else was made
