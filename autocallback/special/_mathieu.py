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


def _mathieu(name: str, description: str, even: bool, angular: bool) -> Any:
    """The Mathieu function `name`, returning (y, y'), with its x-derivative from Mathieu's
    equation (angular) or the modified one (radial) with its characteristic value
    (`mathieu_a` for the even functions, `mathieu_b` for the odd ones)."""
    cv = mathieu_a if even else mathieu_b
    equation = _angular if angular else _radial

    def dx(m: Any, q: Any, x: Any) -> tuple[Any, Any]:
        y, yp = fn(m, q, x)
        return equation(y, yp, cv(m, q), q, x)

    letter = "a" if even else "b"
    dx.__doc__ = (
        f"From Mathieu's equation with {letter} = {cv.name} (x in degrees)."
        if angular
        else f"From the modified Mathieu equation with {letter} = {cv.name}."
    )
    orders = (0, 2, 3) if even else (1, 2, 3)
    xs = (30.0, -75.0, 120.0) if angular else (0.7, 1.2, 0.3)
    fn = _entry(
        _in_float64(getattr(sc, name)),
        f"{description}\n\nDifferentiable in x and q (numerically); {_MATHIEU_ORDER}.",
        signature="(),(),()->(),()",
        derivatives={"m": None, "q": _NUM, "x": dx},
        examples=list(zip(orders, (1.5, 0.7, 5.0), xs, strict=True)),
    )
    return fn


mathieu_cem = _mathieu(
    "mathieu_cem",
    "Even Mathieu function ce_m(x, q) of x in degrees, and its derivative (in radians).",
    even=True,
    angular=True,
)
mathieu_sem = _mathieu(
    "mathieu_sem",
    "Odd Mathieu function se_m(x, q) of x in degrees, and its derivative (in radians).",
    even=False,
    angular=True,
)
mathieu_modcem1 = _mathieu(
    "mathieu_modcem1",
    "Even modified Mathieu function of the first kind Mc1_m(x, q) and its derivative.",
    even=True,
    angular=False,
)
mathieu_modcem2 = _mathieu(
    "mathieu_modcem2",
    "Even modified Mathieu function of the second kind Mc2_m(x, q) and its derivative.",
    even=True,
    angular=False,
)
mathieu_modsem1 = _mathieu(
    "mathieu_modsem1",
    "Odd modified Mathieu function of the first kind Ms1_m(x, q) and its derivative.",
    even=False,
    angular=False,
)
mathieu_modsem2 = _mathieu(
    "mathieu_modsem2",
    "Odd modified Mathieu function of the second kind Ms2_m(x, q) and its derivative.",
    even=False,
    angular=False,
)
