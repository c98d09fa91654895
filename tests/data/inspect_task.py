"""A small Inspect AI task, run offline with Inspect's mock model and a real tool: `python inspect_task.py LOG_DIR eval|json`.

Sample `sum`: the model adds 2 and 3 with the tool `add`, then answers (the scorer `includes` marks it correct).
Sample `count`: the model calls the tool again and again until the task's message limit (8) ends the sample.
Every mock output carries its own `usage`: without it the mock model counts tokens with tiktoken, which downloads its
encoding, and the task could not run offline. Prints the path of the log it wrote.
"""
import sys
from inspect_ai import Task, eval as inspect_eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import includes
from inspect_ai.solver import generate, system_message, use_tools
from inspect_ai.tool import tool

@tool
def add():
    async def execute(x: int, y: int):
        """Add two whole numbers.

        Args:
          x: The first number.
          y: The second number.
        """
        return x + y
    return execute

def reply(messages, tools, tool_choice, config):
    "The mock model: call `add`, then give the sum; asked to count, call `add` for ever."
    question = next(m.text for m in messages if m.role == "user")
    if "count" in question or not any(m.role == "tool" for m in messages):
        out = ModelOutput.for_tool_call("mockllm/model", "add", {"x": 2, "y": 3})
    else: out = ModelOutput.from_content("mockllm/model", f"The sum is {messages[-1].text}.")
    out.usage = ModelUsage(input_tokens=20 * len(messages), output_tokens=7, total_tokens=20 * len(messages) + 7)
    return out

task = Task(dataset=[Sample(id="sum", input="What is 2+3?", target="5"), Sample(id="count", input="Please count for me.", target="9")],
            solver=[system_message("You add numbers with the add tool."), use_tools(add()), generate()], scorer=includes(), message_limit=8)

if __name__ == "__main__":
    log, = inspect_eval(task, model=get_model("mockllm/model", custom_outputs=reply), log_dir=sys.argv[1], log_format=sys.argv[2],
                        display="none", max_samples=1)
    print(log.location)
