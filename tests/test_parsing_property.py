"""Property tests of the parsing contract: any model output, in any dialect, gives calls or a format error with a reason, and never raises."""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from mirothinker.loop.parsing import CALL_FRAGMENTS, DIALECTS, check_parse, parse_output

fragments = st.lists(st.sampled_from(CALL_FRAGMENTS) | st.text(max_size=12), max_size=80).map("".join)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=6),
                           lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4), max_leaves=10)
names = st.text(max_size=10) | st.sampled_from(["google_search", "tool-python-run_python_code", ""]) | st.none()


@st.composite
def mcp_blocks(draw):
    "A `<use_mcp_tool>` block with random pieces dropped or damaged."
    parts = ["<use_mcp_tool>", "\n<server_name>", draw(st.text(max_size=10)), "</server_name>", "\n<tool_name>",
             draw(st.text(max_size=10)), "</tool_name>", "\n<arguments>\n",
             draw(st.one_of(json_values.map(json.dumps), st.text(max_size=30))), "\n</arguments>", "\n</use_mcp_tool>"]
    drop = draw(st.sets(st.integers(0, len(parts) - 1), max_size=3))
    return draw(st.text(max_size=20)) + "".join(p for i, p in enumerate(parts) if i not in drop)


@st.composite
def hermes_blocks(draw):
    "A `<tool_call>` block whose JSON may be cut, wrong-typed or unclosed."
    body = json.dumps({"name": draw(names), "arguments": draw(json_values | json_values.map(json.dumps))})
    body = body[: draw(st.integers(0, len(body)))]
    return draw(st.text(max_size=20)) + "<tool_call>" + body + draw(st.sampled_from(["</tool_call>", ""]))


tool_calls = st.lists(json_values | st.fixed_dictionaries(
    {"id": st.text(max_size=4) | st.none(),
     "function": st.fixed_dictionaries({"name": names, "arguments": st.text(max_size=20) | json_values})}), max_size=4)

outputs = st.one_of(st.text(), fragments, mcp_blocks(), hermes_blocks(),
                    st.lists(mcp_blocks() | hermes_blocks(), min_size=2, max_size=4).map("\n".join))


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outputs, st.sampled_from(DIALECTS), tool_calls | st.none())
def test_parse_never_raises_and_explains(text, dialect, tcs):
    check_parse(text, dialect, tcs)


@settings(max_examples=500, deadline=None)
@given(mcp_blocks())
def test_a_complete_block_is_a_call_or_an_error(text):
    p = parse_output(text, "mcp_xml")
    if "<use_mcp_tool>" in text or "</use_mcp_tool>" in text:
        assert p.calls or p.error


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), json_values, max_size=4), st.sampled_from(["tool-a", "b"]))
def test_well_formed_calls_round_trip(args, server):
    "A call written correctly comes back exactly (None-valued arguments dropped, as upstream does)."
    want = {k: v for k, v in args.items() if v is not None}
    mcp = f"<use_mcp_tool>\n<server_name>{server}</server_name>\n<tool_name>f</tool_name>\n<arguments>\n{json.dumps(args)}\n</arguments>\n</use_mcp_tool>"
    herm = "<tool_call>" + json.dumps({"name": "f", "arguments": args}) + "</tool_call>"
    for p in (parse_output(mcp, "mcp_xml"), parse_output(herm, "hermes"),
              parse_output("", "openai", [{"id": "x", "function": {"name": "f", "arguments": json.dumps(args)}}])):
        assert p.ok and len(p.calls) == 1 and p.calls[0].tool == "f"
        assert json.dumps(p.calls[0].arguments, sort_keys=True) == json.dumps(want, sort_keys=True)


# --- linear time: adversarial families up to a megabyte (issue 14) ---------------------------------------------------
import time

HEADER = "<use_mcp_tool>\n<server_name>s</server_name>\n<tool_name>t</tool_name>\n<arguments>"
PREFIXES = ["", HEADER, HEADER + '{"code": "', "<use_mcp_tool><server_name>", "<tool_call>", "\\boxed{", "<think>", "I will search. "]
REPEATS = CALL_FRAGMENTS + [" ", "\n", "\t", " " * 64, "</arguments>", "</use_mcp_tool>", "</server_name>", "</tool_name>",
                            HEADER, HEADER + "{}", "x\\", '"', "{\"a\": [", "\\boxed{1} ", "<use_mcp_tool>" + " " * 50]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(PREFIXES), st.lists(st.sampled_from(REPEATS), min_size=1, max_size=3), st.sampled_from([10_000, 100_000, 1_000_000]),
       st.sampled_from(DIALECTS))
def test_adversarial_families_parse_in_linear_time(prefix, unit, size, dialect):
    "A prefix and a repeated unit, up to 1 MB: one parse takes under 0.5 s of CPU (a model stuck emitting newlines must not freeze the agent)."
    unit = "".join(unit)
    text = prefix + unit * max(1, (size - len(prefix)) // len(unit))
    t0 = time.process_time()
    check_parse(text, dialect)
    assert time.process_time() - t0 < 0.5, (prefix[:30], unit[:30], len(text), dialect)


# --- the same calls as upstream's own pattern on well-formed text (issue 18) -----------------------------------------
import re
UPSTREAM_MCP = re.compile(r"<use_mcp_tool>\s*<server_name>(.*?)</server_name>\s*<tool_name>(.*?)</tool_name>\s*<arguments>\s*([\s\S]*?)\s*"
                          r"</arguments>\s*</use_mcp_tool>", re.DOTALL)   # apps/miroflow-agent parse_llm_response_for_tool_calls
clean = st.text(st.characters(blacklist_characters="<>"), max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(clean, clean.filter(str.strip), st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=3),
                          st.sampled_from(["", " ", "\n", "\n\n  "]), clean), min_size=1, max_size=4))
def test_well_formed_blocks_read_as_upstream_reads_them(blocks):
    text = "".join(f"{pre}<use_mcp_tool>{ws}<server_name>{srv}</server_name>{ws}<tool_name>{tool}</tool_name>{ws}<arguments>{ws}"
                   f"{json.dumps(args)}{ws}</arguments>{ws}</use_mcp_tool>" for srv, tool, args, ws, pre in blocks)
    ours = [(c.server, c.tool, c.arguments) for c in parse_output(text, "mcp_xml").calls]
    theirs = [(s.strip(), t.strip(), {k: v for k, v in json.loads(a).items() if v is not None}) for s, t, a in UPSTREAM_MCP.findall(text)]
    assert ours == theirs
