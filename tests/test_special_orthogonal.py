"""`autocallback.special`, orthogonal polynomials: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "eval_jacobi": (mp.jacobi, [(0, 1.0, 1.0, 0.5)], {}),
    "eval_gegenbauer": (mp.gegenbauer, [(2.5, 1.5, 0.4)], {}),
    "eval_chebyt": (mp.chebyt, [(2.5, 0.4)], {}),
    "eval_chebyu": (mp.chebyu, [(2.5, 0.4)], {}),
    "eval_legendre": (mp.legendre, [(2.5, 0.4)], {}),
    "eval_hermite": (mp.hermite, [(1, 0.4)], {}),
    "eval_hermitenorm": (
        lambda n, x: 2 ** (-mp.mpf(n) / 2) * mp.hermite(n, x / mp.sqrt(2)),
        [(1, 0.4)],
        {},
    ),
    "eval_genlaguerre": (mp.laguerre, [(0, 1.0, 0.5)], {}),
    "eval_laguerre": (lambda n, x: mp.laguerre(n, 0, x), [(1, 0.5)], {}),
    "eval_chebyc": (lambda n, x: 2 * mp.chebyt(n, x / 2), [], {}),
    "eval_chebys": (lambda n, x: mp.chebyu(n, x / 2), [], {}),
    "eval_sh_chebyt": (lambda n, x: mp.chebyt(n, 2 * x - 1), [], {}),
    "eval_sh_chebyu": (lambda n, x: mp.chebyu(n, 2 * x - 1), [], {}),
    "eval_sh_legendre": (lambda n, x: mp.legendre(n, 2 * x - 1), [], {}),
    "eval_sh_jacobi": (
        lambda n, p, q, x: mp.jacobi(n, p - q, q - 1, 2 * x - 1) / mp.binomial(2 * n + p - 1, n),
        [(2.5, 3.0, 1.5, 0.4)],
        {},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "eval_legendre": ([(3, 0.3), (5, -0.8)], None),
}

globals().update(family_tests(CASES, SECOND))
