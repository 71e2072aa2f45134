"""The Python code blocks of the documentation run.

Each page's ```python blocks run in order, in one namespace, in a fresh subprocess (so a
page can set `XLA_FLAGS` before importing JAX, as the sharding guide does). A statement
may raise only if its line carries a comment naming the error it documents, such as
`ac.register("sin", f)   # ValueError: ...`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    p
    for p in (ROOT / "docs").rglob("*.md")
    if "```python" in p.read_text() and p.name != "catalogue.md"
)

RUNNER = r"""
import ast, re, sys
page = sys.argv[1]
text = open(page).read()
blocks = re.findall(r"^( *)```python\n(.*?)^\1```", text, re.S | re.M)
namespace = {"__name__": "__docs__"}
failures = []
for number, (indent, block) in enumerate(blocks):
    code = "\n".join(line[len(indent):] for line in block.splitlines())
    if "--8<--" in code:
        continue
    for node in ast.parse(code).body:
        source = ast.get_source_segment(code, node)
        first_line = code.splitlines()[node.lineno - 1]
        expects_error = re.search(r"#.*\b\w*(Error|Exception)\b", first_line)
        try:
            exec(compile(ast.Module([node], []), f"{page} block {number}", "exec"), namespace)
        except Exception as error:
            if not expects_error:
                failures.append(f"block {number}: {source.splitlines()[0]!r} raised {error!r}")
        else:
            if expects_error:
                failures.append(f"block {number}: {first_line!r} did not raise")
if failures:
    sys.exit("\n".join(failures))
"""


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT / "docs")) for p in PAGES])
def test_docs_code_runs(page: Path):
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    for var in ("JAX_ENABLE_X64", "XLA_FLAGS"):
        env.pop(var, None)
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(page)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{page.name}:\n{result.stderr[-6000:]}"
