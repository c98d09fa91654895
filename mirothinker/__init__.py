"""mirothinker: a Jupyter-centric research toolkit for interaction scaling of tool-using agents.

`from mirothinker import *` gives the names a notebook user needs; everything else is in its subpackage
(`mirothinker.record`, `.loop`, `.models`, `.tools`, `.importers`, `.tasks`, `.analysis`, `.studies`, `.widgets`).
Subpackages are imported on first use, so `import mirothinker` stays fast."""
__version__ = "0.0.1"

import importlib

_PUBLIC = {
    "record": "Trajectory Step ToolCall Observation Task Policy Outcome TrajectorySet TrajectoryWriter TrajectoryError read_jsonl",
    "importers": "load sample to_messages export_messages",
    "loop": "Agent make_policy parse_output format_call context_at",
    "models": "EmbeddedModel TransformersModel OpenAIModel ScriptedModel ReplayModel serve_openai GREEDY",
    "tools": "tool FunctionTool PythonTools Sandbox Workspace workspace_tools BM25Corpus search_tools",
    "tasks": "dict_sum lookup_chain running_total synthweb_tasks load_benchmark tools_for score score_trajectory SUITES",
    "analysis": "pass_at_k pass_hat_k cell_metrics fit_loglinear fit_horizon horizon turn_rows turn_accuracy drift_report",
    "studies": "Study reproduce OracleModel",
    "widgets": "TrajectoryViewer TrajectoryDiff SetBrowser export_html",
}
_WHERE = {name: sub for sub, names in _PUBLIC.items() for name in names.split()}
__all__ = list(_WHERE)
_SUBPACKAGES = set(_PUBLIC) | {"cli"}

def __getattr__(name):
    "Load a public name, or a subpackage, on first use."
    if name in _WHERE: return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    if name in _SUBPACKAGES: return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'mirothinker' has no attribute {name!r}")

def __dir__(): return sorted(set(globals()) | set(_WHERE) | _SUBPACKAGES)

def _lazy_subpackage(package: str,  # the subpackage's `__name__`
                     modules: tuple[str, ...],  # its modules, lightest first: a name is looked for in this order
                    ):
    "`__getattr__` and `__dir__` for a subpackage whose modules (and their public names) load on first use."
    def load(m): return importlib.import_module(f"{package}.{m}")
    def getattr_(name):
        if name in modules: return load(name)
        if name == "__all__": return [n for m in modules for n in load(m).__all__]
        if not name.startswith("__"):
            for m in modules:
                mod = load(m)
                if name in mod.__all__: return getattr(mod, name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return getattr_, lambda: sorted(set(modules) | {n for m in modules for n in load(m).__all__})
