"""The package's shape: the dependency rule between subpackages, a small public API, no name that means two things."""
import ast, importlib, pkgutil, subprocess, sys
from pathlib import Path

import mirothinker

PKG = Path(mirothinker.__file__).parent
# which subpackages each subpackage may import at run time (its own always); `loop.parsing` is named on its own
ALLOWED = {
    "record": set(),
    "loop": {"record"},
    "models": {"record", "loop.parsing"},
    "tools": {"record", "loop.parsing"},
    "importers": {"record", "loop.parsing"},
    "tasks": {"record", "tools", "models"},
    "analysis": {"record", "tasks"},
    "studies": {"record", "loop", "models", "tools", "importers", "tasks", "analysis"},
    "train": {"record", "loop", "models", "tools", "importers", "tasks", "analysis", "studies"},
    "widgets": {"record", "loop", "importers", "tasks", "analysis"},
    "cli": {"record", "loop", "models", "tools", "importers", "tasks", "analysis", "studies", "train", "widgets"},
}

def _modules():
    "Every module of the package as (dotted name inside the package, path)."
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG).with_suffix("")
        if rel.name in ("_modidx", "__main__") or rel.parts[0] == "widgets" and "static" in rel.parts: continue
        yield ".".join(rel.parts), p

def _runtime_imports(path: Path, dotted: str):
    "Package modules imported by a file at run time (imports under `if TYPE_CHECKING:` do not count)."
    tree = ast.parse(path.read_text())
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    here = dotted.split(".")[:-1] if not dotted.endswith("__init__") else dotted.split(".")[:-1]
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom): continue
        if node.level == 0:
            if (node.module or "").startswith("mirothinker."): yield node.module[len("mirothinker."):]
            continue
        base = here[: len(here) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
        if target: yield target

def _sub(dotted: str) -> str: return dotted.split(".")[0]

def test_dependency_rule():
    bad = []
    for dotted, path in _modules():
        sub = _sub(dotted)
        if sub == "__init__": continue
        allowed = ALLOWED[sub]
        for target in _runtime_imports(path, dotted):
            tsub = _sub(target)
            if tsub in (sub, "_modidx") or tsub in allowed: continue
            if target == "loop.parsing" or target.startswith("loop.parsing"):
                if "loop.parsing" in allowed: continue
            bad.append(f"{dotted} imports {target}")
    assert not bad, "imports against the dependency rule:\n" + "\n".join(bad)

def test_public_api_is_small_and_lazy():
    names = {}
    exec("from mirothinker import *", names)
    public = sorted(n for n in names if not n.startswith("__"))
    assert 0 < len(public) <= 60, f"{len(public)} names from `from mirothinker import *`"
    # `import mirothinker` loads no subpackage, and the record alone loads neither torch nor matplotlib nor the agent
    code = ("import sys, mirothinker; a = {m for m in sys.modules if m.startswith('mirothinker.')}; "
            "import mirothinker.record; b = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'matplotlib', 'transformers') "
            "or m.startswith('mirothinker.loop')); print(len(a), b)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "0 []", out

def test_no_name_means_two_things():
    "A public name exported by two modules is the same object in both."
    seen, clash = {}, []
    for dotted, _ in _modules():
        if dotted.endswith("__init__") or "." not in dotted and dotted != "cli": continue
        mod = importlib.import_module(f"mirothinker.{dotted}")
        for n in getattr(mod, "__all__", []):
            obj = getattr(mod, n)
            if n in seen and seen[n][1] is not obj and not (isinstance(obj, (str, int, float, tuple, frozenset)) and obj == seen[n][1]):
                clash.append(f"{n}: {seen[n][0]} and {dotted}")
            seen.setdefault(n, (dotted, obj))
    assert not clash, "names that mean two things:\n" + "\n".join(clash)
