"""Benchmark: the project's SFT loop (`mirothinker.train.sft.train_sft`) against a plain TRL `SFTTrainer` on the same data in
the same process; the share of this machine's measured fp32 matmul rate that SFT reaches; GRPO seconds per step split into
rollouts and update (`mirothinker.train.grpo.train_grpo`).

The data is a small training dataset made here with `mirothinker.train.data.make_data` (scripted runs on the SFT split) in a
temporary folder. The project's loop trains on its packed exact sequences (one sequence holds all the steps of a run that
extend each other), loss on the reply tokens only, LoRA on every linear layer. The baseline gets the step samples of the
sequences the project's loop trained on, each as plain chat `messages` (the context the model was sent plus its reply), with
TRL's defaults (bf16, gradient checkpointing, max_length 1024, no packing, loss on every token: `assistant_only_loss=True`
needs `{% generation %}` tags that SmolLM2's chat template lacks) except one sample per device batch (TRL's default 8 would
add padding), one epoch, no checkpoints, no reporting. Both use the same LoRA (rank, alpha, targets, no dropout).

    python bench/train.py                        # a few minutes; writes its section of bench/results.md
    python bench/train.py --quick --threads 1 --no-write
"""
import argparse, json, os, platform, sys, tempfile, time, warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1"); os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import command, write_section


def matmul_rate(dtype: str = "float32", n: int = 2048, seconds: float = 2.0) -> float:
    "GFLOP/s of repeated n x n matmuls of `dtype` on this process's torch threads (2 n^3 FLOPs each)."
    import torch
    a, b = torch.randn(n, n, dtype=getattr(torch, dtype)), torch.randn(n, n, dtype=getattr(torch, dtype))
    a @ b
    k, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds: a @ b; k += 1
    return 2 * n ** 3 * k / (time.perf_counter() - t0) / 1e9


def param_counts(pm) -> dict:
    "Parameters of a peft-wrapped causal LM: all of the base (tied weights once), the LM head, the LoRA factors."
    base = pm.get_base_model()
    lora = sum(p.numel() for p in pm.parameters() if p.requires_grad)
    return dict(N=sum(p.numel() for p in base.parameters() if not p.requires_grad), head=base.lm_head.weight.numel(), lora=lora)


def our_sft(data: Path, out: Path, steps: int, batch_tokens: int, rank: int) -> dict:
    "Train `steps` steps with `train_sft`; its rows per step (recomputed as it draws them), its step times and its model's sizes."
    from mirothinker.train.sft import batches, lora_model, read_log, train_sft
    from mirothinker.train.data import load_data
    ds, _ = load_data(data)
    train_sft(data, out, max_steps=steps, batch_tokens=batch_tokens, rank=rank, echo=False)
    log = read_log(out)
    order = batches(ds["n_tokens"], batch_tokens, 0)                 # epoch 0 of seed 0: the batches train_sft took
    rows = [i for b in order[:len(log)] for i in b]
    tokens = sum(ds["n_tokens"][i] for i in rows); targets = sum(ds["n_target"][i] for i in rows)
    secs = sum(sum(ds["n_tokens"][i] for i in b) / r["tok_s"] for b, r in zip(order, log))   # exact step times (the log rounds `sec`)
    prefix = 0                                                      # tokens run without gradient (context before the first target, when over half)
    for i in rows:
        P = ds["spans"][i][0][0] - 1
        prefix += P if P > 0.5 * ds["n_tokens"][i] else 0
    _, pm = lora_model(rank=rank, device="cpu")
    return dict(rows=rows, steps=len(log), tokens=tokens, targets=targets, seconds=secs, prefix=prefix,
                head_tokens=targets, sizes=param_counts(pm), adapter=out / "adapter", loss=[r["loss"] for r in log])


