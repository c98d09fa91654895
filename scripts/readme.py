"""Write README.md from nbs/index.ipynb (nbdev-readme needs Quarto, which cannot be installed here).

    python scripts/readme.py

Markdown cells are copied; code cells become ```python blocks followed by their plain-text outputs.
Cells flagged `#| hide` are left out.
"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def render(nb: dict) -> str:
    out = []
    for c in nb["cells"]:
        src = "".join(c["source"])
        if c["cell_type"] == "markdown": out.append(src); continue
        if src.lstrip().startswith("#| hide") or not src.strip(): continue
        out.append(f"```python\n{src}\n```")
        for o in c.get("outputs", []):
            text = "".join(o.get("text", [])) or "".join(o.get("data", {}).get("text/plain", []))
            if text.strip(): out.append(f"```\n{text.rstrip()}\n```")
    return "\n\n".join(out) + "\n"

if __name__ == "__main__":
    (ROOT / "README.md").write_text(render(json.loads((ROOT / "nbs" / "index.ipynb").read_text())))
