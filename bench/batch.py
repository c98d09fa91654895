"""Benchmark: 8 trajectories advanced together with one batched `generate_batch` per turn, against the same 8 run one at a
time with `generate`; the embedded model (SmolLM2-135M, CPU), the same prompts, greedy. Both with the KV cache kept across
turns (as an agent runs) and without it (every call prefills its whole prompt). Generation stops at the end of a tool
call, as in the agent loop (`mirothinker run`), so the replies are tool calls and short answers.

    python bench/batch.py                    # 8 trajectories, 3 turns, at most 64 new tokens per turn; writes bench/results.md
    python bench/batch.py --quick --no-write
"""
import argparse, platform, sys, time
from pathlib import Path

from mirothinker.models.embedded import EmbeddedModel, python_tool_prompt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command, write_section

STOP = ["</use_mcp_tool>"]   # the agent's stop string for the MCP dialect
PAIRS = [(58, 36), (91, 14), (67, 82), (45, 29), (73, 61), (26, 94), (88, 17), (39, 55), (64, 43), (19, 77), (52, 68), (97, 31)]


def conversations(n: int) -> list[list[dict]]:
    "`n` different tasks: the Python-tool prompt with a different product each."
    return [python_tool_prompt(f"What is {a} * {b}?") for a, b in PAIRS[:n]]


def tool_result(i: int, turn: int) -> dict:
    "The user message that follows trajectory `i`'s reply at `turn` (a short tool result)."
    return {"role": "user", "content": f"Tool result {turn}.{i}: {PAIRS[i][0] * PAIRS[i][1]}"}


def one_at_a_time(model, n, turns, new):
    "Each trajectory to its end before the next starts (so a kept cache serves its later turns)."
    convs, tokens, texts, t0 = conversations(n), 0, [[None] * n for _ in range(turns)], time.perf_counter()
    for i, msgs in enumerate(convs):
        for turn in range(turns):
            c = model.generate(msgs, temperature=0, max_tokens=new, stop=STOP)
            tokens += c.tokens_out; texts[turn][i] = c.text
            msgs += [{"role": "assistant", "content": c.text}, tool_result(i, turn)]
    return tokens, time.perf_counter() - t0, texts


def batched(model, n, turns, new):
    "All trajectories advance together: one `generate_batch` per turn."
    convs, tokens, texts, t0 = conversations(n), 0, [], time.perf_counter()
    for turn in range(turns):
        replies = model.generate_batch(convs, temperature=0, max_tokens=new, stop=STOP)
        tokens += sum(c.tokens_out for c in replies); texts.append([c.text for c in replies])
        for i, (msgs, c) in enumerate(zip(convs, replies)): msgs += [{"role": "assistant", "content": c.text}, tool_result(i, turn)]
    return tokens, time.perf_counter() - t0, texts


def measure(model, n, turns, new, reuse):
    "Both paths on fresh clones of `model` (cache kept across turns or not); their figures and prefill counts."
    rows = {}
    for name, fn in (("one", one_at_a_time), ("batch", batched)):
        m = model.clone(reuse_cache=reuse)
        tok, sec, texts = fn(m, n, turns, new)
        rows[name] = dict(tokens=tok, seconds=sec, tps=tok / sec, texts=texts, prefill=m.stats["prefill_tokens"], prompt=m.stats["prompt_tokens"])
    rows["ratio"] = rows["batch"]["tps"] / rows["one"]["tps"]
    rows["same"] = sum(x == y for xs, ys in zip(rows["one"]["texts"], rows["batch"]["texts"]) for x, y in zip(xs, ys))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=8, help="trajectories")
    ap.add_argument("--turns", type=int, default=3, help="turns per trajectory")
    ap.add_argument("--new", type=int, default=64, help="new tokens per turn at most (greedy; a reply may stop earlier)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    ap.add_argument("--quick", action="store_true", help="4 trajectories, 2 turns, 8 new tokens: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.n, a.turns, a.new = 4, 2, 8
    model = EmbeddedModel(threads=a.threads)
    batched(model.clone(), 2, 1, 2)                                      # warm-up: first-call costs out of the way
    res = {mode: measure(model, a.n, a.turns, a.new, reuse) for mode, reuse in (("cache", True), ("no_cache", False))}
    total = a.n * a.turns
    lines = [f"## Batched rollouts: {a.n} trajectories at once against one at a time", "",
             f"Command: `{command('batch.py', a.quick, f'--n {a.n} --turns {a.turns} --new {a.new}', a.threads)}`; "
             f"machine: {platform.machine()}, 2 cores, {a.threads} torch thread(s), Python {platform.python_version()}. "
             f"SmolLM2-135M-Instruct (float32, CPU), greedy, at most {a.new} new tokens per turn, stopping at `</use_mcp_tool>` as the agent does, {a.turns} turn(s) per trajectory "
             "(the Python-tool prompt with a different product each, a short tool result after each turn). One at a time runs each "
             "trajectory to its end before the next; batched advances all of them one turn per `generate_batch` call. A row that has finished "
             "still takes part in the batch's later steps, so the gain depends on how alike the replies' lengths are.", "",
             "| KV cache across turns | path | generated tokens | prefilled / prompt tokens | wall s | tokens/s | batched vs one at a time |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for mode, label in (("cache", "kept (as the agent runs)"), ("no_cache", "none: every call prefills its prompt")):
        r = res[mode]
        for name, path in (("one", "one at a time (`generate`)"), ("batch", f"batched (`generate_batch`, {a.n} at once)")):
            x = r[name]
            lines.append(f"| {label} | {path} | {x['tokens']} | {x['prefill']} / {x['prompt']} | {x['seconds']:.1f} | {x['tps']:.1f} | "
                         + (f"**{r['ratio']:.2f}x** |" if name == "batch" else "|"))
    lines += ["", "Greedy replies identical between the two paths: " + ", ".join(
                  f"{res[m]['same']} of {total} ({'cache kept' if m == 'cache' else 'no cache'})" for m in res)
              + " (left padding and a different cache layout change float32 rounding, so a near tie can flip a greedy token).", "",
              f"Goal: batched at least 2.5x the tokens/s of one at a time, with the cache kept as an agent runs "
              f"(measured {res['cache']['ratio']:.2f}x): **{'met' if res['cache']['ratio'] >= 2.5 else 'NOT met'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("batch", text)
    return {"ratio": res["cache"]["ratio"], "ratio_no_cache": res["no_cache"]["ratio"], "seq_tps": res["cache"]["one"]["tps"],
            "bat_tps": res["cache"]["batch"]["tps"], "same": res["cache"]["same"], "total": total,
            "prefill": {m: (res[m]["one"]["prefill"], res[m]["batch"]["prefill"]) for m in res}}


if __name__ == "__main__": main()
