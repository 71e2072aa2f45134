"""Struve functions and integrals of Bessel functions."""

from __future__ import annotations

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry

# --- Struve functions and Bessel integrals ------------------------------------------------
CATALOGUE.section("Struve functions and Bessel integrals")
# H_v' = (H_{v-1} - H_{v+1}) / 2 + (x/2)^v / (2 sqrt(pi) Gamma(v + 3/2))  (DLMF 11.4.24):
# finite at x = 0, unlike H_{v-1} - (v/x) H_v.

struve = _entry(
    sc.struve,
    "Struve function H_v(x).\n\nDifferentiable in x, and in the order v (numerically).",
    derivatives={
        "v": _NUM,
        "x": "(struve(v - 1, x) - struve(v + 1, x)) / 2 "
        "+ (x / 2) ** v / (2 * sqrt(pi) * gamma(v + 3 / 2))",
    },
    examples=[(0, 0.7), (1.5, 3.2)],
)
modstruve = _entry(
    sc.modstruve,
    "Modified Struve function L_v(x).\n\nDifferentiable in x, and in the order v (numerically).",
    derivatives={
        "v": _NUM,
        "x": "(modstruve(v - 1, x) + modstruve(v + 1, x)) / 2 "
        "+ (x / 2) ** v / (2 * sqrt(pi) * gamma(v + 3 / 2))",
    },
    examples=[(0, 0.7), (1.5, 3.2)],
)

itstruve0 = _entry(
    sc.itstruve0,
    "Integral of the Struve function of order 0 from 0 to x.\n\nDifferentiable in x.",
    derivatives={"x": "struve(0, x)"},
    examples=[(0.7,), (3.2,)],
)
it2struve0 = _entry(
    sc.it2struve0,
    "Integral of H_0(t)/t from x to infinity.\n\nDifferentiable in x.",
    derivatives={"x": "Piecewise((-2 / pi, x == 0), (-struve(0, x) / x, True))"},
    examples=[(0.7,), (3.2,)],
)
itmodstruve0 = _entry(
    sc.itmodstruve0,
    "Integral of the modified Struve function of order 0 from 0 to x.\n\nDifferentiable in x.",
    derivatives={"x": "modstruve(0, x)"},
    examples=[(0.7,), (3.2,)],
)
itj0y0 = _entry(
    sc.itj0y0,
    "Integrals of J_0 and Y_0 from 0 to x (two outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={"x": ("jv(0, x)", "yv(0, x)")},
    examples=[(0.7,), (3.2,)],
)
iti0k0 = _entry(
    sc.iti0k0,
    "Integrals of I_0 and K_0 from 0 to x (two outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={"x": ("iv(0, x)", "kv(0, x)")},
    examples=[(0.7,), (3.2,)],
)

# (I_0(x) - 1) / x and (1 - J_0(x)) / x cancel near x = 0: their power series (10 terms)
# are used for |x| < 1.
it2i0k0 = _entry(
    sc.it2i0k0,
    "Integrals of (I_0(t) - 1) / t from 0 to x and of K_0(t) / t from x to infinity (two "
    "outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={
        "x": (
            "Piecewise((x ** 1 / 4 + x ** 3 / 64 + x ** 5 / 2304 + x ** 7 / 147456 + x ** 9 / 14745600 + x ** 11 / 2123366400 + x ** 13 / 416179814400 + x ** 15 / 106542032486400 + x ** 17 / 34519618525593600 + x ** 19 / 13807847410237440000, Abs(x) < 1), ((iv(0, x) - 1) / x, True))",
            "-kv(0, x) / x",
        )
    },
    examples=[(0.7,), (3.2,)],
)
it2j0y0 = _entry(
    sc.it2j0y0,
    "Integrals of (1 - J_0(t)) / t from 0 to x and of Y_0(t) / t from x to infinity (two "
    "outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={
        "x": (
            "Piecewise(((1) * x ** 1 / 4 + (-1) * x ** 3 / 64 + (1) * x ** 5 / 2304 + (-1) * x ** 7 / 147456 + (1) * x ** 9 / 14745600 + (-1) * x ** 11 / 2123366400 + (1) * x ** 13 / 416179814400 + (-1) * x ** 15 / 106542032486400 + (1) * x ** 17 / 34519618525593600 + (-1) * x ** 19 / 13807847410237440000, Abs(x) < 1), ((1 - jv(0, x)) / x, True))",
            "-yv(0, x) / x",
        )
    },
    examples=[(0.7,), (3.2,)],
)
