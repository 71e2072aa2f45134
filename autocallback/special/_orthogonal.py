"""Orthogonal polynomials."""

from __future__ import annotations

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry

# --- Orthogonal polynomials ---------------------------------------------------------------
CATALOGUE.section("Orthogonal polynomials")
# d/dx C_n^(a) = 2a C_{n-1}^(a+1) and d/dx P_n^(a,b) = (n+a+b+1)/2 P_{n-1}^(a+1,b+1): no
# singularity at x = +-1 (unlike the (1 - x^2) forms); SciPy gives 0 for degree -1.

_POLY = "Differentiable in x, and in the degree n (numerically; SciPy evaluates real degrees)."
_POLY_INT = "Differentiable in x; the degree n is not (SciPy truncates it to an integer)."
_POLY_PARAM = (
    "Differentiable in x, and in the degree n and the parameter {} (numerically; SciPy "
    "evaluates real degrees)."
)

eval_jacobi = _entry(
    sc.eval_jacobi,
    "Jacobi polynomial P_n^(alpha, beta)(x).\n\n"
    + "Differentiable in x, and in the degree n and the parameters alpha, beta (numerically).",
    derivatives={
        "n": _NUM,
        "alpha": _NUM,
        "beta": _NUM,
        "x": "(n + alpha + beta + 1) / 2 * eval_jacobi(n - 1, alpha + 1, beta + 1, x)",
    },
    examples=[(3, 0.5, 1.5, 0.3), (5, -0.5, 2.0, -0.8)],
)
eval_gegenbauer = _entry(
    sc.eval_gegenbauer,
    "Gegenbauer polynomial C_n^(alpha)(x).\n\n" + _POLY_PARAM.format("alpha"),
    derivatives={"n": _NUM, "alpha": _NUM, "x": "2 * alpha * eval_gegenbauer(n - 1, alpha + 1, x)"},
    examples=[(3, 0.5, 0.3), (5, 2.5, -0.8)],
)
eval_chebyu = _entry(
    sc.eval_chebyu,
    f"Chebyshev polynomial of the second kind U_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "2 * eval_gegenbauer(n - 1, 2, x)"},
    examples=[(3, 0.3), (5, -0.8)],
)
eval_chebyt = _entry(
    sc.eval_chebyt,
    f"Chebyshev polynomial of the first kind T_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "n * eval_chebyu(n - 1, x)"},
    examples=[(3, 0.3), (5, -0.8)],
)
eval_legendre = _entry(
    sc.eval_legendre,
    f"Legendre polynomial P_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "eval_gegenbauer(n - 1, 3 / 2, x)"},
    examples=[(3, 0.3), (5, -0.8)],
)
eval_hermite = _entry(
    sc.eval_hermite,
    f"Physicists' Hermite polynomial H_n(x).\n\n{_POLY_INT}",
    derivatives={"n": None, "x": "2 * n * eval_hermite(Max(n - 1, 0), x)"},
    examples=[(3, 0.3), (5, -1.8)],
)
eval_hermitenorm = _entry(
    sc.eval_hermitenorm,
    "Probabilists' Hermite polynomial He_n(x).\n\n" + _POLY_INT,
    derivatives={"n": None, "x": "n * eval_hermitenorm(Max(n - 1, 0), x)"},
    examples=[(3, 0.3), (5, -1.8)],
)
eval_genlaguerre = _entry(
    sc.eval_genlaguerre,
    "Generalized Laguerre polynomial L_n^(alpha)(x).\n\n" + _POLY_PARAM.format("alpha"),
    derivatives={"n": _NUM, "alpha": _NUM, "x": "-eval_genlaguerre(n - 1, alpha + 1, x)"},
    examples=[(3, 0.5, 0.3), (5, 2.5, 4.8)],
)
eval_laguerre = _entry(
    sc.eval_laguerre,
    f"Laguerre polynomial L_n(x).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "-eval_genlaguerre(n - 1, 1, x)"},
    examples=[(3, 0.3), (5, 4.8)],
)
eval_chebyc = _entry(
    sc.eval_chebyc,
    f"Chebyshev polynomial of the first kind on [-2, 2], C_n(x) = 2 T_n(x / 2).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "n * eval_chebys(n - 1, x)"},
    examples=[(3, 0.3), (5, -1.6), (2.5, 0.4)],
)
eval_chebys = _entry(
    sc.eval_chebys,
    f"Chebyshev polynomial of the second kind on [-2, 2], S_n(x) = U_n(x / 2).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "eval_gegenbauer(n - 1, 2, x / 2)"},
    examples=[(3, 0.3), (5, -1.6), (2.5, 0.4)],
)
eval_sh_chebyt = _entry(
    sc.eval_sh_chebyt,
    f"Shifted Chebyshev polynomial of the first kind, T_n(2x - 1).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "2 * n * eval_chebyu(n - 1, 2 * x - 1)"},
    examples=[(3, 0.3), (5, 0.8), (2.5, 0.6)],
)
eval_sh_chebyu = _entry(
    sc.eval_sh_chebyu,
    f"Shifted Chebyshev polynomial of the second kind, U_n(2x - 1).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "4 * eval_gegenbauer(n - 1, 2, 2 * x - 1)"},
    examples=[(3, 0.3), (5, 0.8), (2.5, 0.6)],
)
eval_sh_legendre = _entry(
    sc.eval_sh_legendre,
    f"Shifted Legendre polynomial, P_n(2x - 1).\n\n{_POLY}",
    derivatives={"n": _NUM, "x": "2 * eval_gegenbauer(n - 1, 3 / 2, 2 * x - 1)"},
    examples=[(3, 0.3), (5, 0.8), (2.5, 0.6)],
)
# G_n^(p,q)(x) = P_n^(p-q, q-1)(2x - 1) / binom(2n + p - 1, n).
eval_sh_jacobi = _entry(
    sc.eval_sh_jacobi,
    "Shifted Jacobi polynomial G_n^(p, q)(x).\n\n"
    "Differentiable in x, and in the degree n and the parameters p, q (numerically).",
    derivatives={
        "n": _NUM,
        "p": _NUM,
        "q": _NUM,
        "x": "(n + p) / binom(2 * n + p - 1, n) * eval_jacobi(n - 1, p - q + 1, q, 2 * x - 1)",
    },
    examples=[(3, 2.5, 1.5, 0.3), (5, 4.0, 2.0, 0.8)],
)
