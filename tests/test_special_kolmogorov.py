"""`autocallback.special`, kolmogorov-Smirnov and Tukey lambda distributions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import scipy.special as sc
from special_support import (
    Case,
    Second,
    _inverse,
    _kolmogorov,
    _smirnov,
    _tukey_quantile,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "kolmogorov": (_kolmogorov, [(0.2,)], {}),
    "kolmogi": (_inverse(lambda p, t: _kolmogorov(t) - p, sc.kolmogi, "p"), [(0.05,)], {}),
    "smirnov": (_smirnov, [], {}),
    "smirnovi": (_inverse(lambda n, p, t: _smirnov(n, t) - p, sc.smirnovi, "n p"), [], {}),
    "tklmbda": (
        _inverse(lambda x, lam, t: _tukey_quantile(lam, t) - x, sc.tklmbda, "x lmbda"),
        [],
        {},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "kolmogorov": ([(0.5,), (1.6,)], None),
}

globals().update(family_tests(CASES, SECOND))
