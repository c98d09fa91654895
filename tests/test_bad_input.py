"""Malformed trace files, as a careless user or an attacker would give them (issue 14, "Importers and the CLI").

Every kind in `CASES` is fed to `load` and to the installed `mirothinker` command. `load` must raise a
`TrajectoryError` that names the file and where in it (the line, the field); the command must exit 2 with that
one line on stderr and no traceback. The kinds cover wrong-typed TaskLog, OpenAI and MiroEval fields, a string
where an object or a list belongs, ids that are not ids, JSON nested deeper than the readers allow (on a middle
JSONL line too), bytes that are not UTF-8, mirothinker JSONL and Parquet files that do not fit the record.

Two kinds are not errors, and are checked for what they record instead: tool arguments that are not a JSON
object (a model's mistake, which a trace may hold: kept as written and flagged as a format error, never read as
`{}`), and text with a lone surrogate (half an emoji: replaced by U+FFFD, with a warning that says so).

On the code before the fix (`git archive HEAD` into a folder put first on PYTHONPATH, which the command's
subprocesses inherit) most kinds end in a traceback or load silently; see the notes of issue 14.
"""
from __future__ import annotations
import copy, json, os, shutil, subprocess, sys, threading, time, warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyarrow as pa, pyarrow.parquet as pq
import pytest

from mirothinker.importers.loading import load
from mirothinker.record.files import data_file
from mirothinker.record.schema import TrajectoryError

MIROTHINKER = shutil.which("mirothinker")
TASKLOG = json.loads(data_file("traces/tasklog_constructed.json").read_text(encoding="utf-8"))
MIROEVAL = json.loads(data_file("traces/miroeval_mirothinker17_multimodal.json").read_text(encoding="utf-8"))[:2]
CHAT = {"id": "c1", "messages": [
    {"role": "system", "content": "You answer with tools."}, {"role": "user", "content": "What is 2+3?"},
    {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "type": "function",
                                                          "function": {"name": "add", "arguments": "{\"a\": 2, \"b\": 3}"}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "5"}, {"role": "assistant", "content": "\\boxed{5}"}]}
DEEP = "[" * 100_000 + "]" * 100_000               # Python's JSON reader gives up long before this depth
NESTED = lambda n: '{"a": ' * n + "1" + "}" * n    # nesting that Python reads, but records cannot hold
BAD_UTF8 = json.dumps(CHAT, indent=1).encode().replace(b"What is", b"Wh\xe0t is")   # a Latin-1 byte, not UTF-8
BAD_LINE = BAD_UTF8[:BAD_UTF8.index(b"\xe0")].count(b"\n") + 1
OURS = [{"type": "trajectory", "id": "r1", "version": "2", "task": {"id": "t1", "question": "q"}},
        {"type": "step", "run": "r1", "index": 0, "text": "\\boxed{1}", "answer": "1"},
        {"type": "outcome", "run": "r1", "status": "success", "answer": "1"}]

ATIF = {"schema_version": "ATIF-v1.4", "session_id": "s1", "agent": {"name": "a", "version": "1"},
        "steps": [{"step_id": 1, "source": "user", "message": "What is 2+3?"},
                  {"step_id": 2, "source": "agent", "message": "", "tool_calls": [{"tool_call_id": "a", "function_name": "add", "arguments": {"x": 2}}],
                   "observation": {"results": [{"source_call_id": "a", "content": "5"}]}}]}

def atif(**kw):
    "The ATIF document above with its agent step's keys replaced."
    d = copy.deepcopy(ATIF); d["steps"][1].update(kw); return d

def tasklog(**kw):
    "The bundled TaskLog with top-level keys replaced."
    d = copy.deepcopy(TASKLOG); d.update(kw); return d

def env(**kw): return tasklog(env_info={**TASKLOG["env_info"], **kw})
def step_log(**kw): return tasklog(step_logs=[{"step_name": "agent-browsing | Session Start", "message": "start", **kw}])

def chat(i=None, call=None, fn=None, **kw):
    "The chat above with message `i` (or its first tool call, or that call's function) updated."
    d = copy.deepcopy(CHAT)
    if call is not None: d["messages"][2]["tool_calls"][0].update(call)
    if fn is not None: d["messages"][2]["tool_calls"][0]["function"].update(fn)
    if i is not None: d["messages"][i].update(kw)
    elif kw: d.update(kw)
    return d

def miroeval(**kw):
    "Two MiroEval records, the first one's keys replaced."
    d = copy.deepcopy(MIROEVAL); d[0].update(kw); return d

