"""`OpenAIModel` against real OpenAI-compatible servers on loopback.

Each server is a child process serving the embedded SmolLM2 model (real generation, greedy, few tokens) with
`mirothinker.models.remote.serve_openai`; one of them fails its first completion requests with HTTP 503, to prove the retries.
A real llama.cpp server (llama-cpp-python's) serves the same GGUF file when `llama_cpp.server` is importable: greedy
generation, and an agent run whose server is killed between two turns and that resumes once the server is back.
"""
import asyncio, os, socket, subprocess, sys, time, urllib.request

import openai
import pytest

from mirothinker.loop.parsing import parse_mcp_calls
from mirothinker.models.remote import OpenAIModel, amap
from mirothinker.models.embedded import python_tool_prompt, smollm2_gguf

SERVER = """
import sys
from mirothinker.models.embedded import EmbeddedModel
from mirothinker.models.remote import serve_openai
serve_openai(EmbeddedModel(), port=0, fail_first=int(sys.argv[1]), ready=lambda p: print(p, flush=True))
"""
Q = [{"role": "user", "content": "What is the capital of France?"}]


def _start(fail_first):
    p = subprocess.Popen([sys.executable, "-c", SERVER, str(fail_first)], stdout=subprocess.PIPE, text=True)
    port = p.stdout.readline().strip()
    if not port:
        p.kill(); pytest.fail("the server did not start")
    return p, f"http://127.0.0.1:{port}/v1"


@pytest.fixture(scope="module")
def servers():
    started = [_start(0), _start(3)]          # start both at once: they load the model in parallel
    yield {"ok": started[0][1], "flaky": started[1][1]}
    for p, _ in started:
        p.terminate(); p.wait(timeout=10)


def test_greedy_generation_through_the_server(servers):
    m = OpenAIModel(servers["ok"], temperature=0, max_tokens=16)
    assert m.model == "SmolLM2-135M-Instruct-Q4_1"                      # asked from /v1/models
    c = m.generate(Q)
    assert (c.text, c.finish_reason, c.tokens_in, c.tokens_out) == ("The capital of France is Paris.", "stop", 37, 8)
    c = m.generate(Q, max_tokens=3)
    assert (c.text, c.finish_reason, c.tokens_out) == ("The capital of", "length", 3)


def test_stop_string_is_put_back(servers):
    m = OpenAIModel(servers["ok"], temperature=0, max_tokens=128)
    c = m.generate(python_tool_prompt("What is 23 * 47?"), stop=["</use_mcp_tool>"])
    assert c.finish_reason == "stop" and c.text.endswith("</use_mcp_tool>")
    call, = parse_mcp_calls(c.text)
    assert call.arguments == {"code_block": "print(23 * 47)"}


def test_retries_503_with_backoff_then_gives_up(servers):
    # the flaky server fails its first 3 completion requests
    give_up = OpenAIModel(servers["flaky"], retries=1, backoff=0.01, temperature=0, max_tokens=3)
    with pytest.raises(openai.InternalServerError):
        give_up.generate(Q)                                             # 503, 503: out of retries
    assert give_up.stats == dict(calls=1, retries=1, failures=1)
    m = OpenAIModel(servers["flaky"], retries=3, backoff=0.01, temperature=0, max_tokens=3)
    c = m.generate(Q)                                                   # 503, then the answer
    assert c.text == "The capital of" and m.stats == dict(calls=1, retries=1, failures=0)


def test_connection_errors_are_retried():
    with socket.socket() as s:                                          # a port on which nothing listens
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    m = OpenAIModel(f"http://127.0.0.1:{port}/v1", model="none", retries=2, backoff=0.01)
    with pytest.raises(openai.APIConnectionError):
        m.generate(Q)
    assert m.stats == dict(calls=1, retries=2, failures=1)


def test_many_conversations_in_flight(servers):
    m = OpenAIModel(servers["ok"], temperature=0, max_tokens=128, stop=["</use_mcp_tool>"])
    pairs = [(58, 36), (91, 14), (67, 82), (45, 29)]
    out = m.generate_many([python_tool_prompt(f"What is {a} * {b}?") for a, b in pairs], concurrency=2)
    assert [parse_mcp_calls(c.text)[0].arguments["code_block"] for c in out] == [f"print({a} * {b})" for a, b in pairs]
    # the async path directly, with a concurrency limit that is really enforced
    inflight, peak = 0, 0
    async def one(msgs):
        nonlocal inflight, peak
        inflight += 1; peak = max(peak, inflight)
        try: return await m.agenerate(msgs, max_tokens=3)
        finally: inflight -= 1
    res = asyncio.run(amap(one, [Q] * 5, concurrency=3))
    assert [c.text for c in res] == ["The capital of"] * 5 and peak == 3


