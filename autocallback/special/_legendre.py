"""Associated Legendre functions and integrals of Bessel functions times powers."""

from __future__ import annotations

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry

# --- Legendre functions and Bessel polynomial integrals -----------------------------------
CATALOGUE.section("Associated Legendre functions and Bessel integrals of powers")
# (1 - x^2) dP_v^m/dx = (v + m) P_{v-1}^m - v x P_v^m (singular at x = +-1, where P_v^m'
# is infinite for m != 0).
lpmv = _entry(
    sc.lpmv,
    "Associated Legendre function of integer order m and real degree v, P_v^m(x).\n\n"
    "Differentiable in x (for |x| < 1), and in the degree v (numerically); the order m is "
    "not (SciPy gives NaN for non-integer m).",
    derivatives={
        "m": None,
        "v": _NUM,
        "x": "((v + m) * lpmv(m, v - 1, x) - v * x * lpmv(m, v, x)) / (1 - x ** 2)",
    },
    examples=[(0, 2.5, 0.3), (1, 3.0, -0.6), (2, 4.5, 0.8)],
)
# d/da of the integral of x^lmb J_nu(2 a x) over [0, 1] is that of x^(lmb + 1)
# (J_{nu-1} - J_{nu+1})(2 a x).
besselpoly = _entry(
    sc.besselpoly,
    "Integral of x^lmb J_nu(2 a x) over [0, 1].\n\nDifferentiable in a, and in lmb and nu "
    "(numerically).",
    derivatives={
        "a": "besselpoly(a, lmb + 1, nu - 1) - besselpoly(a, lmb + 1, nu + 1)",
        "lmb": _NUM,
        "nu": _NUM,
    },
    examples=[(1.3, 0.5, 1.0), (0.4, 2.0, 0.5), (2.5, 1.5, 2.0)],
)
