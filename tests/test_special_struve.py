"""`autocallback.special`, struve functions and integrals of Bessel functions: values against SciPy, derivatives
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
    "struve": (mp.struveh, [(-0.5, 2.1), (3, 8.5)], {}),
    "modstruve": (mp.struvel, [(-0.5, 2.1), (3, 8.5)], {}),
    "itstruve0": ({"x": lambda x: mp.struveh(0, x)}, [(12.5,)], {}),
    "it2struve0": ({"x": lambda x: -mp.struveh(0, x) / x}, [(12.5,)], {}),
    "itmodstruve0": ({"x": lambda x: mp.struvel(0, x)}, [(12.5,)], {}),
    "itj0y0": ({"x": lambda x: (mp.besselj(0, x), mp.bessely(0, x))}, [(5.1,)], {}),
    "iti0k0": ({"x": lambda x: (mp.besseli(0, x), mp.besselk(0, x))}, [(5.1,)], {}),
    "it2i0k0": (
        {"x": lambda x: ((mp.besseli(0, x) - 1) / x, -mp.besselk(0, x) / x)},
        [(0.05,)],
        {},
    ),
    "it2j0y0": (
        {"x": lambda x: ((1 - mp.besselj(0, x)) / x, -mp.bessely(0, x) / x)},
        [(0.05,)],
        {},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "struve": ([(0, 0.7), (1.5, 3.2)], None),
}

globals().update(family_tests(CASES, SECOND))