# --- a real llama.cpp server -------------------------------------------------------------------------------------------
# llama-cpp-python's OpenAI-compatible server on the same GGUF file. `scripts/install.sh dev` builds llama-cpp-python from
# source with the CPU features this machine's default build crashes on turned off (see there); without it these tests skip.

def _llama_cpp_missing() -> str | None:
    try:
        import llama_cpp.server.app  # noqa: F401  (also needs fastapi, uvicorn, sse-starlette, starlette-context, pydantic-settings)
    except Exception as e:
        return f"llama-cpp-python[server] is not importable ({type(e).__name__}: {e}); `bash scripts/install.sh dev` builds it"
    return None

needs_llama_cpp = pytest.mark.skipif(_llama_cpp_missing() is not None, reason=str(_llama_cpp_missing()))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]


def _start_llama(port: int, log) -> subprocess.Popen:
    "Start llama.cpp's server on `port` and wait until /v1/models answers."
    p = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--host", "127.0.0.1",
                          "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"],
                         stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if p.poll() is not None:
            pytest.fail(f"the llama.cpp server exited with code {p.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as r:
                if r.status == 200: return p
        except OSError:
            time.sleep(0.25)
    p.kill(); p.wait(); pytest.fail("the llama.cpp server was not ready within 120 s")


def _stop(p: subprocess.Popen):
    if p.poll() is None:
        p.terminate()
        try: p.wait(timeout=10)
        except subprocess.TimeoutExpired: p.kill(); p.wait()


@needs_llama_cpp
def test_llama_cpp_server_greedy(tmp_path):
    port = _free_port()
    with open(tmp_path / "server.log", "w") as log:
        p = _start_llama(port, log)
        try:
            m = OpenAIModel(f"http://127.0.0.1:{port}/v1", retries=3, backoff=0.1, temperature=0, max_tokens=16)
            assert m.model.endswith(".gguf")                                # the served id, asked from /v1/models
            a, b = m.generate(Q), m.generate(Q)
            assert "Paris" in a.text and a.text == b.text                   # greedy: the same answer twice
            assert a.finish_reason in ("stop", "length") and a.tokens_in > 20 and 0 < a.tokens_out <= 16
            c = m.generate(Q, max_tokens=3)
            assert (c.finish_reason, c.tokens_out) == ("length", 3) and a.text.startswith(c.text)
            out = m.generate_many([Q] * 4, concurrency=4)
            assert [x.text for x in out] == [a.text] * 4
        finally:
            _stop(p)


@needs_llama_cpp
def test_llama_cpp_server_dies_mid_run_and_the_run_resumes(tmp_path):
    "Kill the server after the first step: the run ends with status `error` in the JSONL; after a restart, resume completes it."
    from mirothinker.loop.agent import Agent
    from mirothinker.models.embedded import PYTHON_TOOL_SYSTEM
    from mirothinker.tools.python import PythonTools
    from mirothinker.record.files import read_jsonl

    port, path = _free_port(), tmp_path / "run.jsonl"
    url = f"http://127.0.0.1:{port}/v1"
    settings = dict(system_prompt=PYTHON_TOOL_SYSTEM, budget=3, keep_k=5,
                    sampling=dict(temperature=0, max_tokens=96, stop=["</use_mcp_tool>"]))
    log = open(tmp_path / "server.log", "w")
    server = _start_llama(port, log)
    try:
        def kill_after_first_step(ev):
            if ev.kind == "step" and len(ev.trajectory.steps) == 1:
                server.kill(); server.wait()                                # the server dies between two turns
        with PythonTools() as py:
            m = OpenAIModel(url, retries=2, backoff=0.05, max_backoff=0.2)
            agent = Agent(m, py.tools, on_event=kill_after_first_step, **settings)
            with pytest.warns(UserWarning, match="the run is saved and can be resumed"):
                t = agent.run("What is 23 * 47?", path=path, run_id="dies")
        assert t.outcome.status == "error" and "APIConnectionError" in t.outcome.error
        assert m.stats["retries"] == 2 and m.stats["failures"] == 1    # it tried again before giving up
        on_disk, = read_jsonl(path)
        assert on_disk.outcome.status == "error" and len(on_disk.steps) == 1
        assert on_disk.steps[0].text and on_disk.steps[0].tokens_out > 0  # the first turn, generated by llama.cpp, kept

        server = _start_llama(port, log)                                    # back on the same port
        with PythonTools() as py:
            m2 = OpenAIModel(url, retries=2, backoff=0.05)
            done = Agent(m2, py.tools, **settings).resume(path)
        assert done.outcome.status not in ("error", "incomplete"), done.outcome
        assert len(done.steps) > 1 and done.steps[0].text == on_disk.steps[0].text
        final, = read_jsonl(path)                                           # one run in the file, finished
        assert final.outcome.status == done.outcome.status and len(final.steps) == len(done.steps)
    finally:
        _stop(server); log.close()
