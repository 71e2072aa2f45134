"""`autocallback.special`, huber losses and Box-Cox transforms: values against SciPy, derivatives
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
    "huber": (lambda d, r: r**2 / 2 if abs(r) <= d else d * (abs(r) - d / 2), [(2.0, 3.5)], {}),
    "pseudo_huber": (lambda d, r: d**2 * (mp.sqrt(1 + (r / d) ** 2) - 1), [], {}),
    "inv_boxcox": (
        lambda y, lm: mp.exp(mp.log1p(lm * y) / lm) if lm else mp.exp(y),
        [(0.5, 0.08), (3.0, 0.05)],
        {},
    ),
    "inv_boxcox1p": (
        lambda y, lm: mp.expm1(mp.log1p(lm * y) / lm) if lm else mp.expm1(y),
        [(0.5, 0.08), (3.0, 0.05)],
        {},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "inv_boxcox": ([(0.7, 0.3), (1.5, 1e-3), (0.5, 0.0)], None),
}

globals().update(family_tests(CASES, SECOND))
