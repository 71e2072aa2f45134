"""Hypergeometric functions."""

from __future__ import annotations

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry

# --- Hypergeometric functions -------------------------------------------------------------
CATALOGUE.section("Hypergeometric functions")
hyp0f1 = _entry(
    sc.hyp0f1,
    "Confluent hypergeometric limit function 0F1(; v; z).\n\n"
    "Differentiable in z, and in v (numerically: no closed form).",
    derivatives={"v": _NUM, "z": "hyp0f1(v + 1, z) / v"},
    examples=[(1.5, 0.7), (2.5, -3.2)],
)
hyperu = _entry(
    sc.hyperu,
    "Confluent hypergeometric function of the second kind "
    "U(a, b, x).\n\nDifferentiable in x, and in a and b (numerically: no closed form).",
    derivatives={"a": _NUM, "b": _NUM, "x": "-a * hyperu(a + 1, b + 1, x)"},
    examples=[(0.5, 1.5, 0.7), (2.0, 0.3, 3.2)],
)
