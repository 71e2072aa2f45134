"""`autocallback.special`, lambert W and Wright functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    _wright,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "lambertw": (mp.lambertw, [(-0.3,), (25.0,)], {}),
    "wrightomega": (lambda z: mp.lambertw(mp.exp(z)), [(12.0,)], {}),
    "wright_bessel": (_wright, [(1.0, 1.0, 1.5)], {}),
    "log_wright_bessel": (lambda a, b, x: mp.log(_wright(a, b, x)), [(1.0, 1.0, 1.5)], {}),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "lambertw": ([(0.7,), (3.2,)], None),
}

globals().update(family_tests(CASES, SECOND))
