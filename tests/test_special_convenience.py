"""`autocallback.special`, convenience functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    family_tests,
    pi,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "cosdg": (lambda x: mp.cos(x * pi / 180), [(90.0,)], {}),
    "sindg": (lambda x: mp.sin(x * pi / 180), [(180.0,)], {}),
    "tandg": (lambda x: mp.tan(x * pi / 180), [(45.0,)], {}),
    "cotdg": (lambda x: mp.cot(x * pi / 180), [(45.0,)], {}),
    "radian": (lambda d, m, s: (d + m / 60 + s / 3600) * pi / 180, [], {}),
    "cosm1": (lambda x: mp.cos(x) - 1, [(-3.0,)], {}),
    "exp10": (lambda x: mp.power(10, x), [(12.5,)], {}),
    "exprel": (lambda x: mp.expm1(x) / x if x else mp.mpf(1), [(-30.0,), (25.0,)], {}),
    "powm1": (lambda x, y: mp.power(x, y) - 1, [(1.0 + 1e-6, 3.0)], {}),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "exprel": ([(0.7,), (1e-6,), (-30.0,)], None),
}

globals().update(family_tests(CASES, SECOND))
