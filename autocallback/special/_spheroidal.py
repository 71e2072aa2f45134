"""Spheroidal wave functions."""

from __future__ import annotations

from typing import Any

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry, _in_float64

# --- Spheroidal wave functions ------------------------------------------------------------
CATALOGUE.section("Spheroidal wave functions")
# Each returns a solution of the spheroidal equation and its derivative; d/dx of the pair
# is (the derivative, y'') from the equation
#   prolate, angular and radial: (1 - x^2) y'' = 2x y' - (cv - c^2 x^2 - m^2/(1 - x^2)) y,
#   oblate angular:              (1 - x^2) y'' = 2x y' - (cv + c^2 x^2 - m^2/(1 - x^2)) y,
#   oblate radial:               (1 + x^2) y'' = -2x y' + (cv - c^2 x^2 - m^2/(1 + x^2)) y,
# with cv the characteristic value (pro_cv / obl_cv, or the argument cv of the _cv forms).
# m and n are integers (SciPy gives NaN otherwise); c and cv are differentiable numerically.
# SciPy's radial functions of the second kind are inaccurate near x = 1 (their derivative
# output disagrees with their values there): their sample points are at x = 2.5.


def _spheroidal(y: Any, yp: Any, m: Any, c: Any, cv: Any, x: Any, kind: str) -> Any:
    if kind == "prolate":
        return yp, (2 * x * yp - (cv - c**2 * x**2 - m**2 / (1 - x**2)) * y) / (1 - x**2)
    if kind == "oblate angular":
        return yp, (2 * x * yp - (cv + c**2 * x**2 - m**2 / (1 - x**2)) * y) / (1 - x**2)
    return yp, (-2 * x * yp + (cv - c**2 * x**2 - m**2 / (1 + x**2)) * y) / (1 + x**2)


_SPHEROIDAL = "the integers m and n are not"
pro_cv = _entry(
    _in_float64(sc.pro_cv),
    "Characteristic value of the prolate spheroidal functions.\n\n"
    f"Differentiable in c (numerically); {_SPHEROIDAL}.",
    derivatives={"m": None, "n": None, "c": _NUM},
    examples=[(1, 2, 1.5), (0, 3, 0.8)],
)
obl_cv = _entry(
    _in_float64(sc.obl_cv),
    "Characteristic value of the oblate spheroidal functions.\n\n"
    f"Differentiable in c (numerically); {_SPHEROIDAL}.",
    derivatives={"m": None, "n": None, "c": _NUM},
    examples=[(1, 2, 1.5), (0, 3, 0.8)],
)
# Each shape's characteristic value, and its values at the (m, n, c) of the sample points.
_SHAPES = {
    "pro": ("Prolate", pro_cv, (6.944785, 12.328476)),
    "obl": ("Oblate", obl_cv, (5.015886, 11.674222)),
}
_POINTS = ((1, 2, 1.5), (0, 3, 0.8))  # (m, n, c) of the sample points


def _spheroidal_pair(name: str, xs: tuple[float, float]) -> tuple[Any, Any]:
    """The spheroidal function `name` (`pro_ang1`, ..., `obl_rad2`) and its `_cv` form, with
    their x-derivatives from the spheroidal equation; `xs` are the x of the sample points."""
    shape, cv_of, cvs = _SHAPES[name[:3]]
    kind = "angular" if name[4:7] == "ang" else "radial"
    equation = "prolate" if name[:3] == "pro" else f"oblate {kind}"
    what = (
        f"{shape} spheroidal {kind} function of the {('first', 'second')[int(name[-1]) - 1]} kind"
    )

    def dx(m: Any, n: Any, c: Any, x: Any) -> tuple[Any, Any]:
        y, yp = value(m, n, c, x)
        return _spheroidal(y, yp, m, c, cv_of(m, n, c), x, equation)

    def dx_cv(m: Any, n: Any, c: Any, cv: Any, x: Any) -> tuple[Any, Any]:
        y, yp = value_cv(m, n, c, cv, x)
        return _spheroidal(y, yp, m, c, cv, x, equation)

    dx.__doc__ = f"From the {equation} spheroidal equation with cv = {cv_of.name}(m, n, c)."
    dx_cv.__doc__ = f"From the {equation} spheroidal equation with the given cv."
    value = _entry(
        _in_float64(getattr(sc, name)),
        f"{what} and its derivative (two outputs).\n\n"
        f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
        signature="(),(),(),()->(),()",
        derivatives={"m": None, "n": None, "c": _NUM, "x": dx},
        examples=[(*p, x) for p, x in zip(_POINTS, xs, strict=True)],
    )
    value_cv = _entry(
        _in_float64(getattr(sc, f"{name}_cv")),
        f"{what} for a given characteristic value cv, and its derivative (two outputs).\n\n"
        f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
        signature="(),(),(),(),()->(),()",
        derivatives={"m": None, "n": None, "c": _NUM, "cv": _NUM, "x": dx_cv},
        examples=[(*p, cv, x) for p, cv, x in zip(_POINTS, cvs, xs, strict=True)],
    )
    return value, value_cv


pro_ang1, pro_ang1_cv = _spheroidal_pair("pro_ang1", (0.3, -0.6))
pro_rad1, pro_rad1_cv = _spheroidal_pair("pro_rad1", (1.5, 2.5))
pro_rad2, pro_rad2_cv = _spheroidal_pair("pro_rad2", (2.5, 2.5))
obl_ang1, obl_ang1_cv = _spheroidal_pair("obl_ang1", (0.3, -0.6))
obl_rad1, obl_rad1_cv = _spheroidal_pair("obl_rad1", (1.5, 2.5))
obl_rad2, obl_rad2_cv = _spheroidal_pair("obl_rad2", (2.5, 2.5))
