"""`autocallback.special`, hyperbolic sine and cosine integrals, modified Fresnel integrals, zeta, Voigt profile: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    _modfresnel,
    _voigt,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "shichi": (lambda x: (mp.shi(x), mp.chi(x)), [], {}),
    "modfresnelp": (lambda x: _modfresnel(x, 1), [], {}),
    "modfresnelm": (lambda x: _modfresnel(x, -1), [], {}),
    "zetac": (lambda x: mp.zeta(x) - 1, [], {}),
    "voigt_profile": (_voigt, [], {}),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "voigt_profile": ([(0.7, 1.3, 0.5), (0.3, 1.0, 0.0)], None),
}

globals().update(family_tests(CASES, SECOND))
