"""Benchmark: how long the embedded model takes to load in a new process, from the safetensors copy in the user cache
(what `EmbeddedModel()` does after its first run) against loading the GGUF file directly (dequantizing it every time).
Each load runs in a fresh Python process; the import of torch and transformers is timed separately, since every
process that uses them pays it once whatever it loads.

    python bench/load.py                 # 5 fresh processes per path; writes bench/results.md
    python bench/load.py --quick --no-write
"""
import argparse, json, platform, statistics, subprocess, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command, write_section

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import torch, transformers
from transformers import AutoModelForCausalLM, AutoTokenizer
import transformers.models.llama.modeling_llama, transformers.core_model_loading   # modules transformers imports lazily on first load
from mirothinker.models.embedded import EmbeddedModel, smollm2_gguf
from mirothinker.models.hf import TransformersModel
t1 = time.perf_counter()
m = EmbeddedModel() if sys.argv[1] == "cache" else TransformersModel(smollm2_gguf())
t2 = time.perf_counter()
c = m.generate([{"role": "user", "content": "Hi"}], temperature=0, max_tokens=4)
t3 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "load": t2 - t1, "first_call": t3 - t2}))
"""


def fresh_process(path: str) -> dict:
    "Import, load and first-call times of one new Python process loading the model from `path` (`cache` or `gguf`)."
    out = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="fresh processes per path")
    ap.add_argument("--quick", action="store_true", help="one process per path")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.repeat = 1
    fresh_process("cache")                                   # the first ever run converts the GGUF file: not a later load
    runs = {p: [fresh_process(p) for _ in range(a.repeat)] for p in ("cache", "gguf")}
    med = {p: {k: statistics.median(r[k] for r in rs) for k in ("imports", "load", "first_call")} for p, rs in runs.items()}
    lines = ["## Loading the embedded model in a new process", "",
             f"Command: `{command('load.py', a.quick, f'--repeat {a.repeat}')}`; machine: {platform.machine()}, 2 cores, "
             f"Python {platform.python_version()}. Medians of {a.repeat} fresh process(es) per path.", "",
             "| path | import torch + transformers, s | load, s | first call (4 tokens), s | process total, s |", "|---|---:|---:|---:|---:|"]
    for p, label in (("cache", "safetensors copy in the user cache (`EmbeddedModel()`)"), ("gguf", "GGUF file, dequantized at load (baseline)")):
        m = med[p]
        lines.append(f"| {label} | {m['imports']:.2f} | {m['load']:.2f} | {m['first_call']:.2f} | {sum(m.values()):.2f} |")
    speed = med["gguf"]["load"] / med["cache"]["load"]
    lines += ["", f"The cached copy loads {speed:.1f}x faster than the GGUF file. The import of torch and transformers is the same for "
              "both and for any program that uses them; it is most of a new process's start.", "",
              f"Goal: later loads under 3 s (measured {med['cache']['load']:.2f} s for the load itself): "
              f"**{'met' if med['cache']['load'] < 3 else 'NOT met'}**."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("load", text)
    return {"median": med, "runs": runs}


if __name__ == "__main__": main()
