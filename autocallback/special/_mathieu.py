"""Mathieu functions."""

from __future__ import annotations

import math
from typing import Any

import jax.numpy as jnp
import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry, _in_float64

# --- Mathieu functions --------------------------------------------------------------------
CATALOGUE.section("Mathieu functions")
# ce_m and se_m take x in degrees and return the derivative in radians; they solve
# y'' = (2 q cos 2x - a) y (a the characteristic value), the modified functions
# y'' = (a - 2 q cosh 2x) y. The order m is an integer (SciPy gives NaN otherwise); q is
# differentiable numerically (no closed form).

_RAD = math.pi / 180  # radians per degree


def _angular(y: Any, yp: Any, a: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """d/dx (in degrees) of (y, y' in radians) for y'' = (2 q cos 2x - a) y."""
    return _RAD * yp, _RAD * (2 * q * jnp.cos(2 * _RAD * x) - a) * y


def _radial(y: Any, yp: Any, a: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """d/dx of (y, y') for y'' = (a - 2 q cosh 2x) y."""
    return yp, (a - 2 * q * jnp.cosh(2 * x)) * y


def _cem_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From Mathieu's equation with a = mathieu_a (x in degrees)."""
    y, yp = mathieu_cem(m, q, x)
    return _angular(y, yp, mathieu_a(m, q), q, x)


def _sem_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From Mathieu's equation with b = mathieu_b (x in degrees)."""
    y, yp = mathieu_sem(m, q, x)
    return _angular(y, yp, mathieu_b(m, q), q, x)


def _modcem1_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with a = mathieu_a."""
    y, yp = mathieu_modcem1(m, q, x)
    return _radial(y, yp, mathieu_a(m, q), q, x)


def _modcem2_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with a = mathieu_a."""
    y, yp = mathieu_modcem2(m, q, x)
    return _radial(y, yp, mathieu_a(m, q), q, x)


def _modsem1_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with b = mathieu_b."""
    y, yp = mathieu_modsem1(m, q, x)
    return _radial(y, yp, mathieu_b(m, q), q, x)


def _modsem2_dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
    """From the modified Mathieu equation with b = mathieu_b."""
    y, yp = mathieu_modsem2(m, q, x)
    return _radial(y, yp, mathieu_b(m, q), q, x)


_MATHIEU_ORDER = "the order m is not (an integer)"
mathieu_a = _entry(
    _in_float64(sc.mathieu_a),
    "Characteristic value a_m(q) of the even Mathieu functions.\n\n"
    f"Differentiable in q (numerically); {_MATHIEU_ORDER}.",
    derivatives={"m": None, "q": _NUM},
    examples=[(0, 1.5), (2, 0.7), (3, 5.0)],
)
mathieu_b = _entry(
    _in_float64(sc.mathieu_b),
    "Characteristic value b_m(q) of the odd Mathieu functions.\n\n"
    f"Differentiable in q (numerically); {_MATHIEU_ORDER}.",
    derivatives={"m": None, "q": _NUM},
    examples=[(1, 1.5), (2, 0.7), (3, 5.0)],
)
_SIG2 = "(),(),()->(),()"
mathieu_cem = _entry(
    _in_float64(sc.mathieu_cem),
    "Even Mathieu function ce_m(x, q) of x in degrees, and its derivative (in radians).\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _cem_dx},
    examples=[(0, 1.5, 30.0), (2, 0.7, -75.0), (3, 5.0, 120.0)],
)
mathieu_sem = _entry(
    _in_float64(sc.mathieu_sem),
    "Odd Mathieu function se_m(x, q) of x in degrees, and its derivative (in radians).\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _sem_dx},
    examples=[(1, 1.5, 30.0), (2, 0.7, -75.0), (3, 5.0, 120.0)],
)
mathieu_modcem1 = _entry(
    _in_float64(sc.mathieu_modcem1),
    "Even modified Mathieu function of the first kind Mc1_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modcem1_dx},
    examples=[(0, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
mathieu_modcem2 = _entry(
    _in_float64(sc.mathieu_modcem2),
    "Even modified Mathieu function of the second kind Mc2_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modcem2_dx},
    examples=[(0, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
mathieu_modsem1 = _entry(
    _in_float64(sc.mathieu_modsem1),
    "Odd modified Mathieu function of the first kind Ms1_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modsem1_dx},
    examples=[(1, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
mathieu_modsem2 = _entry(
    _in_float64(sc.mathieu_modsem2),
    "Odd modified Mathieu function of the second kind Ms2_m(x, q) and its derivative.\n\n"
    f"Differentiable in x and q (numerically); {_MATHIEU_ORDER}.",
    signature=_SIG2,
    derivatives={"m": None, "q": _NUM, "x": _modsem2_dx},
    examples=[(1, 1.5, 0.7), (2, 0.7, 1.2), (3, 5.0, 0.3)],
)
