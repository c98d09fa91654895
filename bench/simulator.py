"""Benchmark: the vectorised error-compounding simulator (`mirothinker.analysis.simulator.simulate`) on 1,000,000 trajectories of
600 steps, beside a plain Python loop (one trajectory, one step, one `random.random()` at a time) and a per-step numpy
simulation in the same run; each result is checked against the exact curve (`accuracy_curve`).

    python bench/simulator.py              # n = 1,000,000, best of 3, writes its section of bench/results.md
    python bench/simulator.py --quick      # a smoke test: smaller n, one run, writes nothing

Exits with status 1 if a simulated curve is further from the exact one than 5 binomial standard errors at some step.
"""
import argparse, platform, sys, time
from pathlib import Path

import numpy as np

from mirothinker.analysis.simulator import accuracy_curve, max_z, simulate, simulate_loop, simulate_steps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command, write_section

GOAL_S, GOAL_N, TOL_Z = 2.0, 1_000_000, 5.0

def timed(fn):
    "(result, seconds) of one call."
    t0 = time.perf_counter(); out = fn(); return out, time.perf_counter() - t0

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=600, help="steps per trajectory")
    ap.add_argument("--n", type=int, default=GOAL_N, help="trajectories for the vectorised simulator")
    ap.add_argument("--loop-n", type=int, default=2_000, help="trajectories for the plain Python loop (scaled up to --n)")
    ap.add_argument("--steps-n", type=int, default=100_000, help="trajectories for the per-step numpy simulation (scaled up to --n; 0: skip)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the vectorised simulator; the fastest is kept")
    ap.add_argument("--e", type=float, default=0.01, help="per-step error rate")
    ap.add_argument("--d", type=float, default=0.5, help="chance that a tool call reveals an error")
    ap.add_argument("--r", type=float, default=0.8, help="chance that a revealed error is repaired")
    ap.add_argument("--e-after", type=float, default=0.05, help="error rate after a first error")
    ap.add_argument("--budget", type=int, default=None, help="tool calls on the first BUDGET steps (default: every step)")
    ap.add_argument("--quick", action="store_true", help="smoke test: n=100,000, loop n=200, steps n=10,000, one run, no results file")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.n, a.loop_n, a.steps_n, a.repeat, a.no_write = 100_000, 200, 10_000, 1, True
    for name in ("steps", "n", "loop_n", "repeat"):
        if getattr(a, name) < 1: ap.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(a, name)}")
    p = dict(d=a.d, r=a.r, e_after=a.e_after, budget=a.budget)
    exact = accuracy_curve(a.steps, a.e, **p)                     # also checks the parameters, naming a bad one

    runs = [timed(lambda s=s: simulate(a.steps, a.e, **p, n=a.n, seed=s)) for s in range(a.repeat)]
    vec_s = min(t for _, t in runs)
    vec_z = max(max_z(curve, exact, a.n) for curve, _ in runs)
    loop, loop_s = timed(lambda: simulate_loop(a.steps, a.e, **p, n=a.loop_n, seed=0))
    loop_z, loop_scaled = max_z(loop, exact, a.loop_n), loop_s / a.loop_n * a.n
    if a.steps_n:
        stepw, steps_s = timed(lambda: simulate_steps(a.steps, a.e, **p, n=a.steps_n, seed=0))
        steps_z, steps_scaled = max_z(stepw, exact, a.steps_n), steps_s / a.steps_n * a.n
    speedup = loop_scaled / vec_s
    at_goal = a.n == GOAL_N and a.steps == 600
    met = vec_s < GOAL_S
    ok = vec_z <= TOL_Z and loop_z <= TOL_Z and (not a.steps_n or steps_z <= TOL_Z)

    rows = [f"| `simulate` (events, geometric waits) | {a.n:,} | {vec_s:.3f} (best of {a.repeat}) | {vec_s:.3f} | {vec_z:.2f} |",
            f"| plain Python loop (`random.random()` per step) | {a.loop_n:,} | {loop_s:.3f} | {loop_scaled:.1f} | {loop_z:.2f} |"]
    if a.steps_n:
        rows.append(f"| numpy, one vectorised step at a time | {a.steps_n:,} | {steps_s:.3f} | {steps_scaled:.2f} | {steps_z:.2f} |")
    goal = (f"Goal: {GOAL_N:,} trajectories of 600 steps in under {GOAL_S:g} s: measured {vec_s:.3f} s, **{'met' if met else 'NOT met'}**."
            if at_goal else f"(Not the goal's size, n = {a.n:,} x {a.steps} steps: the {GOAL_S:g} s goal is not judged; {vec_s:.3f} s measured.)")
    lines = [f"## Simulator: {a.n:,} trajectories of {a.steps} steps", "",
             f"Command: `{command('simulator.py', a.quick, f'--repeat {a.repeat}')}`; machine: {platform.machine()}, 2 cores, "
             f"Python {platform.python_version()}, numpy {np.__version__}. Parameters: steps={a.steps}, e={a.e}, d={a.d}, r={a.r}, "
             f"e_after={a.e_after}, budget={a.budget} (calls on {'every step' if a.budget is None else f'the first {a.budget} steps'}).", "",
             f"| simulation | trajectories run | seconds | seconds for {a.n:,} trajectories | largest gap to `accuracy_curve` (binomial SE) |",
             "|---|---:|---:|---:|---:|", *rows, "",
             f"Speed-up of `simulate` over the plain Python loop: {speedup:,.0f}x (the loop's time scaled linearly from {a.loop_n:,} trajectories).", "",
             goal, "",
             f"Agreement with the exact curve (every step within {TOL_Z:g} standard errors + 1/n): **{'yes' if ok else 'NO'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("simulator", text)
    if not ok:
        print(f"FAILED: a simulated curve is more than {TOL_Z:g} standard errors from accuracy_curve", file=sys.stderr)
        sys.exit(1)
    return {"simulate_s": vec_s, "loop_s_scaled": loop_scaled, "speedup": speedup, "goal_met": met if at_goal else None,
            "max_z": vec_z, "loop_max_z": loop_z}

if __name__ == "__main__": main()
