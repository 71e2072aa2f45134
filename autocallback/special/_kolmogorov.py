"""Kolmogorov-Smirnov and Tukey lambda distributions."""

from __future__ import annotations

import math

import scipy.special as sc

from .._numerical import numerical
from ._common import CATALOGUE, _calls, _entry
from ._noncentral import _ufuncs

# --- Kolmogorov-Smirnov and Tukey lambda distributions -------------------------------------
CATALOGUE.section("Kolmogorov-Smirnov and Tukey lambda distributions")
# K(y) = 2 sum_k (-1)^(k-1) exp(-2 k^2 y^2) = 1 - sqrt(2 pi) / y sum_k exp(-(2k-1)^2 pi^2 /
# (8 y^2)): dK/dy from the first series for y >= 1 and the second below (8 and 6 terms:
# float64 accuracy), a formula JAX evaluates natively, to every order.


def _kolmogorov_prime(y: str) -> str:
    large = " + ".join(
        f"({(-1) ** (k - 1) * k * k}) * exp(-{2 * k * k} * {y} ** 2)" for k in range(1, 9)
    )
    small = " + ".join(
        f"exp(-{(2 * k - 1) ** 2} * pi ** 2 / (8 * {y} ** 2)) "
        f"* (1 / {y} ** 2 - {(2 * k - 1) ** 2} * pi ** 2 / (4 * {y} ** 4))"
        for k in range(1, 7)
    )
    return (
        f"Piecewise((0, {y} <= 0), (sqrt(2 * pi) * ({small}), {y} < 1), "
        f"(-8 * {y} * ({large}), True))"
    )


kolmogorov = _entry(
    sc.kolmogorov,
    "Survival function of the Kolmogorov distribution (of sqrt(n) times the two-sided "
    "Kolmogorov-Smirnov statistic, for large n).\n\nDifferentiable in y.",
    derivatives={"y": _kolmogorov_prime("y")},
    examples=[(0.5,), (0.97,), (1.6,)],
)
kolmogi = _entry(
    sc.kolmogi,
    "Inverse of `kolmogorov`.\n\nDifferentiable in p (implicitly).",
    derivatives={"p": f"1 / ({_kolmogorov_prime('kolmogi(p)')})"},
    examples=[(0.3,), (0.95,), (0.1,)],
)


def _smirnovp(n, d):
    return _ufuncs._smirnovp(n, d)


_calls(_smirnovp, _ufuncs._smirnovp)  # native through the ufunc's own loop


def _smirnov_kink(n, d):
    """The nearest j/n to d: smirnov's derivative jumps there (NumPy or JAX arrays)."""
    return (d * n).round() / n


CATALOGUE.helper(
    _smirnovp,
    "Derivative of `smirnov` in d (SciPy's own), numerically differentiable (piecewise: "
    "it jumps at d = j/n, which no difference stencil crosses).",
    name="smirnovp",
    derivatives={"n": None, "d": numerical(kinks=_smirnov_kink)},
)
smirnov = _entry(
    sc.smirnov,
    "Survival function of the one-sided Kolmogorov-Smirnov statistic for n samples.\n\n"
    "Differentiable in d (SciPy's derivative; its own derivative numerically); the sample "
    "size n is not.",
    derivatives={"n": None, "d": "smirnovp(n, d)"},
    examples=[(5, 0.3), (20, 0.125), (3, 0.6)],
)
smirnovi = _entry(
    sc.smirnovi,
    "Inverse of `smirnov` in d.\n\nDifferentiable in p (implicitly); the sample size n is not.",
    derivatives={"n": None, "p": "1 / smirnovp(n, smirnovi(n, p))"},
    examples=[(5, 0.3), (20, 0.8), (3, 0.15)],
)
# Tukey lambda: x = Q(p) = (p^l - (1 - p)^l) / l, so dp/dx = 1 / Q'(p) and dp/dl = -dQ/dl /
# Q'(p) at p = tklmbda(x, l). dQ/dl is a 0/0 at l = 0; for |l log| < 1/10 it is summed as
# sum_k (k - 1) l^(k - 2) (log(p)^k - log(1 - p)^k) / k! (16 terms) instead.
_TP = "tklmbda(x, lmbda)"
_TQP = f"({_TP} ** (lmbda - 1) + (1 - {_TP}) ** (lmbda - 1))"
_TQL_SERIES = " + ".join(
    f"{k - 1} / {math.factorial(k)} * lmbda ** {k - 2} "
    f"* (log({_TP}) ** {k} - log(1 - {_TP}) ** {k})"
    for k in range(2, 18)
)
_TQL = (
    f"Piecewise(({_TQL_SERIES}, "
    f"Abs(lmbda) * Max(Abs(log({_TP})), Abs(log(1 - {_TP}))) < 1 / 10), "
    f"((lmbda * ({_TP} ** lmbda * log({_TP}) - (1 - {_TP}) ** lmbda * log(1 - {_TP})) "
    f"- ({_TP} ** lmbda - (1 - {_TP}) ** lmbda)) / lmbda ** 2, True))"
)
tklmbda = _entry(
    sc.tklmbda,
    "Tukey lambda distribution function.\n\nDifferentiable in x and lmbda (implicitly, through "
    "the quantile function).",
    derivatives={"x": f"1 / {_TQP}", "lmbda": f"-({_TQL}) / {_TQP}"},
    # (SciPy's values lose digits for 0 < |lmbda| < 1e-4, so the finite differences of
    # `check` stay away from lmbda = 0.)
    examples=[(0.8, 0.3), (-1.5, -0.5), (0.4, 1e-3), (1.2, 0.05)],
)
