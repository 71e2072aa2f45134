"""Convenience functions."""

from __future__ import annotations

import scipy.special as sc

from ._common import CATALOGUE, _entry

# --- Convenience functions ----------------------------------------------------------------
CATALOGUE.section("Convenience functions")
# The degree-based functions differentiate into each other, so their derivatives are exact
# where they are (cosdg(90) is 0, not 6e-17). `cbrt`, `exp2`, `expm1`, `log1p` and `round`
# are left out: `jax.numpy` has them.

_DEG = "pi / 180"
cosdg = _entry(
    sc.cosdg,
    "Cosine of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"-{_DEG} * sindg(x)"},
    examples=[(30.0,), (-117.5,)],
)
sindg = _entry(
    sc.sindg,
    "Sine of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"{_DEG} * cosdg(x)"},
    examples=[(30.0,), (-117.5,)],
)
tandg = _entry(
    sc.tandg,
    "Tangent of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"{_DEG} * (1 + tandg(x) ** 2)"},
    examples=[(30.0,), (-117.5,)],
)
cotdg = _entry(
    sc.cotdg,
    "Cotangent of an angle in degrees.\n\nDifferentiable in x.",
    derivatives={"x": f"-{_DEG} * (1 + cotdg(x) ** 2)"},
    examples=[(30.0,), (-117.5,)],
)
radian = _entry(
    sc.radian,
    "Angle in radians from degrees, arc minutes and arc seconds.\n\nDifferentiable in d, m and s.",
    derivatives={"d": "pi / 180", "m": "pi / 10800", "s": "pi / 648000"},
    examples=[(30.0, 15.0, 7.5), (-117.0, 0.5, 59.0)],
)
cosm1 = _entry(
    sc.cosm1,
    "cos(x) - 1, accurate for small x.\n\nDifferentiable in x.",
    derivatives={"x": "-sin(x)"},
    examples=[(0.7,), (1e-5,)],
)
exp10 = _entry(
    sc.exp10,
    "10 to the power x.\n\nDifferentiable in x.",
    derivatives={"x": "log(10) * exp10(x)"},
    examples=[(0.7,), (-2.3,)],
)
# exprel = 1F1(1; 2; x), so exprel' = 1F1(2; 3; x) / 2: no cancellation near x = 0, where
# (exp(x) - exprel(x)) / x loses every digit.
exprel = _entry(
    sc.exprel,
    "Relative error exponential, (exp(x) - 1) / x.\n\nDifferentiable in x.",
    derivatives={"x": "hyp1f1(2, 3, x) / 2"},
    examples=[(0.7,), (-2.3,), (1e-6,)],
)
powm1 = _entry(
    sc.powm1,
    "x ** y - 1, accurate for y log(x) near 0.\n\nDifferentiable in x and y.",
    derivatives={"x": "y * x ** (y - 1)", "y": "(powm1(x, y) + 1) * log(x)"},
    examples=[(1.7, 0.3), (0.4, -2.5)],
)
