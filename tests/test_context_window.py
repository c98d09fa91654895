"""A run long enough to fill the embedded model's context window ends with a final answer, as upstream's
`ensure_summary_context` makes it: the window and the token counts are the model's own (SmolLM2's tokenizer)."""
from mirothinker.loop.agent import Agent
from mirothinker.loop.parsing import format_call
from mirothinker.loop.state import context_at
from mirothinker.models.embedded import EmbeddedModel
from mirothinker.tools.base import tool

LINES = " ".join(f"Line {i}: the archive records routine entries for this page." for i in range(2))


@tool(server="archive")
def read(page: int):  # the page number
    "Read one page of the archive."
    return f"Page {page}.\n{LINES}\nEnd of page {page}."


def test_a_full_window_ends_the_run_with_a_summary(tmp_path):
    system = ("You read an archive with the tool read. To read a page, write:\n\n" + format_call("read", {"page": 1}, "archive")
              + "\n\nRead the pages one by one, in order.")
    shots = [{"role": "user", "content": "Read the archive."}]
    for k in (1, 2, 3):
        shots += [{"role": "assistant", "content": format_call("read", {"page": k}, "archive")},
                  {"role": "user", "content": f"Page {k}.\n(text)\nEnd of page {k}."}]
    shots.append({"role": "assistant", "content": "I have read the archive. \\boxed{done}"})
    model = EmbeddedModel(context_window=2048)          # a served window of 2,048 tokens: a few pages fill it
    agent = Agent(model, [read], keep_k=None, budget=40, system_prompt=system, examples=shots, answer_instruction="",
                  sampling={"temperature": 0, "max_tokens": 96, "stop": ["</use_mcp_tool>"]})
    t = agent.run("Read the archive.", path=tmp_path / "run.jsonl")
    full = [s for s in t.steps if s.context_full]
    assert t.outcome.status == "context_full" and len(full) == 1, [(s.index, s.kind, s.flags.reason) for s in t.steps]
    assert full[0].flags.reason.startswith("context window full: the summary would need about")
    assert t.steps[-1].kind == "summary" and t.steps[-1].index == full[0].index + 1
    assert full[0].index >= 1                            # the run made calls before the window filled
    # stepped back: what the model was asked the summary with no longer holds the last page it read
    seen = context_at(t, len(t.steps) - 1)
    assert f"Page {full[0].tool_call.arguments['page']}." not in "\n".join(str(m["content"]) for m in seen)
    assert t.steps[-1].tokens_in < full[0].tokens_in + full[0].tokens_out + 200
