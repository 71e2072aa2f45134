"""`autocallback.special`, hypergeometric functions: values against SciPy, derivatives
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
    "hyp0f1": (mp.hyp0f1, [(0.5, 6.0)], {}),
    "hyperu": (mp.hyperu, [(1.0, 2.5, 10.0)], {}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
