"""Benchmark: 8 trajectories advanced together with one batched `generate_batch` per turn, against the same 8 run one at a
time with `generate`; the embedded model (SmolLM2-135M, CPU), the same prompts, greedy.

    python bench/batch.py                    # 8 trajectories, 3 turns, 48 new tokens per turn; writes bench/results.md
    python bench/batch.py --quick --no-write
"""
import argparse, platform, sys, time
from pathlib import Path

from mirothinker.models import EmbeddedModel, python_tool_prompt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_section

PAIRS = [(58, 36), (91, 14), (67, 82), (45, 29), (73, 61), (26, 94), (88, 17), (39, 55), (64, 43), (19, 77), (52, 68), (97, 31)]


def conversations(n: int) -> list[list[dict]]:
    "`n` different tasks: the Python-tool prompt with a different product each."
    return [python_tool_prompt(f"What is {a} * {b}?") for a, b in PAIRS[:n]]


def advance(convs, replies, turn):
    "Append each reply and a tool result, for the next turn."
    for i, (msgs, c) in enumerate(zip(convs, replies)):
        msgs += [{"role": "assistant", "content": c.text}, {"role": "user", "content": f"Tool result {turn}.{i}: {PAIRS[i][0] * PAIRS[i][1]}"}]


def one_at_a_time(model, n, turns, new):
    convs, tokens, texts, t0 = conversations(n), 0, [], time.perf_counter()
    for turn in range(turns):
        replies = [model.generate(m, temperature=0, max_tokens=new) for m in convs]
        tokens += sum(c.tokens_out for c in replies); texts.append([c.text for c in replies])
        advance(convs, replies, turn)
    return tokens, time.perf_counter() - t0, texts


def batched(model, n, turns, new):
    convs, tokens, texts, t0 = conversations(n), 0, [], time.perf_counter()
    for turn in range(turns):
        replies = model.generate_batch(convs, temperature=0, max_tokens=new)
        tokens += sum(c.tokens_out for c in replies); texts.append([c.text for c in replies])
        advance(convs, replies, turn)
    return tokens, time.perf_counter() - t0, texts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=8, help="trajectories")
    ap.add_argument("--turns", type=int, default=3, help="turns per trajectory")
    ap.add_argument("--new", type=int, default=48, help="new tokens per turn at most (greedy; a reply may stop earlier)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    ap.add_argument("--quick", action="store_true", help="4 trajectories, 1 turn, 8 new tokens: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.n, a.turns, a.new = 4, 1, 8
    # reuse_cache=False: the batched path keeps no cache between turns either, so both re-prefill every turn
    model = EmbeddedModel(threads=a.threads, reuse_cache=False)
    batched(model, 2, 1, 2)                                             # warm-up: first-call costs out of the way
    seq_tok, seq_s, seq_texts = one_at_a_time(model, a.n, a.turns, a.new)
    bat_tok, bat_s, bat_texts = batched(model, a.n, a.turns, a.new)
    seq_tps, bat_tps = seq_tok / seq_s, bat_tok / bat_s
    ratio = bat_tps / seq_tps
    same = sum(x == y for xs, ys in zip(seq_texts, bat_texts) for x, y in zip(xs, ys))
    total = a.n * a.turns
    cmd = "python bench/batch.py" + (" --quick" if a.quick else f" --n {a.n} --turns {a.turns} --new {a.new}") \
          + (f" --threads {a.threads}" if a.threads != 1 else "")
    lines = [f"## Batched rollouts: {a.n} trajectories at once against one at a time", "",
             f"Command: `{cmd}`; machine: {platform.machine()}, 2 cores, {a.threads} torch thread(s), Python {platform.python_version()}. "
             f"SmolLM2-135M-Instruct (float32, CPU), greedy, at most {a.new} new tokens per turn, {a.turns} turn(s) per trajectory "
             "(the Python-tool prompt with a different product each, a short tool result after each turn); neither path keeps a cache between turns.", "",
             "| path | generated tokens | wall s | tokens/s |", "|---|---:|---:|---:|",
             f"| one at a time (`generate`) | {seq_tok} | {seq_s:.1f} | {seq_tps:.1f} |",
             f"| batched (`generate_batch`, {a.n} at once) | {bat_tok} | {bat_s:.1f} | {bat_tps:.1f} |", "",
             f"Replies identical between the two paths: {same} of {total} (left padding changes float32 rounding, so a greedy reply can differ).", "",
             f"Goal: batched at least 2.5x the tokens/s of one at a time (measured {ratio:.2f}x): **{'met' if ratio >= 2.5 else 'NOT met'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("batch", text)
    return {"ratio": ratio, "seq_tps": seq_tps, "bat_tps": bat_tps, "same": same, "total": total}


if __name__ == "__main__": main()
