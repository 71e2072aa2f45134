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


def _spheroidal_dx(value: Any, cv_of: Any, kind: str) -> Any:
    """The x-derivative callable of a spheroidal function returning (value, derivative):
    `value()` is the function, `cv_of()` its characteristic value (computed from m, n, c),
    both looked up when called (they are defined below)."""

    def dx(m: Any, n: Any, c: Any, x: Any) -> tuple[Any, Any]:
        y, yp = value()(m, n, c, x)
        return _spheroidal(y, yp, m, c, cv_of()(m, n, c), x, kind)

    cv_name = "pro_cv" if kind == "prolate" else "obl_cv"
    dx.__doc__ = f"From the {kind} spheroidal equation with cv = {cv_name}(m, n, c)."
    return dx


def _spheroidal_cv_dx(value: Any, kind: str) -> Any:
    """As `_spheroidal_dx`, for the `*_cv` functions that take the characteristic value."""

    def dx(m: Any, n: Any, c: Any, cv: Any, x: Any) -> tuple[Any, Any]:
        y, yp = value()(m, n, c, cv, x)
        return _spheroidal(y, yp, m, c, cv, x, kind)

    dx.__doc__ = f"From the {kind} spheroidal equation with the given cv."
    return dx


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
pro_ang1 = _entry(
    _in_float64(sc.pro_ang1),
    "Prolate spheroidal angular function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: pro_ang1, lambda: pro_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 0.3), (0, 3, 0.8, -0.6)],
)
pro_ang1_cv = _entry(
    _in_float64(sc.pro_ang1_cv),
    "Prolate spheroidal angular function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: pro_ang1_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 6.944785, 0.3), (0, 3, 0.8, 12.328476, -0.6)],
)
pro_rad1 = _entry(
    _in_float64(sc.pro_rad1),
    "Prolate spheroidal radial function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: pro_rad1, lambda: pro_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 1.5), (0, 3, 0.8, 2.5)],
)
pro_rad1_cv = _entry(
    _in_float64(sc.pro_rad1_cv),
    "Prolate spheroidal radial function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: pro_rad1_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 6.944785, 1.5), (0, 3, 0.8, 12.328476, 2.5)],
)
pro_rad2 = _entry(
    _in_float64(sc.pro_rad2),
    "Prolate spheroidal radial function of the second kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: pro_rad2, lambda: pro_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 2.5), (0, 3, 0.8, 2.5)],
)
pro_rad2_cv = _entry(
    _in_float64(sc.pro_rad2_cv),
    "Prolate spheroidal radial function of the second kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: pro_rad2_cv, "prolate"),
    },
    examples=[(1, 2, 1.5, 6.944785, 2.5), (0, 3, 0.8, 12.328476, 2.5)],
)
obl_ang1 = _entry(
    _in_float64(sc.obl_ang1),
    "Oblate spheroidal angular function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: obl_ang1, lambda: obl_cv, "oblate angular"),
    },
    examples=[(1, 2, 1.5, 0.3), (0, 3, 0.8, -0.6)],
)
obl_ang1_cv = _entry(
    _in_float64(sc.obl_ang1_cv),
    "Oblate spheroidal angular function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: obl_ang1_cv, "oblate angular"),
    },
    examples=[(1, 2, 1.5, 5.015886, 0.3), (0, 3, 0.8, 11.674222, -0.6)],
)
obl_rad1 = _entry(
    _in_float64(sc.obl_rad1),
    "Oblate spheroidal radial function of the first kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: obl_rad1, lambda: obl_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 1.5), (0, 3, 0.8, 2.5)],
)
obl_rad1_cv = _entry(
    _in_float64(sc.obl_rad1_cv),
    "Oblate spheroidal radial function of the first kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: obl_rad1_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 5.015886, 1.5), (0, 3, 0.8, 11.674222, 2.5)],
)
obl_rad2 = _entry(
    _in_float64(sc.obl_rad2),
    "Oblate spheroidal radial function of the second kind and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation) and c (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "x": _spheroidal_dx(lambda: obl_rad2, lambda: obl_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 2.5), (0, 3, 0.8, 2.5)],
)
obl_rad2_cv = _entry(
    _in_float64(sc.obl_rad2_cv),
    "Oblate spheroidal radial function of the second kind for a given characteristic value cv, and its derivative (two outputs).\n\n"
    f"Differentiable in x (from the equation), c and cv (numerically); {_SPHEROIDAL}.",
    signature="(),(),(),(),()->(),()",
    derivatives={
        "m": None,
        "n": None,
        "c": _NUM,
        "cv": _NUM,
        "x": _spheroidal_cv_dx(lambda: obl_rad2_cv, "oblate radial"),
    },
    examples=[(1, 2, 1.5, 5.015886, 2.5), (0, 3, 0.8, 11.674222, 2.5)],
)
