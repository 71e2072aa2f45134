"""Relatives of the error function and the logistic function."""

from __future__ import annotations

import scipy.special as sc

from ._common import CATALOGUE, _entry, _prefer_jax

# --- Error function and logistic relatives ------------------------------------------------
CATALOGUE.section("Error function and logistic relatives")
erfi = _entry(
    sc.erfi,
    "Imaginary error function, -i erf(i z).\n\nDifferentiable in z.",
    derivatives={"z": "2 / sqrt(pi) * exp(z ** 2)"},
    examples=[(0.7,), (-1.9,)],
)
erfcinv = _entry(
    sc.erfcinv,
    "Inverse of the complementary error function.\n\nDifferentiable in y." + _prefer_jax("erfcinv"),
    derivatives={"y": "-sqrt(pi) / 2 * exp(erfcinv(y) ** 2)"},
    examples=[(0.3,), (1.6,)],
)
ndtri_exp = _entry(
    sc.ndtri_exp,
    "Inverse of `log_ndtr`: x such that log Phi(x) = y.\n\nDifferentiable in y."
    + _prefer_jax("ndtri_exp"),
    derivatives={"y": "sqrt(2 * pi) * exp(y + ndtri_exp(y) ** 2 / 2)"},
    examples=[(-0.3,), (-20.0,)],
)
log_expit = _entry(
    sc.log_expit,
    "Logarithm of the logistic sigmoid, -log(1 + exp(-x)).\n\nDifferentiable in x.",
    # sigmoid(-x) in a form that neither overflows nor cancels, evaluated natively.
    derivatives={"x": "exp(-Max(x, 0)) / (exp(-Max(x, 0)) + exp(x - Max(x, 0)))"},
    examples=[(0.7,), (-30.0,)],
)
