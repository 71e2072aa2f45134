"""Distribution functions."""

from __future__ import annotations

import scipy.special as sc

from ._common import _NUM, CATALOGUE, _entry
from ._formulas import (
    _BINOM_LOGTERM,
    _CHI2_LOGPDF,
    _F_BPDF,
    _F_DDFD,
    _F_DDFN,
    _F_DEN,
    _F_DX,
    _F_W,
    _GAMMA_LOGPDF,
    _NBINOM_LOGTERM,
    _POISSON_LOGPMF,
    _T_LOGPDF,
    _fill,
)

# --- Statistical distributions ------------------------------------------------------------
CATALOGUE.section("Statistical distributions")
# Derivatives of CDFs are densities (of inverses, reciprocal densities), written through
# exp/loggamma so that large shape parameters do not overflow. Degrees of freedom, shape
# parameters and counts are not differentiable.

stdtr = _entry(
    sc.stdtr,
    "Student t distribution function.\n\nDifferentiable in t, and in df (numerically).",
    derivatives={"df": _NUM, "t": f"exp({_T_LOGPDF})"},
    examples=[(3.0, 0.7), (12.5, -2.1)],
)
stdtrit = _entry(
    sc.stdtrit,
    "Inverse of `stdtr` in t.\n\nDifferentiable in p, and in df (implicitly: -(dF/ddf) / "
    "(dF/dt) at the inverse, dF/ddf numerically).",
    derivatives={
        "df": f"-stdtr_ddf(df, stdtrit(df, p)) * exp(-({_fill(_T_LOGPDF, t='stdtrit(df, p)')}))",
        "p": f"exp(-({_fill(_T_LOGPDF, t='stdtrit(df, p)')}))",
    },
    examples=[(3.0, 0.7), (12.5, 0.1)],
)
chdtr = _entry(
    sc.chdtr,
    "Chi-square distribution function.\n\nDifferentiable in x, and in v (through dP/da of "
    "the incomplete gamma function, numerically).",
    derivatives={"v": "gammainc_da(v / 2, x / 2) / 2", "x": f"exp({_CHI2_LOGPDF})"},
    examples=[(3.0, 0.7), (12.5, 9.1)],
)
chdtrc = _entry(
    sc.chdtrc,
    "Chi-square survival function.\n\nDifferentiable in x, and in v (through dP/da of the "
    "incomplete gamma function, numerically).",
    derivatives={"v": "-gammainc_da(v / 2, x / 2) / 2", "x": f"-exp({_CHI2_LOGPDF})"},
    examples=[(3.0, 0.7), (12.5, 9.1)],
)
chdtri = _entry(
    sc.chdtri,
    "Inverse of `chdtrc` in x.\n\nDifferentiable in p, and in v (implicitly, dP/da numerically).",
    derivatives={
        "v": f"-gammainc_da(v / 2, chdtri(v, p) / 2) / 2 "
        f"* exp(-({_fill(_CHI2_LOGPDF, x='chdtri(v, p)')}))",
        "p": f"-exp(-({_fill(_CHI2_LOGPDF, x='chdtri(v, p)')}))",
    },
    examples=[(3.0, 0.7), (12.5, 0.1)],
)
fdtr = _entry(
    sc.fdtr,
    "F distribution function.\n\nDifferentiable in x, and in dfn and dfd (through dI/da and "
    "dI/db of the incomplete beta function, numerically).",
    derivatives={
        "dfn": _F_DDFN,
        "dfd": _F_DDFD,
        "x": _F_DX,
    },
    examples=[(3.0, 5.0, 0.7), (12.5, 2.0, 2.1)],
)
fdtrc = _entry(
    sc.fdtrc,
    "F survival function.\n\nDifferentiable in x, and in dfn and dfd (through dI/da and "
    "dI/db of the incomplete beta function, numerically).",
    derivatives={
        "dfn": f"-betainc_da(dfn / 2, dfd / 2, {_F_W}) / 2 - {_F_BPDF} * x * dfd / {_F_DEN}",
        "dfd": f"-betainc_db(dfn / 2, dfd / 2, {_F_W}) / 2 + {_F_BPDF} * x * dfn / {_F_DEN}",
        "x": f"-{_F_DX}",
    },
    examples=[(3.0, 5.0, 0.7), (12.5, 2.0, 2.1)],
)
gdtr = _entry(
    sc.gdtr,
    "Gamma distribution function (rate a, shape b).\n\n"
    "Differentiable in a and x, and in b (dP/da of the incomplete gamma function, numerically).",
    derivatives={
        "a": f"x * exp({_GAMMA_LOGPDF})",
        "b": "gammainc_da(b, a * x)",
        "x": f"a * exp({_GAMMA_LOGPDF})",
    },
    examples=[(1.5, 3.0, 0.7), (0.5, 12.5, 20.1)],
)
gdtrc = _entry(
    sc.gdtrc,
    "Gamma survival function (rate a, shape b).\n\n"
    "Differentiable in a and x, and in b (dP/da of the incomplete gamma function, numerically).",
    derivatives={
        "a": f"-x * exp({_GAMMA_LOGPDF})",
        "b": "-gammainc_da(b, a * x)",
        "x": f"-a * exp({_GAMMA_LOGPDF})",
    },
    examples=[(1.5, 3.0, 0.7), (0.5, 12.5, 20.1)],
)
pdtr = _entry(
    sc.pdtr,
    "Poisson distribution function, P(N <= k) for mean m.\n\n"
    "Differentiable in m; the count k is not.",
    derivatives={"k": None, "m": f"-exp({_POISSON_LOGPMF})"},
    examples=[(3, 0.7), (12, 9.1)],
)
pdtrc = _entry(
    sc.pdtrc,
    "Poisson survival function, P(N > k) for mean m.\n\nDifferentiable in m; the count k is not.",
    derivatives={"k": None, "m": f"exp({_POISSON_LOGPMF})"},
    examples=[(3, 0.7), (12, 9.1)],
)
bdtr = _entry(
    sc.bdtr,
    "Binomial distribution function, P(N <= k) for n trials of "
    "probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"-exp({_BINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
bdtrc = _entry(
    sc.bdtrc,
    "Binomial survival function, P(N > k) for n trials of "
    "probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"exp({_BINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
nbdtr = _entry(
    sc.nbdtr,
    "Negative binomial distribution function, P(N <= k) failures before "
    "n successes of probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"exp({_NBINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
nbdtrc = _entry(
    sc.nbdtrc,
    "Negative binomial survival function, P(N > k) failures before "
    "n successes of probability p.\n\nDifferentiable in p; the counts k and n are not.",
    derivatives={"k": None, "n": None, "p": f"-exp({_NBINOM_LOGTERM})"},
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
