"""KV-cache reuse across turns must not change what the model writes.

A multi-turn conversation with the embedded SmolLM2 model, greedy, is held twice: by a model that reuses its cache
(prefilling only what changed since its last call) and by one that prefills every prompt from scratch. Before the last
turn an earlier tool result is replaced by a placeholder, as context retention does, so the cache must be cropped back
into the middle of the conversation. The generated tokens must be identical.
"""
import pytest

from mirothinker.models.embedded import EmbeddedModel

SYSTEM = "You are a careful assistant. Answer in one short sentence. Give final answers in \\boxed{}."
TURNS = ["How many wheels do 3 bicycles and 2 cars have?", "Tool result: a bicycle has 2 wheels.",
         "Tool result: a car has 4 wheels.", "Tool result: 3 * 2 + 2 * 4 = 14.", "Are you sure? Answer again."]


@pytest.fixture(scope="module")
def model():
    return EmbeddedModel()


def converse(model, max_tokens=20):
    model.reset_cache()
    msgs, out = [{"role": "system", "content": SYSTEM}], []
    for i, t in enumerate(TURNS):
        if i == 3: msgs[3] = {**msgs[3], "content": "Tool result is omitted to save tokens."}
        msgs.append({"role": "user", "content": t})
        c = model.generate(msgs, temperature=0, max_tokens=max_tokens)
        msgs.append({"role": "assistant", "content": c.text})
        out.append(model.last_ids)
    return out, dict(model.stats)


def test_reuse_is_token_identical_to_full_prefill(model):
    fresh = model.clone(reuse_cache=False)
    with_reuse, st_reuse = converse(model)
    without, st_fresh = converse(fresh)
    assert with_reuse == without
    assert st_fresh["reused_tokens"] == 0 and st_fresh["prefill_tokens"] == st_fresh["prompt_tokens"]
    assert st_reuse["prompt_tokens"] == st_fresh["prompt_tokens"]
    assert st_reuse["reused_tokens"] > st_reuse["prefill_tokens"]          # most of the prompts came from the cache


def test_cache_holds_exactly_the_cached_ids(model):
    model.reset_cache()
    msgs = [{"role": "user", "content": "Say hello."}]
    c = model.generate(msgs, temperature=0, max_tokens=8)
    assert model._cache.get_seq_length() == len(model.cached_ids) == c.tokens_in + c.tokens_out - 1
    # a prompt that shares only a prefix crops the cache back and stays consistent
    model.generate([{"role": "user", "content": "Say goodbye."}], temperature=0, max_tokens=4)
    assert model._cache.get_seq_length() == len(model.cached_ids)


def test_batch_greedy_equals_one_by_one(model):
    convs = [[{"role": "user", "content": "Name a fruit."}],
             [{"role": "system", "content": SYSTEM}, {"role": "user", "content": TURNS[0]}]]
    fresh = model.clone(reuse_cache=False)
    batched = model.generate_batch(convs, temperature=0, max_tokens=16)
    single = []
    for c in convs:
        fresh.generate(c, temperature=0, max_tokens=16); single.append(fresh.last_ids)
    assert model.last_batch_ids == single
    assert [c.tokens_out for c in batched] == [len(s) for s in single]
