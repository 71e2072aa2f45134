"""`autocallback.special`, parabolic cylinder functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    _pair,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "pbdv": (_pair(mp.pcfd), [], {}),
    "pbvv": (_pair(lambda v, x: mp.pcfv(-v - mp.mpf(1) / 2, x)), [], {}),
    "pbwa": (_pair(mp.pcfw), [], {}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
