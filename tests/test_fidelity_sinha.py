"""Sinha et al. 2025's `dict_sum` (long-horizon-execution/measuring-execution, commit d95e009): the task and its scoring.

1. The generator: values the original's own `DictSumUtil` printed, run once in a scratch folder (its code is not a
   dependency): the published dataset's settings (100 words, [-99, 99], 50,000 keys per instance, seed 42).
2. The messages: the original task through the real `Agent`, with a scripted model, is the original's conversation:
   its system message, then only the keys of each turn.
3. The scoring: the original's evaluator (`DictSumOutputParser.parse`, `NewDictSumEvaluator`'s index, prefix and step
   accuracy, not filled with ground truth) transcribed below from its definition, against `analysis.drift` on
   trajectories of random replies, recorded as the loop records them; and the lenient variant on a table worked by hand.
"""
import random
import re

import numpy as np
import pytest

from mirothinker.analysis.drift import turn_accuracy, turn_rows
from mirothinker.loop.agent import Agent
from mirothinker.models.base import ScriptedModel
from mirothinker.record.schema import Step, Trajectory
from mirothinker.record.text import extract_boxed, task_answer
from mirothinker.tasks.answers import turn_correct
from mirothinker.tasks.suites import dict_sum, dict_sum_agent_kwargs


def test_the_published_dataset():
    "DictSumUtil(num_pairs=100, min_value=-99, max_value=99, horizon_length=50000, num_instances=100, seed=42), as it printed."
    ts = dict_sum(n=100, turns=8, k=1, seed=42)
    d = ts[0].metadata["dictionary"]
    assert list(d.items())[:6] == [("drive", -45), ("alone", 46), ("adult", 84), ("fault", -19), ("brain", -45), ("blind", 68)]
    assert (len(d), sum(d.values()), list(d)[-3:]) == (100, 244, ["alarm", "could", "block"])
    keys = lambda t: [k for ks in t.metadata["keys"] for k in ks]
    assert keys(ts[0]) == ["alarm", "coach", "doubt", "cable", "above", "every", "cloud", "alive"]
    assert ts[0].metadata["states"] == [88, 57, -7, -39, 7, 45, 138, 79]
    assert (keys(ts[2])[:5], ts[2].metadata["states"][:5]) == (["alarm", "brand", "admit", "black", "first"], [88, 100, 175, 267, 196])
    assert (keys(ts[99])[:5], ts[99].metadata["states"][:5]) == (["enter", "broad", "alarm", "bring", "dream"], [50, -45, 43, 26, -12])
    assert all(t.metadata["system_prompt"].count(str(d)) == 1 for t in ts)


@pytest.mark.parametrize("k, cot", [(1, False), (3, False), (2, True)])
def test_the_conversation_is_the_originals(k, cot):
    task = dict_sum(n=1, turns=3, k=k, seed=42, vocab_size=12, cot=cot)[0]
    states = task.metadata["states"]
    m = ScriptedModel([f"<answer>{s}</answer>" for s in states])
    traj = Agent(m, [], **dict_sum_agent_kwargs(task)).run(task)
    system = task.metadata["system_prompt"]
    assert system.startswith("You are an AI assistant. I will provide you with a dictionary")
    assert ("in groups of" in system) == (k > 1) and ("think step by step" in system) == cot
    prefix = "IMPORTANT: Always think step by step, showing how you look up each value and calculate the running sum.\n" \
             "Only put the final running sum in <answer> tags.\n\nHere are the next keys to process:\n" if cot else ""
    users = [prefix + ", ".join(ks) for ks in task.metadata["keys"]]
    assert m.seen[0] == [{"role": "system", "content": system}, {"role": "user", "content": users[0]}]
    for t in (1, 2):                                                # then the model's answer, and only the next keys
        assert m.seen[t][-2:] == [{"role": "assistant", "content": f"<answer>{states[t - 1]}</answer>"}, {"role": "user", "content": users[t]}]
    assert turn_correct(traj) == [True, True, True] and traj.outcome.answer == str(states[-1])


# --- the original's evaluator, transcribed from its definition -------------------------------------------------
NOOP, INVALID = "<NoOp>", "<IncorrectFormat>"

def original_parse(text):
    "DictSumOutputParser.parse on one turn's output (thinking mode): <think> blocks out, the first <answer> tag, int()."
    m = re.search(r"<answer>(.*?)</answer>", re.sub(r"<think>.*?</think>", "", text, flags=re.DOTALL).strip(), re.DOTALL)
    if not m: return NOOP
    try: return int(m.group(1).strip())
    except ValueError: return INVALID

