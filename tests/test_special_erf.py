"""`autocallback.special`, relatives of the error function and the logistic function: values against SciPy, derivatives
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
    "erfi": (mp.erfi, [(3.5,)], {}),
    "erfcinv": (lambda y: mp.erfinv(1 - y), [(1e-5,)], {}),
    "ndtri_exp": (lambda y: mp.sqrt(2) * mp.erfinv(2 * mp.exp(y) - 1), [(-1e-3,)], {}),
    "log_expit": (lambda x: -mp.log(1 + mp.exp(-x)), [(30.0,)], {}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