def lines(*recs) -> bytes:
    "JSONL bytes: dicts are dumped, bytes kept as they are."
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in recs)

def parquet(change: Callable[[pa.Table], pa.Table]):
    "A Parquet table of the bundled TaskLog run, changed."
    def make():
        from mirothinker.importers.loading import sample
        return change(sample("tasklog").table)
    return make

def column(name, values):
    return lambda t: t.set_column(t.column_names.index(name), name, values)

@dataclass
class Case:
    name: str                      # what is wrong, as a test id
    file: str                      # the file's name (its suffix decides the reader)
    make: Callable                 # its content: JSON-able, bytes, or an Arrow table
    where: tuple = ()              # what the error must name besides the file: "line N", "field 'F'"

    def write(self, folder: Path) -> Path:
        d = folder / self.name; d.mkdir(parents=True, exist_ok=True)
        p, content = d / self.file, self.make()
        if p.exists() or p.is_symlink(): p.unlink()
        if content is FIFO: os.mkfifo(p)
        elif isinstance(content, pa.Table): pq.write_table(content, p)
        elif isinstance(content, bytes): p.write_bytes(content)
        else: p.write_text(json.dumps(content), encoding="utf-8")
        return p

F = lambda f: f"field {f!r}"
FIFO = object()          # a named pipe: reading it waits for a writer that never comes
CASES = [
    # TaskLog: ids that are not ids, wrong-typed fields, a string or a number where an object or a list belongs
    Case("tasklog_task_id_null", "log.json", lambda: tasklog(task_id=None), (F("task_id"),)),
    Case("tasklog_task_id_object", "log.json", lambda: tasklog(task_id={"a": 1}), (F("task_id"),)),
    Case("tasklog_task_id_list", "log.json", lambda: tasklog(task_id=["t"]), (F("task_id"),)),
    Case("tasklog_input_number", "log.json", lambda: tasklog(input=5), (F("input"),)),
    Case("tasklog_input_file_number", "log.json", lambda: tasklog(input={"task_description": "q", "task_file_name": 5}), (F("input.task_file_name"),)),
    Case("tasklog_ground_truth_number", "log.json", lambda: tasklog(ground_truth=2599), (F("ground_truth"),)),
    Case("tasklog_answer_number", "log.json", lambda: tasklog(final_boxed_answer=2599), (F("final_boxed_answer"),)),
    Case("tasklog_verdict_object", "log.json", lambda: tasklog(final_judge_result={"ok": True}), (F("final_judge_result"),)),
    Case("tasklog_error_list", "log.json", lambda: tasklog(error=["boom"]), (F("error"),)),
    Case("tasklog_start_time_number", "log.json", lambda: tasklog(start_time=1732111390), (F("start_time"),)),
    Case("tasklog_keep_tool_result_text", "log.json", lambda: env(keep_tool_result="5"), (F("env_info.keep_tool_result"),)),
    Case("tasklog_max_turns_text", "log.json", lambda: env(main_agent_max_turns="many"), (F("env_info.main_agent_max_turns"),)),
    Case("tasklog_model_name_number", "log.json", lambda: env(llm_model_name=30), (F("env_info.llm_model_name"),)),
    Case("tasklog_temperature_text", "log.json", lambda: env(llm_temperature="hot"), (F("env_info.llm_temperature"),)),
    Case("tasklog_temperature_infinite", "log.json", lambda: json.dumps(env(llm_temperature=0.5)).replace("0.5", "1e999").encode(), (F("env_info.llm_temperature"),)),
    Case("tasklog_max_turns_huge", "log.json", lambda: env(main_agent_max_turns=10**30), (F("env_info.main_agent_max_turns"),)),
    Case("tasklog_step_logs_number", "log.json", lambda: tasklog(step_logs=5), (F("step_logs"),)),
    Case("tasklog_step_logs_text", "log.json", lambda: tasklog(step_logs="Main | Task Start"), (F("step_logs"),)),
    Case("tasklog_step_log_metadata_text", "log.json", lambda: step_log(metadata="agent-browsing_1"), (F("step_logs[0].metadata"),)),
    Case("tasklog_session_id_object", "log.json", lambda: step_log(metadata={"session_id": {"n": 1}}), (F("step_logs[0].metadata.session_id"),)),
    Case("tasklog_system_prompt_number", "log.json",
         lambda: tasklog(main_agent_message_history={**TASKLOG["main_agent_message_history"], "system_prompt": 5}),
         (F("main_agent_message_history.system_prompt"),)),
    Case("tasklog_history_text", "log.json", lambda: tasklog(main_agent_message_history={"message_history": "hello"}),
         (F("main_agent_message_history.message_history"),)),
    # OpenAI chats
    Case("chat_tool_calls_number", "chat.json", lambda: chat(2, tool_calls=5), (F("messages[2].tool_calls"),)),
    Case("chat_tool_calls_text", "chat.json", lambda: chat(2, tool_calls="add(2, 3)"), (F("messages[2].tool_calls"),)),
    Case("chat_tool_calls_object", "chat.json", lambda: chat(2, tool_calls={"function": {"name": "add"}}), (F("messages[2].tool_calls"),)),
    Case("chat_function_text", "chat.json", lambda: chat(call={"function": "add"}), (F("messages[2].tool_calls[0].function"),)),
    Case("chat_call_id_object", "chat.json", lambda: chat(call={"id": {"n": 1}}), (F("messages[2].tool_calls[0].id"),)),
    Case("chat_arguments_number", "chat.json", lambda: chat(fn={"arguments": 5}), (F("messages[2].tool_calls[0].function.arguments"),)),
    Case("chat_arguments_list", "chat.json", lambda: chat(fn={"arguments": [1, 2]}), (F("messages[2].tool_calls[0].function.arguments"),)),
    Case("chat_tool_call_id_object", "chat.json", lambda: chat(3, tool_call_id={"n": 1}), (F("messages[3].tool_call_id"),)),
    Case("chat_id_object", "chat.json", lambda: chat(id={"n": 1}), (F("id"),)),
    Case("chat_id_list", "chat.json", lambda: chat(id=["c1"]), (F("id"),)),
    Case("chat_part_type_number", "chat.json", lambda: chat(1, content=[{"type": 5}]), (F("messages[1].content[0].type"),)),
    Case("chat_text_part_number", "chat.json", lambda: chat(1, content=[{"type": "text", "text": 5}]), (F("messages[1].content[0].text"),)),
    Case("bare_list_part_number", "chat.json", lambda: [{"role": "user", "content": [5]}], (F("[0].content[0]"),)),  # was 'None[0]'
    Case("chat_jsonl_id_object", "chat.jsonl", lambda: lines(CHAT, chat(id={"n": 1})), ("line 2", F("id"))),
    Case("chat_jsonl_deep_middle", "chat.jsonl", lambda: lines(CHAT, b'{"messages": ' + DEEP.encode() + b"}", CHAT), ("line 2",)),
    Case("chat_jsonl_nested_middle", "chat.jsonl", lambda: lines(CHAT, chat(fn={"arguments": json.loads(NESTED(150))})), ("line 2",)),
    Case("chat_jsonl_bad_utf8_middle", "chat.jsonl", lambda: lines(CHAT, b'{"messages": [{"role": "user", "content": "caf\xe9"}]}'), ("line 2",)),
    Case("chat_jsonl_bad_utf8_first", "chat.jsonl", lambda: lines(b'{"messages": [{"role": "user", "content": "\xff\xfe"}]}', CHAT), ("line 1",)),
    # MiroEval records
    Case("miroeval_id_null", "miroeval.json", lambda: miroeval(id=None), (F("[0].id"),)),
    Case("miroeval_id_object", "miroeval.json", lambda: miroeval(id={"n": 71}), (F("[0].id"),)),
    Case("miroeval_id_list", "miroeval.json", lambda: miroeval(id=[71]), (F("[0].id"),)),
    Case("miroeval_files_text", "miroeval.json", lambda: miroeval(files="abc"), (F("[0].files"),)),
    Case("miroeval_files_number", "miroeval.json", lambda: miroeval(files=5), (F("[0].files"),)),
    Case("miroeval_file_number", "miroeval.json", lambda: miroeval(files=[5]), (F("[0].files[0]"),)),
    Case("miroeval_file_name_number", "miroeval.json", lambda: miroeval(files=[{"filename": 5}]), (F("[0].files[0].filename"),)),
    Case("miroeval_query_number", "miroeval.json", lambda: miroeval(rewritten_query=5), (F("[0].rewritten_query"),)),
    # ATIF trajectories
    Case("atif_session_id_null", "trajectory.json", lambda: {**ATIF, "session_id": None}, (F("session_id"),)),
    Case("atif_step_text", "trajectory.json", lambda: {**ATIF, "steps": ["hello"]}, (F("steps[0]"),)),
    Case("atif_arguments_text", "trajectory.json", lambda: atif(tool_calls=[{"tool_call_id": "a", "function_name": "add", "arguments": "[1, 2]"}]),
         (F("steps[1].tool_calls[0].arguments"),)),
    Case("atif_result_of_no_call", "trajectory.json", lambda: atif(observation={"results": [{"source_call_id": "zz", "content": "5"}]}),
         (F("steps[1].observation.results[0].source_call_id"),)),
    Case("atif_tokens_text", "trajectory.json", lambda: atif(metrics={"prompt_tokens": "40"}), (F("steps[1].metrics.prompt_tokens"),)),
    # any JSON: nested too deep (a whole file on one line, or from its third line on), not UTF-8
    Case("json_deep", "deep.json", lambda: DEEP.encode(), ("line 1",)),
    Case("json_deep_third_line", "deep.json", lambda: b'{"messages": [\n{"role": "user",\n"content": ' + DEEP.encode() + b"}]}", ("line 3",)),
    Case("json_bad_utf8", "chat.json", lambda: BAD_UTF8, (f"line {BAD_LINE}",)),
    Case("pipe", "trace.json", lambda: FIFO, ()),
    # mirothinker JSONL (read by record.files through load)
    Case("ours_deep_middle", "run.jsonl", lambda: lines(OURS[0], b'{"type": "step", "run": "r1", "index": 0, "text": ' + DEEP.encode() + b"}", OURS[2]), ("line 2",)),
    Case("ours_bad_utf8", "run.jsonl", lambda: lines(OURS[0], json.dumps(OURS[1]).encode().replace(b"boxed", b"b\xffxed"), OURS[2]), ("line 2",)),
    Case("ours_nested_middle", "run.jsonl", lambda: lines(OURS[0], {**OURS[1], "tool_call": {"tool": "f", "arguments": json.loads(NESTED(150))}}, OURS[2]), ("line 2",)),
    Case("ours_index_huge", "run.jsonl", lambda: lines(OURS[0], {**OURS[1], "index": 10**30}, OURS[2]), (F("steps[0].index"),)),
    Case("ours_run_object", "run.jsonl", lambda: lines(OURS[0], {**OURS[1], "run": {"id": "r1"}}, OURS[2]), ("line 2", F("run"))),
    # Parquet that does not fit the record
    Case("parquet_no_steps", "set.parquet", parquet(lambda t: t.drop_columns(["steps"])), (F("steps"),)),
    Case("parquet_no_outcome", "set.parquet", parquet(lambda t: t.drop_columns(["outcome"])), (F("outcome"),)),
    Case("parquet_steps_of_numbers", "set.parquet", parquet(column("steps", pa.array([[1, 2]]))), (F("steps"),)),
    Case("parquet_steps_without_index", "set.parquet", parquet(column("steps", pa.array([[{"text": "hi"}]]))), (F("steps"),)),
    Case("parquet_id_null", "set.parquet", parquet(column("id", pa.array([None], pa.large_string()))), (F("id"),)),
]
IDS = [c.name for c in CASES]
assert len(set(IDS)) == len(IDS)

