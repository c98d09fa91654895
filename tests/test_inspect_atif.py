"""ATIF (Harbor's Agent Trajectory Interchange Format, RFC 0001) in and out (issue 17).

The published schema is the RFC's field tables (v1.4 here); Harbor's own validator (the `harbor` package) needs
Python 3.12 and is not installed, so `check_atif` below checks what the RFC requires: the required fields and their
types, the three step sources, agent-only fields only on agent steps, step ids 1, 2, 3, ..., and every result's
`source_call_id` naming a call of its own step. Our exports of every bundled run must pass it and read back the same.
"""
from __future__ import annotations
import json, shutil, subprocess

import pytest

from mirothinker.importers.atif import read_atif, to_atif, write_atif
from mirothinker.importers.loading import load, sample
from mirothinker.record.files import data_file

AGENT_ONLY = ("model_name", "reasoning_effort", "reasoning_content", "tool_calls", "metrics")

def check_atif(d: dict):
    "Assert what RFC 0001 (ATIF v1.4) requires of a trajectory document."
    assert isinstance(d["schema_version"], str) and d["schema_version"].startswith("ATIF-v1.")
    assert isinstance(d["session_id"], str) and d["session_id"]
    assert isinstance(d["agent"]["name"], str) and isinstance(d["agent"]["version"], str)
    assert [s["step_id"] for s in d["steps"]] == list(range(1, len(d["steps"]) + 1))
    for s in d["steps"]:
        assert s["source"] in ("system", "user", "agent") and isinstance(s["message"], str)
        if s["source"] != "agent": assert not any(k in s for k in AGENT_ONLY), s
        ids = set()
        for c in s.get("tool_calls", []):
            assert isinstance(c["tool_call_id"], str) and isinstance(c["function_name"], str) and isinstance(c["arguments"], dict)
            ids.add(c["tool_call_id"])
        for r in s.get("observation", {"results": []})["results"]:
            assert r.get("source_call_id") is None or r["source_call_id"] in ids
            assert r.get("content") is None or isinstance(r["content"], str)
        for k, v in s.get("metrics", {}).items():
            if k in ("prompt_tokens", "completion_tokens", "cached_tokens"): assert isinstance(v, int)
    for k in ("total_prompt_tokens", "total_completion_tokens", "total_steps"):
        assert isinstance(d.get("final_metrics", {}).get(k, 0), int)

def test_bundled_runs_out_and_back(tmp_path):
    "Every bundled run (TaskLog, MiroFlow, 30 MiroEval) exports as valid ATIF and reads back the same."
    runs = list(sample("tasklog")) + list(sample("miroflow")) + list(sample("miroeval"))
    for i, t in enumerate(runs):
        d = to_atif(t)
        check_atif(json.loads(json.dumps(d)))
        p = write_atif(t, tmp_path / f"{i}.json")
        back, = load(p, progress=False)                    # detected as ATIF by its schema_version
        assert back.model_dump() == t.model_dump(), t.id

SPEC_LIKE = {"schema_version": "ATIF-v1.4", "session_id": "s-42", "agent": {"name": "some-agent", "version": "2.0", "model_name": "m"},
             "steps": [{"step_id": 1, "source": "system", "message": "You are careful."},
                       {"step_id": 2, "source": "user", "message": "Create hello.txt."},
                       {"step_id": 3, "source": "agent", "message": "echo hi > hello.txt", "reasoning_content": "A shell command will do.",
                        "observation": {"results": [{"content": "(no output)"}]}, "metrics": {"prompt_tokens": 50, "completion_tokens": 8}},
                       {"step_id": 4, "source": "agent", "message": "", "tool_calls": [{"tool_call_id": "t1", "function_name": "read", "arguments": {"path": "hello.txt"}}],
                        "observation": {"results": [{"source_call_id": "t1", "content": "hi"}]}},
                       {"step_id": 5, "source": "user", "message": "Thanks; are you done?"},
                       {"step_id": 6, "source": "agent", "message": "Done: hello.txt holds 'hi'."}],
             "final_metrics": {"total_prompt_tokens": 50, "total_completion_tokens": 8, "total_steps": 6}}

def test_read_a_document_in_the_rfc_shape(tmp_path):
    "A document in the RFC's shape: system prompt, task, an action without a tool call, a tool call, a later prompt, the answer."
    check_atif(SPEC_LIKE)
    p = tmp_path / "trajectory.json"; p.write_text(json.dumps(SPEC_LIKE))
    t, = load(p, progress=False)
    assert (t.id, t.model.name, t.system_prompts["main"], t.task.question) == ("s-42", "m", "You are careful.", "Create hello.txt.")
    shell, read, done = t.steps
    assert (shell.tool_call, shell.observation.content, shell.thought, shell.tokens_in) == (None, "(no output)", "A shell command will do.", 50)
    assert (read.tool_call.tool, read.tool_call.arguments, read.observation.content) == ("read", {"path": "hello.txt"}, "hi")
    assert (done.prompt, t.outcome.status, t.outcome.answer) == ("Thanks; are you done?", "success", "Done: hello.txt holds 'hi'.")
    again = to_atif(t)                                  # and out again: the same steps, in the same shape
    check_atif(again)
    keep = lambda st: (st["source"], st["message"], st.get("tool_calls"), st.get("observation"), st.get("metrics"))
    assert [keep(s) for s in again["steps"]] == [keep(s) for s in SPEC_LIKE["steps"]]

@pytest.mark.skipif(shutil.which("mirothinker") is None, reason="the mirothinker command is not installed")
def test_cli_convert_to_atif(tmp_path):
    "`mirothinker convert TRACE out.atif.json` writes one run as ATIF; a file of several runs is refused with a clear line."
    out = tmp_path / "t.atif.json"
    r = subprocess.run(["mirothinker", "convert", str(data_file("traces/tasklog_constructed.json")), str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    check_atif(json.loads(out.read_text()))
    r = subprocess.run(["mirothinker", "convert", str(data_file("traces/miroeval_mirothinker17_multimodal.json")), str(tmp_path / "m.atif.json")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "an ATIF file holds one run" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
