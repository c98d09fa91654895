"""Benchmark: 1, 4 and 16 concurrent trajectories against a local OpenAI-compatible server (llama.cpp's, from
llama-cpp-python, serving the embedded GGUF file; else mirothinker's own `serve_openai` over the embedded model), through
`OpenAIModel.agenerate`: throughput and per-turn latency, with 1 trajectory as the baseline in the same run.

    python bench/server.py                   # 1, 4, 16 trajectories of 4 turns, 32 new tokens per turn; writes bench/results.md
    python bench/server.py --quick --no-write
    python bench/server.py --server serve_openai
"""
import argparse, asyncio, platform, socket, statistics, subprocess, sys, time, urllib.request
from pathlib import Path

from mirothinker.models.remote import OpenAIModel, amap
from mirothinker.models.embedded import python_tool_prompt, smollm2_gguf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import write_section

SERVE_OPENAI = """
import sys
from mirothinker.models.embedded import EmbeddedModel
from mirothinker.models.remote import serve_openai
serve_openai(EmbeddedModel(), port=int(sys.argv[1]))
"""


def llama_cpp_available() -> bool:
    "Whether llama-cpp-python's server can be imported (the package and its server extras)."
    r = subprocess.run([sys.executable, "-c", "import llama_cpp.server.app"], capture_output=True)
    return r.returncode == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


def start(kind: str, port: int, threads: int) -> subprocess.Popen:
    "Start the server on loopback and wait until /v1/models answers."
    if kind == "llama_cpp":
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--host", "127.0.0.1",
               "--port", str(port), "--n_ctx", "4096", "--n_threads", str(threads)]
    else: cmd = [sys.executable, "-c", SERVE_OPENAI, str(port)]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if p.poll() is not None: raise RuntimeError(f"the {kind} server exited with code {p.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2): return p
        except OSError: time.sleep(0.25)
    p.kill(); raise RuntimeError(f"the {kind} server was not ready within 120 s")


async def trajectory(model: OpenAIModel, i: int, turns: int, new: int) -> list:
    "One trajectory: `turns` calls, a short tool result appended after each; its completions."
    a, b = 11 + 7 * i % 80, 13 + 11 * i % 80
    msgs, out = python_tool_prompt(f"What is {a} * {b}?"), []
    for t in range(turns):
        c = await model.agenerate(msgs, temperature=0, max_tokens=new)
        out.append(c)
        msgs += [{"role": "assistant", "content": c.text}, {"role": "user", "content": f"Tool result {t}: {a * b}"}]
    return out


def run(model, n, turns, new) -> dict:
    "`n` trajectories in flight at once; throughput and per-turn latency."
    t0 = time.perf_counter()
    trajs = asyncio.run(amap(lambda i: trajectory(model, i, turns, new), list(range(n)), concurrency=n))
    wall = time.perf_counter() - t0
    cs = [c for t in trajs for c in t]
    lat = sorted(c.latency for c in cs)
    toks = sum(c.tokens_out or 0 for c in cs)
    return {"n": n, "turns": len(cs), "tokens": toks, "wall": wall, "tps": toks / wall, "turns_per_s": len(cs) / wall,
            "median": statistics.median(lat), "p90": lat[min(len(lat) - 1, int(0.9 * len(lat)))]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16], help="trajectories in flight")
    ap.add_argument("--turns", type=int, default=4, help="turns per trajectory")
    ap.add_argument("--new", type=int, default=32, help="new tokens per turn at most (greedy)")
    ap.add_argument("--threads", type=int, default=2, help="llama.cpp threads")
    ap.add_argument("--server", choices=["auto", "llama_cpp", "serve_openai"], default="auto",
                    help="which server (auto: llama.cpp if importable, else serve_openai)")
    ap.add_argument("--quick", action="store_true", help="1 and 4 trajectories of 1 turn, 8 new tokens: a check that it runs")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    if a.quick: a.concurrency, a.turns, a.new = [1, 4], 1, 8
    kind = a.server if a.server != "auto" else ("llama_cpp" if llama_cpp_available() else "serve_openai")
    port = free_port()
    p = start(kind, port, a.threads)
    try:
        model = OpenAIModel(f"http://127.0.0.1:{port}/v1", retries=3, backoff=0.2, timeout=600)
        asyncio.run(model.agenerate([{"role": "user", "content": "Hi"}], temperature=0, max_tokens=2))   # warm-up
        res = []
        for n in a.concurrency:
            res.append(r := run(model, n, a.turns, a.new))
            print(f"{n:>3} in flight: {r['tokens']} tokens in {r['wall']:.1f} s, {r['tps']:.1f} tokens/s, "
                  f"turn latency median {r['median']:.2f} s, p90 {r['p90']:.2f} s", flush=True)
    finally:
        p.terminate(); p.wait(timeout=10)
    base = res[0]
    rows = [f"| {r['n']} | {r['turns']} | {r['tokens']} | {r['wall']:.1f} | {r['tps']:.1f} | {r['tps'] / base['tps']:.2f}x | "
            f"{r['median']:.2f} | {r['p90']:.2f} |" for r in res]
    what = ("llama.cpp's server from llama-cpp-python (built from source, see `scripts/install.sh`), "
            f"SmolLM2-135M-Instruct Q4_1 GGUF, `--n_ctx 4096 --n_threads {a.threads}`") if kind == "llama_cpp" else \
           "mirothinker's `serve_openai` over the embedded model (llama.cpp's server was not available; `--server` to choose)"
    cmd = "python bench/server.py" + (" --quick" if a.quick else f" --concurrency {' '.join(map(str, a.concurrency))} --turns {a.turns} --new {a.new}") \
          + (f" --server {a.server}" if a.server != "auto" else "")
    lines = [f"## Server: {', '.join(map(str, a.concurrency))} concurrent trajectories", "",
             f"Command: `{cmd}`; machine: {platform.machine()}, 2 cores, Python {platform.python_version()}. Server: {what}, on loopback. "
             f"Each trajectory: the Python-tool prompt, {a.turns} turn(s) of greedy generation (at most {a.new} new tokens) through "
             "`OpenAIModel.agenerate`, a short tool result after each turn; all trajectories in flight at once.", "",
             "| in flight | turns | generated tokens | wall s | tokens/s | vs 1 | turn latency median, s | p90, s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
             "The server answers one request at a time (llama-cpp-python's server holds one model behind a lock; `serve_openai` too), "
             "so more trajectories in flight do not raise throughput on this machine; they queue, and the latency of a turn grows with "
             "their number. Servers that batch requests (vLLM, SGLang, llama.cpp's own `llama-server` with `--parallel`) are where "
             "concurrency pays; the client side shown here keeps them fed."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("server", text)
    return {"server": kind, "rows": res}


if __name__ == "__main__": main()
