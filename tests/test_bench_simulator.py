"""The simulator benchmark runs end to end (`--quick`), prints its figures, and fails loudly when a simulation is wrong.
Its timings are not asserted: it is not a timed test."""
import runpy, subprocess, sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "simulator.py"

def test_simulator_benchmark_quick():
    p = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    for s in ("`simulate` (events, geometric waits) | 100,000 |", "plain Python loop", "Speed-up of `simulate` over the plain Python loop:",
              "the 2 s goal is not judged", "Agreement with the exact curve (every step within 5 standard errors + 1/n): **yes**"):
        assert s in out, (s, out)

def test_simulator_benchmark_fails_on_a_wrong_curve(capsys):
    bench = runpy.run_path(str(BENCH), run_name="bench_simulator")
    main = bench["main"]
    right = main.__globals__["simulate"]
    main.__globals__["simulate"] = lambda *a, **k: right(*a, **k) - 0.01   # a simulator one point off
    try:
        with pytest.raises(SystemExit) as ex: main(["--quick"])
    finally: main.__globals__["simulate"] = right
    assert ex.value.code == 1
    assert "**NO**" in capsys.readouterr().out

def test_simulator_benchmark_rejects_bad_input():
    p = subprocess.run([sys.executable, str(BENCH), "--quick", "--e", "1.5"], capture_output=True, text=True, timeout=60)
    assert p.returncode != 0 and "e must be a probability in [0, 1]" in p.stderr
