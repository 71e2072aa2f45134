"""The package's modules import one another one way only: no cycles, lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "autocallback"


def _module(path: Path) -> str:
    """`_rules` for autocallback/_rules.py, `special` for a subpackage's __init__.py,
    `special._bessel` for a module inside it."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in [*PACKAGE.glob("*.py"), *PACKAGE.glob("*/*.py")]:
        module = _module(path)
        package = module.split(".")[0] if path.parent != PACKAGE else None
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level in (1, 2):
                # Inside a subpackage, `.x` is its own module and `..x` a top-level one.
                inner = package is not None and node.level == 1
                prefix = f"{package}." if inner else ""
                if node.module:
                    deps.add(prefix + (node.module if inner else node.module.split(".")[0]))
                else:
                    deps.update(prefix + a.name for a in node.names)
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
    low = {
        "_errors",
        "_config",
        "_cache",
        "_dtypes",
        "_gufunc",
        "_formula",
        "_threads",
        "_host_call",
    }
    high = {"_host_function", "_rules", "_catalogue", "special", "_check", "_command", "__main__"}
    for m in low:
        assert not (graph[m] & high), f"{m} imports {graph[m] & high}"
    # The catalogue's family modules are seen (they import the engine, not the reverse).
    assert {"special", "special._bessel", "special._common"} <= set(graph)
    assert "_catalogue" in graph["special._common"]
    assert not any(m.startswith("special") for m in graph["_host_function"])


def _private_attributes(module: str) -> list[str]:
    """`obj._name` accesses in `module` on anything but `self`/`cls` (dunders aside)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
        ):
            found.append(f"{module}.py:{node.lineno} .{node.attr}")
    return found


def test_tools_use_the_internal_door():
    """`check`, the command line and the catalogue reach a HostFunction through
    `_internal.py` only, never through private attributes."""
    for module in ("_check", "_command", "_catalogue"):
        assert _private_attributes(module) == []
        deps = _imports()[module] & {"_host_function", "_rules", "_outputs", "_parameters"}
        assert not deps, f"{module} imports {deps}; use `_internal`"


def test_private_modules_declare_no_all():
    """Only the package's public modules list their names (`__all__`)."""
    for path in [*PACKAGE.glob("_*.py"), *PACKAGE.glob("*/_*.py")]:
        if path.name in ("__init__.py", "__main__.py"):
            continue
        tree = ast.parse(path.read_text())
        names = [
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for t in node.targets
            if isinstance(t, ast.Name)
        ]
        assert "__all__" not in names, path.name