def original_metrics(outputs, values, expected):
    "NewDictSumEvaluator: per turn, index, prefix and step accuracy over instances (outputs[i][s], values[i][s], expected[i][s])."
    n, S = len(outputs), len(expected[0])
    prefix, adjusted = [[1] * n], [[0] * n]
    idx_acc, pre_acc, step_acc = [], [], []
    for s in range(S):
        parsed = [original_parse(outputs[i][s]) for i in range(n)]
        index = [int(parsed[i] == expected[i][s]) for i in range(n)]
        prefix.append([int(prefix[-1][i] and parsed[i] == expected[i][s]) for i in range(n)])
        adj = [p if isinstance(p, int) else (0 if s == 0 else adjusted[-1][i]) for i, p in enumerate(parsed)]
        step = index if s == 0 else [int(adj[i] == sum(values[i][s]) + adjusted[-1][i]) for i in range(n)]
        adjusted.append(adj)
        idx_acc.append(np.mean(index)); pre_acc.append(np.mean(prefix[-1])); step_acc.append(np.mean(step))
    return idx_acc, pre_acc, step_acc

def reply(rng, truth, last):
    "A random reply to a turn: right, off, repeated, unreadable, not an integer, two tags, a box, a thought."
    kind = rng.randrange(9)
    return [f"<answer>{truth}</answer>", f"<answer>{truth + rng.choice([-3, 1, 7])}</answer>", f"<answer>{last}</answer>",
            "I lost count.", f"<answer>{truth}.0</answer>", f"<answer>{truth + 1}</answer> no: <answer>{truth}</answer>",
            f"The total is \\boxed{{{truth}}}", f"<think>maybe <answer>{truth + 2}</answer></think> <answer> {truth} </answer>",
            f"<ANSWER>{truth}</ANSWER>"][kind]


def test_scoring_is_the_originals():
    tasks = dict_sum(n=60, turns=12, k=2, seed=7, vocab_size=5, lo=-3, hi=3, drawn=None)   # small values: zero increments occur
    rng, outputs, trajs = random.Random(0), [], []
    for t in tasks:
        texts, last = [], 0
        for s in t.metadata["states"]:
            texts.append(reply(rng, s, last)); last = s
        outputs.append(texts)
        steps = [Step(index=j, text=x, answer=task_answer(x, t, extract_boxed(x)), turn=j) for j, x in enumerate(texts)]
        trajs.append(Trajectory(id=t.id, task=t, steps=steps))
    d = tasks[0].metadata["dictionary"]
    values = [[[d[w] for w in ks] for ks in t.metadata["keys"]] for t in tasks]
    idx, pre, step = original_metrics(outputs, values, [t.metadata["states"] for t in tasks])
    acc = turn_accuracy(turn_rows(trajs))
    assert acc.index_acc.tolist() == pytest.approx(idx, abs=1e-12)
    assert acc.prefix_acc.tolist() == pytest.approx(pre, abs=1e-12)
    assert acc.step_acc.tolist() == pytest.approx(step, abs=1e-12)
    assert (acc.step_n == 60).all()                                 # every turn stays in the step denominator
    zero = sum(1 for t, o in zip(tasks, outputs) for j in range(1, 12)
               if original_parse(o[j]) in (NOOP, INVALID) and t.metadata["states"][j] == t.metadata["states"][j - 1])
    assert zero > 0                                                 # the carried-forward quirk was exercised
    # the lenient rules on the same replies score more turns right, and drop turns after unreadable ones from the step
    lenient = [tr.model_copy(update={"task": tr.task.model_copy(update={"metadata": {**tr.task.metadata, "answer_format": "answer_tag"}})}) for tr in trajs]
    for tr in lenient:
        tr.steps = [s.model_copy(update={"answer": task_answer(s.text, tr.task, extract_boxed(s.text))}) for s in tr.steps]
    la = turn_accuracy(turn_rows(lenient))
    assert (la.index_acc >= acc.index_acc).all() and la.index_acc.sum() > acc.index_acc.sum() and (la.step_n < 60).any()


def test_lenient_variant_by_hand():
    "The lenient variant through the real Agent: everything in the first user message; `12.0`, the last tag and a box count."
    task = dict_sum(n=1, turns=3, k=1, seed=5, vocab_size=4, variant="lenient")[0]
    s = task.metadata["states"]
    m = ScriptedModel([f"<answer>{s[0]}.0</answer>", f"<answer>0</answer> sorry: <answer>{s[1]}</answer>", f"so \\boxed{{{s[2]}}}"])
    traj = Agent(m, [], system_prompt="Keep a running total.", answer_instruction="").run(task)
    assert m.seen[0][1]["content"] == task.question and "The dictionary:\n" in task.question
    assert turn_correct(traj) == [True, True, True]
    strict = traj.model_copy(update={"task": task.model_copy(update={"metadata": {**task.metadata, "answer_format": "answer_tag_strict"}})})
    strict.steps = [x.model_copy(update={"answer": None}) for x in traj.steps]   # read again by the original's rule
    assert turn_correct(strict) == [False, False, False]
