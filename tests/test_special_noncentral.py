"""`autocallback.special`, noncentral distributions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import scipy.special as sc
from special_support import (
    Case,
    Second,
    _inverse,
    _ncf_cdf,
    _nct_cdf,
    _ncx2_cdf,
    family_tests,
)

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "chndtr": (_ncx2_cdf, [], {}),
    "chndtrix": (
        _inverse(lambda p, df, nc, t: _ncx2_cdf(t, df, nc) - p, sc.chndtrix, "p df nc"),
        [],
        {},
    ),
    "chndtridf": (
        _inverse(lambda x, p, nc, t: _ncx2_cdf(x, t, nc) - p, sc.chndtridf, "x p nc"),
        [],
        {},
    ),
    "chndtrinc": (
        _inverse(lambda x, df, p, t: _ncx2_cdf(x, df, t) - p, sc.chndtrinc, "x df p"),
        [],
        {},
    ),
    "ncfdtr": (_ncf_cdf, [], {}),
    "ncfdtri": (
        _inverse(
            lambda dfn, dfd, nc, p, t: _ncf_cdf(dfn, dfd, nc, t) - p, sc.ncfdtri, "dfn dfd nc p"
        ),
        [],
        {},
    ),
    "nctdtr": (_nct_cdf, [], {}),
    "nctdtrit": (
        _inverse(lambda df, nc, p, t: _nct_cdf(df, nc, t) - p, sc.nctdtrit, "df nc p"),
        [],
        {},
    ),
    # SciPy's nctdtridf and nctdtrinc roots are accurate to 1e-11..1e-9 in p; where dF/ddf
    # is small that is 1e-7 in the root, and in the derivatives at it.
    "nctdtridf": (
        _inverse(lambda p, nc, t, df: _nct_cdf(df, nc, t) - p, sc.nctdtridf, "p nc t"),
        [],
        {"p": 1e-6, "nc": 1e-6, "t": 1e-6},
    ),
    "nctdtrinc": (
        _inverse(lambda df, p, t, nc: _nct_cdf(df, nc, t) - p, sc.nctdtrinc, "df p t"),
        [],
        {"df": 1e-6, "p": 1e-6, "t": 1e-6},
    ),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "chndtr": ([(3.0, 2.5, 1.5)], None),
}

globals().update(family_tests(CASES, SECOND))
