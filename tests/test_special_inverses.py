"""`autocallback.special`, inverses of distribution functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
import scipy.special as sc
from special_support import (
    _BETA,
    Case,
    Second,
    _inverse,
    _reg_gamma,
    _t_cdf,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "bdtri": (
        _inverse(lambda k, n, y, t: _BETA(n - k, k + 1, 0, 1 - t) - y, sc.bdtri, "k n y"),
        [],
        {},
    ),
    "bdtrik": (
        _inverse(lambda y, n, p, t: _BETA(n - t, t + 1, 0, 1 - p) - y, sc.bdtrik, "y n p"),
        [],
        {},
    ),
    "bdtrin": (
        _inverse(lambda k, y, p, t: _BETA(t - k, k + 1, 0, 1 - p) - y, sc.bdtrin, "k y p"),
        [],
        {},
    ),
    "nbdtri": (_inverse(lambda k, n, y, t: _BETA(n, k + 1, 0, t) - y, sc.nbdtri, "k n y"), [], {}),
    # SciPy's nbdtrik root is accurate to about 1e-11 in y: the reference is at mpmath's.
    "nbdtrik": (
        _inverse(lambda y, n, p, t: _BETA(n, t + 1, 0, p) - y, sc.nbdtrik, "y n p"),
        [],
        {"y": 1e-7, "n": 1e-7, "p": 1e-7},
    ),
    "nbdtrin": (
        _inverse(lambda k, y, p, t: _BETA(t, k + 1, 0, p) - y, sc.nbdtrin, "k y p"),
        [],
        {},
    ),
    "pdtri": (_inverse(lambda k, y, t: _reg_gamma(k + 1, t, mp.inf) - y, sc.pdtri, "k y"), [], {}),
    "pdtrik": (
        _inverse(lambda p, m, t: _reg_gamma(t + 1, m, mp.inf) - p, sc.pdtrik, "p m"),
        [],
        {},
    ),
    "gdtria": (
        _inverse(lambda p, b, x, t: _reg_gamma(b, 0, t * x) - p, sc.gdtria, "p b x"),
        [],
        {},
    ),
    "gdtrib": (
        _inverse(lambda a, p, x, t: _reg_gamma(t, 0, a * x) - p, sc.gdtrib, "a p x"),
        [],
        {},
    ),
    "gdtrix": (
        _inverse(lambda a, b, p, t: _reg_gamma(b, 0, a * t) - p, sc.gdtrix, "a b p"),
        [],
        {},
    ),
    "btdtria": (_inverse(lambda p, b, x, t: _BETA(t, b, 0, x) - p, sc.btdtria, "p b x"), [], {}),
    "btdtrib": (_inverse(lambda a, p, x, t: _BETA(a, t, 0, x) - p, sc.btdtrib, "x1 x2 x3"), [], {}),
    "chdtriv": (
        _inverse(lambda p, x, t: _reg_gamma(t / 2, 0, x / 2) - p, sc.chdtriv, "p x"),
        [],
        {},
    ),
    "fdtri": (
        _inverse(
            lambda dfn, dfd, p, t: _BETA(dfn / 2, dfd / 2, 0, dfn * t / (dfn * t + dfd)) - p,
            sc.fdtri,
            "dfn dfd p",
        ),
        [],
        {},
    ),
    "fdtridfd": (
        _inverse(
            lambda dfn, p, x, t: _BETA(dfn / 2, t / 2, 0, dfn * x / (dfn * x + t)) - p,
            sc.fdtridfd,
            "dfn p x",
        ),
        [],
        {},
    ),
    "stdtridf": (_inverse(lambda p, t, df: _t_cdf(df, t) - p, sc.stdtridf, "p t"), [], {}),
    "nrdtrimn": (lambda p, std, x: x - std * mp.sqrt(2) * mp.erfinv(2 * p - 1), [], {}),
    "nrdtrisd": (lambda mn, p, x: (x - mn) / (mp.sqrt(2) * mp.erfinv(2 * p - 1)), [], {}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
