"""The catalogue machinery (`autocallback._catalogue`): entries declared as a table, their
formulas parsed on first use, with every entry's name in scope.

User-decorated functions parse their formulas at decoration (tests/test_formula.py); a
catalogue defers each entry's parsing to its first use, so that importing
`autocallback.special` parses nothing and does not import SymPy."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import jax
import numpy as np
import pytest

from autocallback import FormulaError
from autocallback._catalogue import Catalogue


def test_importing_the_special_catalogue_parses_nothing():
    code = textwrap.dedent(
        """
        import sys
        import autocallback.special as s
        assert "sympy" not in sys.modules, "importing the catalogue imported SymPy"
        built = [f.name for f in s.CATALOGUE.entries if f._built_rule is not None]
        assert not built, built
        assert abs(float(s.kv(0.5, 1.3)) - 0.29957494) < 1e-6
        import jax
        d = float(jax.grad(s.kv, 1)(0.5, 1.3))
        built = sorted(f.name for f in s.CATALOGUE.entries if f._built_rule is not None)
        assert built == ["kv"], built  # the first use of kv built its rule only
        print(d)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert abs(float(out.stdout) - (-0.41479608)) < 1e-6


def _table(formula_g: str) -> tuple[Catalogue, object, object]:
    table = Catalogue("numpy")
    table.section("Two functions naming each other")
    f = table.add(np.sin, "Sine.", name="f", derivatives={"x": "g(x)"}, examples=[(0.5,)])
    g = table.add(np.cos, "Cosine.", name="g", derivatives={"x": formula_g}, examples=[(0.5,)])
    table.finish()
    return table, f, g


def test_entries_name_each_other_and_parse_on_first_use(enable_x64: None):
    _, f, g = _table("-f(x)")
    assert f._built_rule is None and g._built_rule is None
    assert float(jax.grad(jax.grad(f))(0.5)) == pytest.approx(-np.sin(0.5), rel=1e-14)
    assert f._built_rule is not None and g._built_rule is not None
    assert f.derivatives == {"x": "g(x)"}
    assert g.derivatives == {"x": "-f(x)"}


def test_a_bad_formula_raises_on_first_use_every_time():
    _, f, g = _table("-f(x) +")
    assert float(f(0.5)) == pytest.approx(np.sin(0.5))  # f's own formulas are fine
    for _ in range(2):
        with pytest.raises(FormulaError, match=r"argument 'x' of `g`.*syntax error"):
            _ = g.derivatives
    with pytest.raises(FormulaError, match="`g`"):
        jax.grad(g)(0.5)


def test_first_uses_from_several_threads_build_one_rule():
    _, f, _ = _table("-f(x)")
    rules: list[object] = []
    barrier = threading.Barrier(4)

    def use() -> None:
        barrier.wait()
        rules.append(f._rule)

    threads = [threading.Thread(target=use) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(rules) == 4 and all(r is rules[0] and r is not None for r in rules)


def test_the_table_is_closed_after_finish():
    table, _, _ = _table("-f(x)")
    with pytest.raises(RuntimeError, match="after finish"):
        table.add(np.tan, "Tangent.", name="h", derivatives={"x": "1 + h(x) ** 2"})