@pytest.fixture(scope="module")
def folder(tmp_path_factory): return tmp_path_factory.mktemp("bad_input")

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_load_refuses(case, folder):
    "`load` raises a `TrajectoryError` that names the file and where in it; nothing else escapes."
    p, out = case.write(folder), {}
    def run():
        try: load(p, progress=False)
        except BaseException as e: out["error"] = e
    th = threading.Thread(target=run, daemon=True); th.start(); th.join(60)
    if th.is_alive():                                    # blocked reading a pipe: give it a writer, so that the thread ends
        os.close(os.open(p, os.O_WRONLY | os.O_NONBLOCK)); th.join(10)
        pytest.fail(f"load({p.name}) blocked")
    assert isinstance(out.get("error"), TrajectoryError), repr(out.get("error"))
    msg = str(out["error"])
    assert msg.startswith(f"{p}, ") or msg.startswith(f"{p}: "), msg
    for w in case.where: assert w in msg, (w, msg)

COMMANDS = ["summary", "show", "convert", "view"]

def _cli(args, cwd, timeout=120):
    try: return subprocess.run([MIROTHINKER, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                               env={**os.environ, "PYTHONWARNINGS": "ignore"})
    except subprocess.TimeoutExpired: return subprocess.CompletedProcess(args, -9, "", f"timed out after {timeout} s")

def _argv(cmd, p: Path):
    if cmd == "convert": return [cmd, p, p.parent / "out.jsonl"]
    if cmd == "view": return [cmd, p, "-o", p.parent / "out.html"]
    return [cmd, p]

@pytest.fixture(scope="module")
def cli_runs(folder):
    "Each kind through one of the four commands (in turn: all four read the file with `load` first), three at a time."
    jobs = {c.name: (COMMANDS[i % 4], c.write(folder)) for i, c in enumerate(CASES)}
    with ThreadPoolExecutor(3) as ex:
        futs = {n: ex.submit(_cli, _argv(cmd, p), p.parent) for n, (cmd, p) in jobs.items()}
        return {n: (jobs[n][0], jobs[n][1], f.result()) for n, f in futs.items()}

@pytest.mark.skipif(MIROTHINKER is None, reason="the mirothinker command is not installed")
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_refuses(case, cli_runs):
    "The command exits 2 with one clean line on stderr that names the file and where; no traceback, no output file."
    cmd, p, r = cli_runs[case.name]
    err = r.stderr.strip()
    assert r.returncode == 2, (cmd, r.returncode, err[-2000:])
    assert "Traceback" not in r.stderr and len(err.splitlines()) == 1, (cmd, err[-2000:])
    assert err.startswith(f"mirothinker: {p}"), (cmd, err)
    for w in case.where: assert w in err, (cmd, w, err)
    assert not (p.parent / "out.jsonl").exists() and not (p.parent / "out.html").exists()

# --- kinds that are not errors: recorded as they are, and said so

def test_arguments_not_an_object_are_kept_and_flagged(tmp_path):
    "OpenAI arguments '[1,2]' (a model's mistake) are kept as written and flagged as a format error, not read as {}."
    p = tmp_path / "chat.json"; p.write_text(json.dumps(chat(fn={"arguments": "[1,2]"})))
    t, = load(p)
    s = t.steps[0]
    assert (s.tool_call.tool, s.tool_call.unparsed_arguments, s.tool_call.arguments) == ("add", "[1,2]", {})
    assert s.flags.format_error and "not a JSON object" in s.flags.reason, s.flags

SURROGATE = {"messages": [{"role": "user", "content": "Which flag? \ud83d"},
                          {"role": "assistant", "content": "The flag \udc4d is red. \\boxed{red}"}]}

def test_lone_surrogate_replaced_and_said(tmp_path):
    "Half an emoji (a lone surrogate) cannot be stored as UTF-8: it is replaced by U+FFFD, and a warning names the file and field."
    p = tmp_path / "chat.json"; p.write_text(json.dumps(SURROGATE))      # json.dumps writes the \\ud83d escape
    with pytest.warns(UserWarning, match="lone surrogate") as w: t, = load(p)
    assert str(p) in str(w[0].message) and "field 'task.question'" in str(w[0].message)
    assert (t.task.question, t.steps[0].text) == ("Which flag? \ufffd", "The flag \ufffd is red. \\boxed{red}")
    assert t.outcome.answer == "red"
    p = tmp_path / "miroeval.json"; p.write_text(json.dumps(miroeval(annotation={"\ud83d": 1})))    # in a key, too
    with pytest.warns(UserWarning, match="lone surrogate"): ts = load(p)
    assert ts[0].task.metadata["annotation"] == {"\ufffd": 1}

def test_quadratic_texts_load_fast(tmp_path):
    "Texts on which a lazy regex backtracks (a failure sentence, a document's pages) load in linear time."
    failed = "Tool call to " + "a on " * 40_000                  # 200 KB: `^Tool call to (.+?) on (.+?) failed` took ~35 s
    p = tmp_path / "chat.json"; p.write_text(json.dumps(chat(3, content=failed)))
    t0 = time.process_time(); t, = load(p); took = time.process_time() - t0
    assert t.steps[0].observation.content == failed and took < 2, took
    proc = "[read_document] report.pdf" + " " * 200_000 + "x"      # `^(.*?)\\s+pages=` took ~50 s
    p = tmp_path / "miroeval.json"; p.write_text(json.dumps(miroeval(process=proc)))
    t0 = time.process_time(); ts = load(p); took = time.process_time() - t0
    assert ts[0].steps[0].tool_call.arguments["input"].startswith("report.pdf") and took < 2, took

@pytest.mark.skipif(MIROTHINKER is None, reason="the mirothinker command is not installed")
def test_lone_surrogate_cli(tmp_path):
    "All four commands read the file with a lone surrogate and succeed."
    p = tmp_path / "chat.json"; p.write_text(json.dumps(SURROGATE))
    with ThreadPoolExecutor(2) as ex:
        runs = list(ex.map(lambda c: (c, _cli(_argv(c, p), tmp_path)), COMMANDS))
    for cmd, r in runs: assert r.returncode == 0 and "Traceback" not in r.stderr, (cmd, r.stderr[-2000:])
    assert "\ufffd" in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
