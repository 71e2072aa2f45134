"""`autocallback.special`, associated Legendre functions and integrals of Bessel functions times powers: values against SciPy, derivatives
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
    "lpmv": (lambda m, v, x: mp.legenp(v, m, x, type=2), [], {}),
    "besselpoly": (
        lambda a, lmb, nu: mp.quad(lambda t: t**lmb * mp.besselj(nu, 2 * a * t), [0, 1]),
        [],
        {},
    ),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
