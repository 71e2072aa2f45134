"""`autocallback.special`, distribution functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
import scipy.special as sc
from special_support import (
    Case,
    Second,
    _implicit,
    _inverse_derivative,
    _reg_beta,
    _reg_gamma,
    _root,
    _t_cdf,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "stdtr": (_t_cdf, [(1.0, 5.0)], {}),
    "stdtrit": (
        {
            "df": lambda df, p: _implicit(
                _t_cdf, [df], 0, _root(lambda t: _t_cdf(df, t), p, sc.stdtrit(float(df), float(p)))
            ),
            "p": lambda df, p: _inverse_derivative(
                lambda t: _t_cdf(df, t),
                _root(lambda t: _t_cdf(df, t), p, sc.stdtrit(float(df), float(p))),
            ),
        },
        [],
        {},
    ),
    "chdtr": (lambda v, x: _reg_gamma(v / 2, 0, x / 2), [(400.0, 390.0)], {}),
    "chdtrc": (lambda v, x: _reg_gamma(v / 2, x / 2, mp.inf), [(400.0, 390.0)], {}),
    "chdtri": (
        {
            "v": lambda v, p: _implicit(
                lambda v_, t: _reg_gamma(v_ / 2, t / 2, mp.inf),
                [v],
                0,
                _root(lambda t: _reg_gamma(v / 2, t / 2, mp.inf), p, sc.chdtri(float(v), float(p))),
            ),
            "p": lambda v, p: _inverse_derivative(
                lambda t: _reg_gamma(v / 2, t / 2, mp.inf),
                _root(lambda t: _reg_gamma(v / 2, t / 2, mp.inf), p, sc.chdtri(float(v), float(p))),
            ),
        },
        [],
        {},
    ),
    "fdtr": (lambda dfn, dfd, x: _reg_beta(dfn / 2, dfd / 2, 0, dfn * x / (dfn * x + dfd)), [], {}),
    "fdtrc": (
        lambda dfn, dfd, x: _reg_beta(dfn / 2, dfd / 2, dfn * x / (dfn * x + dfd), 1),
        [],
        {},
    ),
    "gdtr": (lambda a, b, x: _reg_gamma(b, 0, a * x), [], {}),
    "gdtrc": (lambda a, b, x: _reg_gamma(b, a * x, mp.inf), [], {}),
    "pdtr": (lambda k, m: _reg_gamma(k + 1, m, mp.inf), [(150, 130.0)], {}),
    "pdtrc": (lambda k, m: _reg_gamma(k + 1, 0, m), [(150, 130.0)], {}),
    "bdtr": (lambda k, n, p: _reg_beta(n - k, k + 1, 0, 1 - p), [], {}),
    "bdtrc": (lambda k, n, p: _reg_beta(k + 1, n - k, 0, p), [], {}),
    "nbdtr": (lambda k, n, p: _reg_beta(n, k + 1, 0, p), [], {}),
    "nbdtrc": (lambda k, n, p: _reg_beta(k + 1, n, 0, 1 - p), [], {}),
}

SECOND: dict[str, Second] = {}

globals().update(family_tests(CASES, SECOND))
