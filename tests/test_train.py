"""A few-step smoke test of each training phase on the real embedded model (issue 15): the data from scripted runs,
one SFT step that lowers the loss on its batch, a DPO step on a real pair that raises the pair's margin, the DPO phase's
sampling through the real agent, and a GRPO step whose rollouts are recorded trajectories. CI-sized: a couple of minutes."""
import json, math
from pathlib import Path

import pytest, torch

from mirothinker.record.files import read_jsonl
from mirothinker.studies.solvers import trained_agent_kwargs
from mirothinker.tasks.suites import lookup_chain
from mirothinker.train.data import load_data, make_data, scripted_runs
from mirothinker.train.dpo import _pairs_step, preference_pairs, train_dpo
from mirothinker.train.grpo import _update, advantages, reward, train_grpo
from mirothinker.train.sft import lora_model, read_log, target_logps, train_sft, trainable

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    "A tiny dataset and a one-step SFT adapter, shared by the tests."
    d = tmp_path_factory.mktemp("train")
    make_data(d / "data", n_lookup=6, n_web=2, n_running_total=2, command="tests/test_train.py")
    ad = train_sft(d / "data", d / "sft", max_steps=1, batch_tokens=600, echo=False)
    return d, ad


def test_data_and_sft(run):
    d, ad = run
    ds, meta = load_data(d / "data")
    assert meta["runs"] == 10 and meta["command"] == "tests/test_train.py" and len(ds) == meta["sequences"]
    for row in ds:                                               # every target span lies inside its sequence, after a prompt
        assert all(0 < s < e <= len(row["input_ids"]) for s, e in row["spans"])
    log = read_log(d / "sft")
    assert [r["step"] for r in log] == [1] and math.isfinite(log[0]["loss"]) and log[0]["loss"] > 0
    m = json.loads((ad / "mirothinker.json").read_text())
    assert m["phase"] == "sft" and m["steps"] == 1
    assert (ad / "adapter_model.safetensors").stat().st_size < 6e6          # rank 8 in fp16: about 4.9 MB


def test_sft_step_learns(run):
    "Ten steps on one sequence bring its loss well down: the loss reaches the LoRA."
    d, _ = run
    ds, _ = load_data(d / "data")
    row = min((r for r in ds if r["n_tokens"] > 200), key=lambda r: r["n_tokens"])
    _, pm = lora_model()
    opt = torch.optim.AdamW(trainable(pm), lr=3e-3)
    losses = []
    for _ in range(10):
        lp = target_logps(pm, row["input_ids"], row["spans"]); loss = -lp.mean()
        loss.backward(); opt.step(); opt.zero_grad(); losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0], losses


def test_dpo_step_raises_the_margin_and_sampling(run, tmp_path):
    d, ad = run
    t = lookup_chain(1, length=2, seed=20_000)[0]
    won, lost = scripted_runs([(t, 4), (t, 1)])                   # all keys looked up (right) / one short (a guess)
    assert (won.outcome.verdict, lost.outcome.verdict) == ("CORRECT", "INCORRECT")
    pairs = preference_pairs({t.id: [won, lost]})
    tok, pm = lora_model(ad)
    ref = [(0.0, 0.0)]                                           # margins measured against a fixed reference
    first = _pairs_step(tok, pm, pairs, ref, [0], 0.1, 0.2, "cpu")
    opt = torch.optim.AdamW(trainable(pm), lr=5e-3); opt.step(); opt.zero_grad()
    second = _pairs_step(tok, pm, pairs, ref, [0], 0.1, 0.2, "cpu")
    assert second["margin"] > first["margin"] and second["loss"] < first["loss"], (first, second)
    out = train_dpo(ad, tmp_path / "dpo", tasks=1, G=2, max_batch=2, echo=False)    # the phase end to end: sampling through the agent
    samples = read_jsonl(tmp_path / "dpo" / "samples.jsonl")
    assert len(samples) == 2 and all(s.outcome.verdict is not None and s.model.name == "smollm2-135m-sft" for s in samples)
    assert json.loads((out / "mirothinker.json").read_text())["phase"] == "dpo"


def test_grpo_step(run, tmp_path):
    d, ad = run
    out = train_grpo(ad, tmp_path / "rl", steps=1, G=2, n_lookup=1, n_web=0, max_batch=2, echo=False)
    (rec,) = read_log(tmp_path / "rl")
    assert rec["step"] == 1 and {"reward", "accuracy", "calls", "kl", "rollout_s", "update_s"} <= set(rec)
    runs = read_jsonl(tmp_path / "rl" / "rollouts" / "step-0000.jsonl")
    assert len(runs) == 2 and all(r.outcome.verdict and r.model.name == "smollm2-135m-rl" and r.model.phase == "rl" for r in runs)
    assert json.loads((out / "mirothinker.json").read_text())["phase"] == "rl"
    # the update itself, on two scripted runs of one task with different rewards: a finite loss, gradient on the LoRA, KL 0 at the start
    t = lookup_chain(1, length=2, seed=30_000)[0]
    pair = scripted_runs([(t, 4), (t, 1)])
    tok, pm = lora_model(ad)
    _, ref = lora_model(ad)
    figs = _update(tok, pm, ref, pair, advantages([reward(r) for r in pair], 2), 0.02, "cpu")
    assert figs["target_tokens"] > 0 and abs(figs["kl"]) < 1e-3
    assert any(p.grad is not None and float(p.grad.abs().sum()) > 0 for p in trainable(pm))
