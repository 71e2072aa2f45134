"""The package's modules import one another one way only: no cycles, lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "autocallback"


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        module = path.stem
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "autocallback."
            ):
                deps.add(node.module.split(".")[1])
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                deps.update(a.lstrip(".") for a in args if isinstance(a, str) and a.startswith("."))
        graph[module] = deps - {module}
    return graph


def test_no_import_cycles():
    graph = _imports()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                cycle = [*stack[stack.index(d) :], d]
                raise AssertionError(f"import cycle: {' -> '.join(cycle)}")
            if state.get(d) is None:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_low_layers_do_not_import_high_ones():
    graph = _imports()
    low = {"_errors", "_config", "_dtypes", "_gufunc", "_formula", "_threads", "_host_call"}
    high = {"_host_function", "_rules", "_catalogue", "special", "_check", "__main__"}
    for m in low:
        assert not (graph[m] & high), f"{m} imports {graph[m] & high}"
