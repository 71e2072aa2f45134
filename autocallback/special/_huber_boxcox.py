"""Huber losses and Box-Cox transforms."""

from __future__ import annotations

import scipy.special as sc

from ._common import CATALOGUE, _entry

# --- Huber losses and Box-Cox transforms --------------------------------------------------
CATALOGUE.section("Huber losses and Box-Cox transforms")
# d/dlmbda of (1 + lmbda y)^(1/lmbda) is x (y / (1 + lmbda y) - log(1 + lmbda y) / lmbda)
# / lmbda, a 0/0 at lmbda = 0; for |lmbda y| < 1/10 it is summed as its Taylor series
# sum_k (-1)^k k / (k + 1) lmbda^(k - 1) y^(k + 1) instead (16 terms: float64 accuracy).
_BOXCOX_SERIES = " + ".join(
    f"({(-1) ** k * k}) / {k + 1} * lmbda ** {k - 1} * y ** {k + 1}" for k in range(1, 17)
)
_BOXCOX_DLMBDA = (
    f"Piecewise(({_BOXCOX_SERIES}, Abs(lmbda * y) < 1 / 10), "
    "((y / (1 + lmbda * y) - log(1 + lmbda * y) / lmbda) / lmbda, True))"
)

huber = _entry(
    sc.huber,
    "Huber loss: r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond.\n\n"
    "Differentiable in delta and r (once: the second derivatives jump at |r| = delta).",
    derivatives={
        "delta": "Piecewise((0, Abs(r) <= delta), (Abs(r) - delta, True))",
        "r": "Piecewise((r, Abs(r) <= delta), (delta * sign(r), True))",
    },
    examples=[(1.5, 0.7), (0.5, -2.3)],
)
# d/ddelta of delta^2 (s - 1), s = sqrt(1 + (r/delta)^2), is r^4 / (delta^3 s (1 + s)^2):
# the textbook 2 delta (s - 1) - r^2 / (delta s) cancels for small r / delta.
_S = "sqrt(1 + (r / delta) ** 2)"
pseudo_huber = _entry(
    sc.pseudo_huber,
    "Pseudo-Huber loss, delta^2 (sqrt(1 + (r / delta)^2) - 1).\n\nDifferentiable in delta and r.",
    derivatives={
        "delta": f"r ** 4 / (delta ** 3 * {_S} * (1 + {_S}) ** 2)",
        "r": f"r / {_S}",
    },
    examples=[(1.5, 0.7), (0.5, -2.3), (2.0, 1e-4)],
)
inv_boxcox = _entry(
    sc.inv_boxcox,
    "Inverse of the Box-Cox transform, (1 + lmbda y)^(1 / lmbda) (exp(y) at lmbda = 0).\n\n"
    "Differentiable in y and lmbda.",
    derivatives={
        "y": "inv_boxcox(y, lmbda) / (1 + lmbda * y)",
        "lmbda": f"inv_boxcox(y, lmbda) * {_BOXCOX_DLMBDA}",
    },
    examples=[(0.7, 0.3), (2.0, -0.25), (1.5, 1e-3), (0.5, 0.0)],
)
inv_boxcox1p = _entry(
    sc.inv_boxcox1p,
    "Inverse of the Box-Cox transform of 1 + x, (1 + lmbda y)^(1 / lmbda) - 1.\n\n"
    "Differentiable in y and lmbda.",
    derivatives={
        "y": "(inv_boxcox1p(y, lmbda) + 1) / (1 + lmbda * y)",
        "lmbda": f"(inv_boxcox1p(y, lmbda) + 1) * {_BOXCOX_DLMBDA}",
    },
    examples=[(0.7, 0.3), (2.0, -0.25), (1.5, 1e-3), (0.5, 0.0)],
)