def step_messages(data: Path, rows: list[int], want: int) -> list[dict]:
    "The chat samples of whole packed sequences among `rows` (in that order) until there are at least `want`: messages and reply tokens."
    from datasets import load_from_disk
    seqs, steps = load_from_disk(str(data / "sequences")), load_from_disk(str(data / "steps"))
    by_run: dict[str, list[int]] = {}
    for j, r in enumerate(steps["run_id"]): by_run.setdefault(r, []).append(j)
    first: dict[str, int] = {}                                      # a run's rows in index order; its steps follow them in the same order
    for i, r in enumerate(seqs["run_id"]): first.setdefault(r, i)
    out = []
    for i in rows:
        r = seqs[i]; k0 = sum(len(seqs[x]["spans"]) for x in range(first[r["run_id"]], i) if seqs[x]["run_id"] == r["run_id"])
        for k, (s, e) in enumerate(r["spans"]):
            st = steps[by_run[r["run_id"]][k0 + k]]
            out.append(dict(messages=list(st["prompt"]) + list(st["completion"]), start=s, end=e, row=i))
        if len(out) >= want: break
    return out


def trl_sft(samples: list[dict], work: Path, rank: int) -> dict:
    "One epoch of TRL's `SFTTrainer` over `samples` (chat messages), timed from the first step's start to the last step's end."
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import SFTConfig, SFTTrainer
    from mirothinker.models.embedded import embedded_model_dir
    from mirothinker.train.sft import LORA_TARGETS
    src = str(embedded_model_dir())
    tok, model = AutoTokenizer.from_pretrained(src), AutoModelForCausalLM.from_pretrained(src, dtype=torch.float32)

    class Clock(TrainerCallback):
        t0 = t1 = None; threads = None
        def on_step_begin(self, args, state, control, **kw):
            if self.t0 is None: self.t0, self.threads = time.perf_counter(), torch.get_num_threads()
        def on_step_end(self, args, state, control, **kw): self.t1 = time.perf_counter()

    clock, seen = Clock(), {"tokens": 0, "batches": 0, "padded": 0}
    cfg = SFTConfig(output_dir=str(work / "trl"), use_cpu=True, report_to=[], per_device_train_batch_size=1, num_train_epochs=1,
                    save_strategy="no", disable_tqdm=True, seed=0)
    trainer = SFTTrainer(model=model, args=cfg, processing_class=tok, callbacks=[clock],
                         train_dataset=Dataset.from_list([{"messages": s["messages"]} for s in samples]),
                         peft_config=LoraConfig(task_type="CAUSAL_LM", r=rank, lora_alpha=2 * rank, lora_dropout=0.0, target_modules=LORA_TARGETS))

    def count(mod, args, kwargs):                                   # what the model is really given each step
        ids, am = kwargs.get("input_ids"), kwargs.get("attention_mask")
        if ids is not None and torch.is_grad_enabled():
            seen["batches"] += 1; seen["padded"] += ids.numel(); seen["tokens"] += int(am.sum()) if am is not None else ids.numel()
    trainer.model.register_forward_pre_hook(count, with_kwargs=True)
    lens = [len(x) for x in trainer.train_dataset["input_ids"]]
    targets = sum(max(0, min(s["end"], L) - s["start"]) for s, L in zip(samples, lens))   # reply tokens left after truncation
    trainer.train()
    return dict(samples=len(samples), rows=len({s['row'] for s in samples}), steps=seen["batches"], tokens=seen["tokens"], padded=seen["padded"], targets=targets,
                seconds=clock.t1 - clock.t0, truncated=sum(L >= cfg.max_length for L in lens), max_length=cfg.max_length,
                gc=bool(cfg.gradient_checkpointing), bf16=bool(cfg.bf16), threads=clock.threads, dataset_tokens=sum(lens))


def grpo_init(sft_adapter: Path, asked: str | None = None) -> tuple[Path, str]:
    "The adapter GRPO starts from: the one asked for, else a shipped DPO or SFT adapter if there is one, else the SFT adapter made in this run."
    from mirothinker.models.embedded import find_adapter
    if asked: return find_adapter(asked)[0], f"the adapter `{asked}`"
    for phase in ("dpo", "sft"):
        try: return find_adapter(phase)[0], f"the shipped {phase.upper()} adapter"
        except (FileNotFoundError, ValueError): pass
    return sft_adapter, "the SFT adapter made above (few steps)"


def grpo(init: Path, out: Path, steps: int, G: int, n_lookup: int, n_web: int, max_batch: int) -> list[dict]:
    "Run `train_grpo` for `steps` steps; its log records."
    from mirothinker.train.grpo import train_grpo
    from mirothinker.train.sft import read_log
    train_grpo(init, out, steps=steps, G=G, n_lookup=n_lookup, n_web=n_web, max_batch=max_batch, device="cpu", echo=False)
    return read_log(out)


