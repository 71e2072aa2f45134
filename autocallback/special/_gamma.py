"""Gamma and beta functions."""

from __future__ import annotations

import scipy.special as sc

from ._common import CATALOGUE, _entry, _prefer_jax
from ._formulas import _BETA_PDF

# --- Gamma and beta functions -------------------------------------------------------------
CATALOGUE.section("Gamma and beta functions")
# 1/Gamma is entire: on z < 1/2 its derivative is written through the reflection formula,
# which is finite at the poles of Gamma (z = 0, -1, ...) where -psi(z)/Gamma(z) is 0 * inf.

rgamma = _entry(
    sc.rgamma,
    "Reciprocal of the gamma function, 1/Gamma(z).\n\nDifferentiable in real z.",
    derivatives={
        "z": "Piecewise((gamma(1 - z) * (cos(pi * z) - sin(pi * z) * "
        "digamma(1 - z) / pi), z < 1 / 2), (-digamma(z) * rgamma(z), True))"
    },
    examples=[(0.7,), (-2.3,)],
)
psi = _entry(
    sc.psi,
    "Digamma function, the logarithmic derivative of Gamma.\n\nDifferentiable in z.",
    derivatives={"z": "polygamma(1, z)"},
    examples=[(0.7,), (-2.3,)],
)
gammaincinv = _entry(
    sc.gammaincinv,
    "Inverse of the regularized lower incomplete gamma "
    "function in x.\n\nDifferentiable in y, and in a (implicitly: -(dP/da) / (dP/dx) at the "
    "inverse, dP/da numerically)." + _prefer_jax("gammaincinv"),
    derivatives={
        "a": "-gammainc_da(a, gammaincinv(a, y)) * exp(gammaincinv(a, y) + loggamma(a) "
        "+ (1 - a) * log(gammaincinv(a, y)))",
        "y": "exp(gammaincinv(a, y) + loggamma(a) + (1 - a) * log(gammaincinv(a, y)))",
    },
    examples=[(0.5, 0.3), (4.0, 0.8)],
)
gammainccinv = _entry(
    sc.gammainccinv,
    "Inverse of the regularized upper incomplete gamma "
    "function in x.\n\nDifferentiable in y, and in a (implicitly: -(dQ/da) / (dQ/dx) at the "
    "inverse, dQ/da numerically)." + _prefer_jax("gammainccinv"),
    derivatives={
        "a": "-gammainc_da(a, gammainccinv(a, y)) * exp(gammainccinv(a, y) + loggamma(a) "
        "+ (1 - a) * log(gammainccinv(a, y)))",
        "y": "-exp(gammainccinv(a, y) + loggamma(a) + (1 - a) * log(gammainccinv(a, y)))",
    },
    examples=[(0.5, 0.3), (4.0, 0.8)],
)
betaincinv = _entry(
    sc.betaincinv,
    "Inverse of the regularized incomplete beta function in "
    "x.\n\nDifferentiable in y, and in a and b (implicitly: -(dI/da) / (dI/dx) at "
    "the inverse, dI/da and dI/db numerically).",
    derivatives={
        "a": "-betainc_da(a, b, betaincinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betaincinv(a, b, y)) + (1 - b) * log(1 - betaincinv(a, b, y)))",
        "b": "-betainc_db(a, b, betaincinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betaincinv(a, b, y)) + (1 - b) * log(1 - betaincinv(a, b, y)))",
        "y": "exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betaincinv(a, b, y)) "
        "+ (1 - b) * log(1 - betaincinv(a, b, y)))",
    },
    examples=[(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
)
betainccinv = _entry(
    sc.betainccinv,
    "Inverse of the complemented regularized incomplete beta "
    "function in x.\n\nDifferentiable in y, and in a and b (implicitly: -(dI/da) / (dI/dx) at "
    "the inverse, dI/da and dI/db numerically).",
    derivatives={
        "a": "-betainc_da(a, b, betainccinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betainccinv(a, b, y)) + (1 - b) * log(1 - betainccinv(a, b, y)))",
        "b": "-betainc_db(a, b, betainccinv(a, b, y)) * exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betainccinv(a, b, y)) + (1 - b) * log(1 - betainccinv(a, b, y)))",
        "y": "-exp(loggamma(a) + loggamma(b) - loggamma(a + b) "
        "+ (1 - a) * log(betainccinv(a, b, y)) "
        "+ (1 - b) * log(1 - betainccinv(a, b, y)))",
    },
    examples=[(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
)

betaincc = _entry(
    sc.betaincc,
    "Complemented regularized incomplete beta function, 1 - I(a, b, x).\n\n"
    "Differentiable in x, and in a and b (dI/da and dI/db numerically).",
    derivatives={
        "a": "-betainc_da(a, b, x)",
        "b": "-betainc_db(a, b, x)",
        "x": f"-{_BETA_PDF}",
    },
    examples=[(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
)
# binom(n, k) = Gamma(n + 1) / (Gamma(k + 1) Gamma(n - k + 1)): digamma differences.
binom = _entry(
    sc.binom,
    "Binomial coefficient of real arguments, Gamma(x + 1) / (Gamma(y + 1) Gamma(x - y + 1)).\n\n"
    "Differentiable in x and y (NaN where a gamma function of the formula has a pole, such "
    "as y a negative integer).",
    derivatives={
        "x": "binom(x, y) * (digamma(x + 1) - digamma(x - y + 1))",
        "y": "binom(x, y) * (digamma(x - y + 1) - digamma(y + 1))",
    },
    examples=[(5.5, 2.0), (10.0, 3.7), (-2.5, 1.25)],
)
