"""`autocallback.special`, kelvin functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
from special_support import (
    Case,
    Second,
    _kelvin,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "ber": (_kelvin("ber", 0), [(6.5,)], {}),
    "bei": (_kelvin("bei", 0), [(6.5,)], {}),
    "ker": (_kelvin("ker", 0), [(6.5,)], {}),
    "kei": (_kelvin("kei", 0), [(6.5,)], {}),
    "berp": ({"x": _kelvin("ber", 2)}, [(6.5,)], {}),
    "beip": ({"x": _kelvin("bei", 2)}, [(6.5,)], {}),
    "kerp": ({"x": _kelvin("ker", 2)}, [(6.5,)], {}),
    "keip": ({"x": _kelvin("kei", 2)}, [(6.5,)], {}),
    "kelvin": (
        lambda x: (
            mp.ber(0, x) + 1j * mp.bei(0, x),
            mp.ker(0, x) + 1j * mp.kei(0, x),
            mp.diff(lambda t: mp.ber(0, t) + 1j * mp.bei(0, t), x),
            mp.diff(lambda t: mp.ker(0, t) + 1j * mp.kei(0, t), x),
        ),
        [],
        {},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "ber": ([(0.7,), (3.2,)], None),
    "beip": ([(0.7,), (3.2,)], lambda x: mp.diff(lambda t: mp.bei(0, t), x, 3)),
}

globals().update(family_tests(CASES, SECOND))