def grpo_forced_update(init: Path, out: Path, beta: float = 0.02) -> dict:
    "One GRPO update (forward, backward, optimizer step, merge into the rollout copy) over the last step's runs with advantages +1/-1."
    import torch
    from mirothinker.models.embedded import EmbeddedModel
    from mirothinker.record.files import read_jsonl
    from mirothinker.train.grpo import _update, copy_merged
    from mirothinker.train.sft import lora_model, trainable
    runs = read_jsonl(sorted((out / "rollouts").glob("step-*.jsonl"))[-1])
    tok, pm = lora_model(init, device="cpu")
    ref, pol = EmbeddedModel(adapter=init, threads=None).model, EmbeddedModel(adapter=init, threads=None).model
    opt = torch.optim.AdamW(trainable(pm), lr=1e-4, weight_decay=0.0)
    t0 = time.perf_counter()
    figs = _update(tok, pm, ref, runs, [(i, 1.0 if i % 2 == 0 else -1.0) for i in range(len(runs))], beta, "cpu")
    torch.nn.utils.clip_grad_norm_(trainable(pm), 1.0); opt.step(); opt.zero_grad(set_to_none=True); copy_merged(pol, pm)
    return dict(seconds=time.perf_counter() - t0, runs=len(runs), **figs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sft-steps", type=int, default=4, help="optimizer steps of the project's SFT loop")
    ap.add_argument("--batch-tokens", type=int, default=2000, help="tokens per SFT step (train_sft's batch_tokens)")
    ap.add_argument("--trl-samples", type=int, default=16, help="chat samples for TRL at least (whole sequences' samples, from those the loop trained on)")
    ap.add_argument("--rank", type=int, default=8, help="LoRA rank of both trainers")
    ap.add_argument("--grpo-steps", type=int, default=2, help="GRPO steps")
    ap.add_argument("--G", type=int, default=4, help="GRPO runs per task")
    ap.add_argument("--grpo-init", default=None, help="the adapter GRPO starts from: a phase, a name or a folder (default: a shipped DPO or SFT adapter, else the SFT adapter made here)")
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    ap.add_argument("--quick", action="store_true", help="tiny sizes: a check that it runs (a few minutes)")
    ap.add_argument("--no-write", action="store_true", help="do not write bench/results.md")
    a = ap.parse_args(argv)
    sizes = dict(n_lookup=24, n_web=6, n_running_total=6)
    if a.quick:
        a.sft_steps, a.batch_tokens, a.trl_samples, a.grpo_steps, a.G = 2, 800, 4, 1, 2
        sizes = dict(n_lookup=6, n_web=2, n_running_total=2)
    import torch, datasets, transformers, trl, peft
    datasets.disable_progress_bars(); transformers.logging.set_verbosity_error(); transformers.utils.logging.disable_progress_bar()
    for msg in ("`is_gradient_checkpointing` is deprecated", "`gradient_checkpointing` is deprecated", "Could not find a config file",
                "Converting a tensor with requires_grad=True"):
        warnings.filterwarnings("ignore", message=msg)
    torch.set_num_threads(a.threads)
    from mirothinker.train.data import make_data
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter(); data = make_data(tmp / "data", command="python bench/train.py", **sizes); data_s = time.perf_counter() - t0
        meta = json.loads((data / "meta.json").read_text())
        peak0 = matmul_rate("float32")
        ours = our_sft(data, tmp / "sft", a.sft_steps, a.batch_tokens, a.rank)
        base = trl_sft(step_messages(data, ours["rows"], a.trl_samples), tmp, a.rank)
        peak1, bf16 = matmul_rate("float32"), matmul_rate("bfloat16")
        init, init_what = grpo_init(ours["adapter"], a.grpo_init)
        glog = grpo(init, tmp / "rl", a.grpo_steps, a.G, 1, 0 if a.quick else 1, 4 if a.quick else 8)
        forced = grpo_forced_update(init, tmp / "rl") if not any(r.get("groups_used") for r in glog) else None
    load1 = os.getloadavg()

    sz = ours["sizes"]; N, Nh, Nl = sz["N"], sz["head"], sz["lora"]; Nb = N - Nh
    model_f = 4 * N + 6 * Nl                                        # model FLOPs per token (MFU-style)
    ex_ours = (ours["tokens"] - ours["prefix"]) * (4 * Nb + 6 * Nl) + ours["prefix"] * 2 * Nb + ours["head_tokens"] * 4 * Nh
    ex_trl = base["tokens"] * (4 * N + 6 * Nl + (2 * (Nb + Nl) if base["gc"] else 0))
    peak = max(peak0, peak1)
    rate = {k: dict(tps=r["tokens"] / r["seconds"], ttps=r["targets"] / r["seconds"]) for k, r in (("ours", ours), ("trl", base))}
    r_all, r_tgt = rate["ours"]["tps"] / rate["trl"]["tps"], rate["ours"]["ttps"] / rate["trl"]["ttps"]
    gf = lambda flops, r: flops / r["seconds"] / 1e9

    cmd = (command("train.py", a.quick, f"--sft-steps {a.sft_steps} --batch-tokens {a.batch_tokens} --trl-samples {a.trl_samples} "
                   f"--grpo-steps {a.grpo_steps} --G {a.G}") + f" --threads {a.threads}" + (f" --grpo-init {a.grpo_init}" if a.grpo_init else ""))
    lines = [f"## Training: SFT tokens/s against TRL's SFTTrainer, share of the matmul rate, GRPO seconds per step", "",
             f"Command: `{cmd}`; "
             f"machine: {platform.machine()}, {os.cpu_count()} cores, {a.threads} torch thread(s), Python {platform.python_version()}, torch {torch.__version__}, "
             f"TRL {trl.__version__}, peft {peft.__version__}, transformers {transformers.__version__}; load average (1 min) {load0[0]:.1f} at the start, {load1[0]:.1f} at the end "
             "(wall-clock rates: other processes on the machine slow both sides).", "",
             f"Data: `make_data` on the SFT split ({json.dumps(sizes)}) in {data_s:.0f} s: {meta['sequences']} packed sequences, {meta['steps']} chat samples, "
             f"{meta['tokens']} tokens of which {meta['target_tokens']} are reply (target) tokens. SmolLM2-135M-Instruct, float32 weights, bf16 autocast on both sides, "
             f"LoRA r{a.rank} (alpha {2 * a.rank}) on every linear layer: {Nl / 1e6:.2f} M trainable of {N / 1e6:.1f} M.", "",
             "### SFT throughput", "",
             "| trainer | data | steps | tokens processed | reply tokens | wall s | tokens/s | reply tokens/s |", "|---|---|---:|---:|---:|---:|---:|---:|",
             f"| mirothinker `train_sft` | {len(ours['rows'])} packed exact sequences (no padding), loss on reply tokens, LM head on targets only, "
             f"context before the first target run without gradient when over half ({ours['prefix']} tokens) | {ours['steps']} | {ours['tokens']} | {ours['targets']} | "
             f"{ours['seconds']:.1f} | {rate['ours']['tps']:.1f} | {rate['ours']['ttps']:.1f} |",
             f"| TRL `SFTTrainer` | the {base['samples']} chat samples of the first {base['rows']} of those sequences as `messages`, defaults "
             f"(bf16 {base['bf16']}, gradient checkpointing {base['gc']}, max_length {base['max_length']}, no packing), batch 1, loss on all tokens | "
             f"{base['steps']} | {base['tokens']} | {base['targets']} | {base['seconds']:.1f} | {rate['trl']['tps']:.1f} | {rate['trl']['ttps']:.1f} |", "",
             "Tokens processed: every token fed to the model (padding excluded; TRL's batch of 1 has none; its count comes from a hook on the model's "
             "inputs). Reply tokens: the assistant replies' tokens (the SFT targets), counted the same way on both sides, "
             f"also for TRL, which computes its loss on every token. {base['truncated']} TRL sample(s) reached max_length and were cut. "
             f"torch threads while TRL trained: {base['threads']}.", "",
             f"mirothinker against TRL: **{r_tgt:.2f}x** reply tokens/s, {r_all:.2f}x tokens/s. "
             f"Goal (issue 15): at least 2x, judged on reply tokens/s (the useful work per second): **{'met' if r_tgt >= 2 else 'NOT met'}**.", "",
             "### Share of the machine's matmul rate", "",
             f"Measured fp32 matmul rate (2048 x 2048, {a.threads} thread(s), 2 s each): {peak0:.1f} GFLOP/s before training, {peak1:.1f} after; "
             f"the higher, {peak:.1f}, is the peak below. bf16 matmul (same size, after training): {bf16:.1f} GFLOP/s. Both trainers run bf16 autocast, so their matmuls can beat the fp32 rate; "
             "the share of the bf16 rate is the tighter figure.", "",
             "| trainer | model GFLOP/s (4N + 6N_lora per token) | share of fp32 peak | of bf16 rate | executed GFLOP/s (estimate) | share of fp32 peak | of bf16 rate |", "|---|---:|---:|---:|---:|---:|---:|",
             f"| mirothinker `train_sft` | {gf(ours['tokens'] * model_f, ours):.1f} | {gf(ours['tokens'] * model_f, ours) / peak:.0%} | {gf(ours['tokens'] * model_f, ours) / bf16:.0%} | "
             f"{gf(ex_ours, ours):.1f} | {gf(ex_ours, ours) / peak:.0%} | {gf(ex_ours, ours) / bf16:.0%} |",
             f"| TRL `SFTTrainer` | {gf(base['tokens'] * model_f, base):.1f} | {gf(base['tokens'] * model_f, base) / peak:.0%} | {gf(base['tokens'] * model_f, base) / bf16:.0%} | "
             f"{gf(ex_trl, base):.1f} | {gf(ex_trl, base) / peak:.0%} | {gf(ex_trl, base) / bf16:.0%} |", "",
             f"Model FLOPs per token processed: 4N + 6N_lora = {model_f / 1e9:.3f} GFLOP, with N = {N / 1e6:.1f} M base parameters (the tied embedding counted once, "
             f"as the LM head's matmul), 2N forward and 2N for the activation gradients (the base weights get none), 6N_lora for the LoRA factors (forward, "
             "activation and weight gradients); attention's score and value products are left out (about 10% more at 1000 tokens). "
             f"Executed estimate: mirothinker runs the no-gradient prefix forward only (2N_body, N_body = N - head = {Nb / 1e6:.1f} M) and the "
             f"LM head ({Nh / 1e6:.1f} M) only at target positions (4N_head each); TRL runs every token forward and backward through the whole model"
             + (" and, with gradient checkpointing, the body forward again (+2(N_body + N_lora))" if base["gc"] else "") + ".", "",
             "### GRPO seconds per step", "",
             f"`train_grpo` from {init_what}: {'1 lookup_chain task' if a.quick else '1 lookup_chain task and 1 synthweb question'} per step, "
             f"G = {a.G} real agent runs each (batched generation, real tools, scorer reward), KL to the starting adapter; times from its `log.jsonl`.", "",
             "| step | rollouts s | update s | total s | runs | tool calls per run | accuracy | groups used / groups | target tokens updated |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in glog:
        lines.append(f"| {r['step']} | {r['rollout_s']:.1f} | {r['update_s']:.1f} | {r['sec']:.1f} | {r['groups'] * a.G} | {r['calls']:.1f} | {r['accuracy']:.2f} | "
                     f"{r['groups_used']} / {r['groups']} | {r['target_tokens']} |")
    n = len(glog)
    ro, up = sum(r["rollout_s"] for r in glog) / n, sum(r["update_s"] for r in glog) / n
    lines += ["", f"Mean per step: {ro:.1f} s rollouts, {up:.1f} s update ({ro / max(ro + up, 1e-9):.0%} of the step in rollouts)."]
    if forced:
        lines += ["", f"No group's rewards differed, so `train_grpo` skipped its updates (update s is only the bookkeeping). One update measured "
                      f"separately over the last step's {forced['runs']} runs with advantages +1/-1 (`grpo._update`, clip, AdamW step, merge into the rollout copy): "
                      f"**{forced['seconds']:.1f} s** for {forced['target_tokens']} target tokens."]
    text = "\n".join(lines)
    print(text)
    if not a.no_write: write_section("train", text)
    return dict(ratio_targets=r_tgt, ratio_tokens=r_all, ours=rate["ours"], trl=rate["trl"], peak=peak, bf16=bf16,
                mfu=gf(ours["tokens"] * model_f, ours) / peak, grpo=glog, forced=forced)


if __name__ == "__main__": main()
