"""`OpenAIModel` against real OpenAI-compatible servers on loopback.

Each server is a child process serving the embedded SmolLM2 model (real generation, greedy, few tokens) with
`mirothinker.models.serve_openai`; one of them fails its first completion requests with HTTP 503, to prove the retries.
A real llama.cpp server (llama-cpp-python's) on the same GGUF file is tried when MIROTHINKER_TEST_LLAMA_CPP=1.
"""
import asyncio, os, socket, subprocess, sys

import openai
import pytest

from mirothinker.formats import parse_mcp_calls
from mirothinker.models import OpenAIModel, amap, python_tool_prompt, smollm2_gguf

SERVER = """
import sys
from mirothinker.models import EmbeddedModel, serve_openai
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


@pytest.mark.skipif(os.environ.get("MIROTHINKER_TEST_LLAMA_CPP") != "1",
                    reason="opt-in (MIROTHINKER_TEST_LLAMA_CPP=1; needs llama-cpp-python, fastapi, starlette-context): "
                           "the llama-cpp-python build on the project machine dies with SIGILL on multi-token prompts")
def test_llama_cpp_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    p = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--host", "127.0.0.1",
                          "--port", str(port), "--n_threads", "1", "--n_ctx", "2048"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        m = OpenAIModel(f"http://127.0.0.1:{port}/v1", retries=8, backoff=0.5, temperature=0, max_tokens=16)
        c = m.generate(Q)                                   # connection refused while it loads: retried
        assert "Paris" in c.text and c.tokens_out > 0 and c.finish_reason in ("stop", "length")
    finally:
        p.terminate(); p.wait(timeout=10)
