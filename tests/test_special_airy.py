"""`autocallback.special`, airy functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    _airye,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "airy": (
        {"z": lambda z: (mp.airyai(z, 1), mp.airyai(z, 2), mp.airybi(z, 1), mp.airybi(z, 2))},
        [(3.9,)],
        {},
    ),
    "airye": (_airye, [(30.0,)], {}),
    "itairy": (
        {"x": lambda x: (mp.airyai(x), mp.airybi(x), mp.airyai(-x), mp.airybi(-x))},
        [(-2.3,), (3.9,)],
        {},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "airy": (
        [(0.7,), (-2.3,)],
        lambda z: (mp.airyai(z, 2), mp.airyai(z, 3), mp.airybi(z, 2), mp.airybi(z, 3)),
    ),
    "airye": (
        [(0.7,), (4.5,)],
        lambda z: tuple(mp.diff(lambda t, k=k: _airye(t)[k], z, 2) for k in range(4)),
    ),
}

globals().update(family_tests(CASES, SECOND))
