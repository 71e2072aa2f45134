"""Parabolic cylinder functions."""

from __future__ import annotations

from typing import Any

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry, _in_float64

# --- Parabolic cylinder functions ---------------------------------------------------------
CATALOGUE.section("Parabolic cylinder functions")
# Each returns a solution of its Weber equation and its derivative, so d/dx of the pair is
# (the derivative, the equation's right-hand side times the value): one host call of the
# function itself gives both (a JAX callable: a formula cannot name an output). The order
# is differentiable numerically.


def _pbdv_dx(v: Any, x: Any) -> tuple[Any, Any]:
    """(D_v', (x^2/4 - v - 1/2) D_v)."""
    d, dp = pbdv(v, x)
    return dp, (x**2 / 4 - v - 0.5) * d


def _pbvv_dx(v: Any, x: Any) -> tuple[Any, Any]:
    """(V_v', (x^2/4 - v - 1/2) V_v)."""
    w, wp = pbvv(v, x)
    return wp, (x**2 / 4 - v - 0.5) * w


def _pbwa_dx(a: Any, x: Any) -> tuple[Any, Any]:
    """(W', (a - x^2/4) W)."""
    w, wp = pbwa(a, x)
    return wp, (a - x**2 / 4) * w


pbdv = _entry(
    _in_float64(sc.pbdv),
    "Parabolic cylinder function D_v(x) and its derivative (two outputs).\n\n"
    "Differentiable in x (D_v'' = (x^2/4 - v - 1/2) D_v), and in v (numerically).",
    signature="(),()->(),()",
    derivatives={"v": _NUM, "x": _pbdv_dx},
    examples=[(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5), (0.3, -1.2)],
)
pbvv = _entry(
    _in_float64(sc.pbvv),
    "Parabolic cylinder function V_v(x) and its derivative (two outputs).\n\n"
    "Differentiable in x (V_v'' = (x^2/4 - v - 1/2) V_v), and in v (numerically).",
    signature="(),()->(),()",
    derivatives={"v": _NUM, "x": _pbvv_dx},
    examples=[(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5), (0.3, -1.2)],
)
pbwa = _entry(
    _in_float64(sc.pbwa),
    "Parabolic cylinder function W(a, x) and its derivative (two outputs).\n\n"
    "Differentiable in x (W'' = (a - x^2/4) W), and in a (numerically).",
    signature="(),()->(),()",
    derivatives={"a": _NUM, "x": _pbwa_dx},
    examples=[(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5), (0.3, -1.2)],
)
