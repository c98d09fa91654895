"""Benchmark: KV-cache reuse across turns with the embedded model (SmolLM2-135M on the CPU), against re-prefilling the whole
prompt every turn, for trajectories of 10, 20 and 30 turns whose tool results are about 150 tokens each.

Four ways to run the same kind of trajectory (greedy, the replies really generated, `--new` tokens per turn):
  (a) full re-prefill every turn, keep-all retention (what a plain `generate` loop does: the baseline)
  (b) cache reuse, keep-all retention
  (c) cache reuse, K=5 sliding retention (the oldest kept result is hidden every turn)
  (d) cache reuse, K=5 cache-friendly retention (visible results grow from K to 2K, then drop back to K)

    python bench/kv_reuse.py                 # 10, 20, 30 turns; writes its section of bench/results.md
    python bench/kv_reuse.py --quick --no-write
"""
import argparse, platform, sys, time
from pathlib import Path

from mirothinker.loop.policy import n_hidden
from mirothinker.record.text import OMITTED
from mirothinker.models.embedded import EmbeddedModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command, write_section

SYSTEM = "You are a research assistant. Read each tool result and say in one short sentence what to do next."
CITIES = ["Lyon", "Lille", "Nantes", "Rennes", "Dijon", "Reims", "Brest", "Nancy", "Metz", "Tours", "Caen", "Nice"]
MODES = {"a": ("full re-prefill, keep all", False, None, "none"), "b": ("reuse, keep all", True, None, "none"),
         "c": ("reuse, K=5 sliding", True, 5, "sliding"), "d": ("reuse, K=5 cache-friendly", True, 5, "cache_friendly")}


def observation(i: int, sentences: int = 7) -> str:
    "Tool result `i`: a search-result-like text of about 150 tokens (SmolLM2's tokenizer), different for every turn."
    city = CITIES[i % len(CITIES)]
    body = " ".join(f"{city} record {i}.{j} lists {(i * 7919 + j * 104729) % 100000} inhabitants in district {j}."
                    for j in range(sentences))
    return f'{{"query": "population of {city} ({i})", "results": "{body}"}}'


def view(messages: list[dict], n_results: int, keep_k, retention: str) -> list[dict]:
    "What the model is sent: the oldest results that retention hides replaced by the placeholder (as the agent does)."
    h = n_hidden(n_results, keep_k, retention)
    out, seen = [], 0
    for m in messages:
        if m["role"] == "user" and m.get("result"):
            seen += 1
            m = {"role": "user", "content": OMITTED if seen <= h else m["content"]}
        else: m = {"role": m["role"], "content": m["content"]}
        out.append(m)
    return out


def trajectory(model, turns: int, keep_k, retention: str, new_tokens: int) -> dict:
    "Run `turns` model calls, a tool result after each; the model's counters and the wall time."
    model.reset_cache()
    msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": "How many people live in the cities listed?"}]
    texts, t0 = [], time.perf_counter()
    for i in range(turns):
        c = model.generate(view(msgs, i, keep_k, retention), temperature=0, max_tokens=new_tokens)
        texts.append(c.text)
        msgs += [{"role": "assistant", "content": c.text}, {"role": "user", "content": observation(i), "result": True}]
    return {**model.stats, "seconds": time.perf_counter() - t0, "texts": texts, "last_prompt": c.tokens_in}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, nargs="+", default=[10, 20, 30], help="trajectory lengths")
    ap.add_argument("--new", type=int, default=24, help="new tokens generated per turn (greedy)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    ap.add_argument("--quick", action="store_true", help="2 and 4 turns, 4 new tokens: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.turns, a.new = [2, 4], 4
    base = EmbeddedModel(threads=a.threads)
    tok = base.tokenizer
    obs_tokens = sum(len(tok(observation(i))["input_ids"]) for i in range(30)) / 30
    res = {}
    for key, (label, reuse, k, retention) in MODES.items():
        m = base.clone(reuse_cache=reuse)
        for n in a.turns:
            res[key, n] = r = trajectory(m, n, k, retention, a.new)
            print(f"({key}) {label:<26} {n:>3} turns: prefilled {r['prefill_tokens']:>7} of {r['prompt_tokens']:>7} prompt tokens, "
                  f"{r['seconds']:6.1f} s", flush=True)
    top, low = max(a.turns), min(a.turns)
    same = res["a", top]["texts"] == res["b", top]["texts"]
    rows = []
    for key, (label, *_ ) in MODES.items():
        for n in a.turns:
            r = res[key, n]
            speed = res["a", n]["seconds"] / r["seconds"]
            rows.append(f"| ({key}) {label} | {n} | {r['last_prompt']} | {r['prompt_tokens']} | {r['prefill_tokens']} | "
                        f"{r['prefill_tokens'] / n:.0f} | {r['seconds']:.1f} | {speed:.2f}x |")
    speedup = res["a", top]["seconds"] / res["b", top]["seconds"]
    growth_b = (res["b", top]["prefill_tokens"] / top) / (res["b", low]["prefill_tokens"] / low)
    growth_a = (res["a", top]["prefill_tokens"] / top) / (res["a", low]["prefill_tokens"] / low)
    ok = speedup >= 2.5 and growth_b < 1.25
    cmd = command("kv_reuse.py", a.quick, f"--turns {' '.join(map(str, a.turns))} --new {a.new}", a.threads)
    lines = [f"## KV-cache reuse across turns: embedded model, {', '.join(map(str, a.turns))} turns", "",
             f"Command: `{cmd}`; machine: {platform.machine()}, 2 cores, {a.threads} torch thread(s), Python {platform.python_version()}. "
             f"SmolLM2-135M-Instruct (float32, CPU), greedy, {a.new} new tokens per turn, tool results of {obs_tokens:.0f} tokens on average; "
             "each row is one trajectory, run once.", "",
             "| mode | turns | last prompt, tokens | prompt tokens, total | prefilled tokens | prefilled per turn | wall s | vs (a) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
             f"Prefilled tokens per turn, {top} turns against {low}: (a) {growth_a:.2f}x (grows with the length: quadratic in total), "
             f"(b) {growth_b:.2f}x (flat: linear in total). Greedy replies of (a) and (b) identical: {same}.", "",
             f"Goal: (b) linear and at least 2.5x faster than (a) at {top} turns (measured {speedup:.2f}x): **{'met' if ok else 'NOT met'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("kv_reuse", text)
    return {"speedup": speedup, "growth_a": growth_a, "growth_b": growth_b, "same": same,
            "rows": {f"{k}{n}": {x: v for x, v in r.items() if x != "texts"} for (k, n), r in res.items()}}


if __name__ == "__main__": main()
