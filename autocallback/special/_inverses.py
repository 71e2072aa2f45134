"""Inverses of distribution functions."""

from __future__ import annotations

import scipy.special as sc

from ._common import CATALOGUE, _entry
from ._formulas import (
    _BETA_PDF,
    _BINOM_LOGTERM,
    _CHI2_LOGPDF,
    _F_DDFD,
    _F_DDFN,
    _F_DX,
    _GAMMA_DENSITY,
    _NBINOM_LOGTERM,
    _POISSON_LOGPMF,
    _T_LOGPDF,
    _fill,
    _implicit,
)

# --- Inverses of distribution functions ---------------------------------------------------
CATALOGUE.section("Inverses of distribution functions")
# The inverse G of F(theta, x) in x has dG/dp = 1 / (dF/dx) and dG/dtheta = -(dF/dtheta) /
# (dF/dx) at x = G (the function's own value, free from the primal); likewise for inverses
# in a parameter. dF/dparam of the incomplete gamma and beta functions comes from the
# numerical helpers gammainc_da, betainc_da and betainc_db (no closed form).


bdtri = _entry(
    sc.bdtri,
    "Inverse of `bdtr` in p.\n\nDifferentiable in y (implicitly); the counts k and n are not.",
    derivatives={
        "k": None,
        "n": None,
        "y": f"-exp(-({_fill(_BINOM_LOGTERM, p='bdtri(k, n, y)')}))",
    },
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
# bdtr(k, n, p) = I(n - k, k + 1, 1 - p) for real k and n, as SciPy's bdtrik and bdtrin solve.
_BK = {"a": "n - k", "b": "k + 1", "x": "1 - p"}
_BDTR_DK = _fill("betainc_db(a, b, x) - betainc_da(a, b, x)", **_BK)
_BDTR_DN = _fill("betainc_da(a, b, x)", **_BK)
_BDTR_DP = "-" + _fill(_BETA_PDF, a="(n - k)", b="(k + 1)", x="(1 - p)")
bdtrik = _entry(
    sc.bdtrik,
    "Inverse of `bdtr` in k (real).\n\nDifferentiable in y, n and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _fill(_BDTR_DK, k="(bdtrik(y, n, p))"),
        y="1",
        n=_fill(_BDTR_DN, k="(bdtrik(y, n, p))"),
        p=_fill(_BDTR_DP, k="(bdtrik(y, n, p))"),
    ),
    examples=[(0.3, 10.0, 0.4), (0.8, 25.0, 0.7)],
)
bdtrin = _entry(
    sc.bdtrin,
    "Inverse of `bdtr` in n (real).\n\nDifferentiable in k, y and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _fill(_BDTR_DN, n="(bdtrin(k, y, p))"),
        k=_fill(_BDTR_DK, n="(bdtrin(k, y, p))"),
        y="1",
        p=_fill(_BDTR_DP, n="(bdtrin(k, y, p))"),
    ),
    examples=[(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
)
nbdtri = _entry(
    sc.nbdtri,
    "Inverse of `nbdtr` in p.\n\nDifferentiable in y (implicitly); the counts k and n are not.",
    derivatives={
        "k": None,
        "n": None,
        "y": f"exp(-({_fill(_NBINOM_LOGTERM, p='nbdtri(k, n, y)')}))",
    },
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
# nbdtr(k, n, p) = I(n, k + 1, p) for real k and n.
_NBK = {"a": "n", "b": "k + 1", "x": "p"}
_NBDTR_DK = _fill("betainc_db(a, b, x)", **_NBK)
_NBDTR_DN = _fill("betainc_da(a, b, x)", **_NBK)
_NBDTR_DP = _fill(_BETA_PDF, a="(n)", b="(k + 1)", x="(p)")
nbdtrik = _entry(
    sc.nbdtrik,
    "Inverse of `nbdtr` in k (real).\n\nDifferentiable in y, n and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _fill(_NBDTR_DK, k="(nbdtrik(y, n, p))"),
        y="1",
        n=_fill(_NBDTR_DN, k="(nbdtrik(y, n, p))"),
        p=_fill(_NBDTR_DP, k="(nbdtrik(y, n, p))"),
    ),
    examples=[(0.3, 10.0, 0.4), (0.8, 4.5, 0.7)],
)
nbdtrin = _entry(
    sc.nbdtrin,
    "Inverse of `nbdtr` in n (real).\n\nDifferentiable in k, y and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _fill(_NBDTR_DN, n="(nbdtrin(k, y, p))"),
        k=_fill(_NBDTR_DK, n="(nbdtrin(k, y, p))"),
        y="1",
        p=_fill(_NBDTR_DP, n="(nbdtrin(k, y, p))"),
    ),
    examples=[(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
)
pdtri = _entry(
    sc.pdtri,
    "Inverse of `pdtr` in m.\n\nDifferentiable in y (implicitly); the count k is not.",
    derivatives={"k": None, "y": f"-exp(-({_fill(_POISSON_LOGPMF, m='pdtri(k, y)')}))"},
    examples=[(3, 0.3), (12, 0.7)],
)
# pdtr(k, m) = Q(k + 1, m) for real k, as SciPy's pdtrik solves.
_PK = "pdtrik(p, m)"
pdtrik = _entry(
    sc.pdtrik,
    "Inverse of `pdtr` in k (real).\n\nDifferentiable in p and m (implicitly, dQ/dk numerically).",
    derivatives=_implicit(
        f"-gammainc_da({_PK} + 1, m)",
        p="1",
        m="-" + _fill(_GAMMA_DENSITY, b=f"{_PK} + 1", y="m"),
    ),
    examples=[(0.3, 2.0), (0.8, 12.5)],
)
# gdtr(a, b, x) = P(b, a x).
_GA = "gdtria(p, b, x)"
gdtria = _entry(
    sc.gdtria,
    "Inverse of `gdtr` in the rate a.\n\nDifferentiable in p, b and x (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"x * {_fill(_GAMMA_DENSITY, b='b', y=f'{_GA} * x')}",
        p="1",
        b=f"gammainc_da(b, {_GA} * x)",
        x=f"{_GA} * {_fill(_GAMMA_DENSITY, b='b', y=f'{_GA} * x')}",
    ),
    examples=[(0.3, 2.5, 2.0), (0.8, 12.5, 7.5)],
)
_GB = "gdtrib(a, p, x)"
gdtrib = _entry(
    sc.gdtrib,
    "Inverse of `gdtr` in the shape b.\n\nDifferentiable in a, p and x (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"gammainc_da({_GB}, a * x)",
        a=f"x * {_fill(_GAMMA_DENSITY, b=_GB, y='a * x')}",
        p="1",
        x=f"a * {_fill(_GAMMA_DENSITY, b=_GB, y='a * x')}",
    ),
    examples=[(1.5, 0.3, 2.0), (0.5, 0.8, 7.5)],
)
_GX = "gdtrix(a, b, p)"
gdtrix = _entry(
    sc.gdtrix,
    "Inverse of `gdtr` in x.\n\nDifferentiable in p and a, and in b (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"a * {_fill(_GAMMA_DENSITY, b='b', y=f'a * {_GX}')}",
        a=f"{_GX} * {_fill(_GAMMA_DENSITY, b='b', y=f'a * {_GX}')}",
        b=f"gammainc_da(b, a * {_GX})",
        p="1",
    ),
    examples=[(1.5, 2.5, 0.3), (0.5, 12.5, 0.8)],
)
_BA = "btdtria(p, b, x)"
btdtria = _entry(
    sc.btdtria,
    "Inverse of the regularized incomplete beta function in a.\n\nDifferentiable in p, b and "
    "x (implicitly, dI/da and dI/db numerically).",
    derivatives=_implicit(
        f"betainc_da({_BA}, b, x)",
        p="1",
        b=f"betainc_db({_BA}, b, x)",
        x=_fill(_BETA_PDF, a=f"({_BA})", b="(b)", x="(x)"),
    ),
    examples=[(0.3, 2.5, 0.4), (0.8, 0.7, 0.6)],
)
_BB = "btdtrib(x1, x2, x3)"
btdtrib = _entry(
    sc.btdtrib,
    "Inverse of the regularized incomplete beta function in b, for (a, p, x) = (x1, x2, "
    "x3).\n\nDifferentiable in x1, x2 and x3 (implicitly, dI/da and dI/db numerically).",
    derivatives=_implicit(
        f"betainc_db(x1, {_BB}, x3)",
        x1=f"betainc_da(x1, {_BB}, x3)",
        x2="1",
        x3=_fill(_BETA_PDF, a="(x1)", b=f"({_BB})", x="(x3)"),
    ),
    examples=[(1.5, 0.3, 0.4), (0.7, 0.8, 0.6)],
)
_CV = "chdtriv(p, x)"
chdtriv = _entry(
    sc.chdtriv,
    "Inverse of `chdtr` in the degrees of freedom v.\n\nDifferentiable in p and x "
    "(implicitly, dP/da numerically).",
    derivatives=_implicit(
        f"gammainc_da({_CV} / 2, x / 2) / 2",
        p="1",
        x=f"exp({_fill(_CHI2_LOGPDF, v=f'({_CV})')})",
    ),
    examples=[(0.3, 2.0), (0.8, 7.5)],
)
# The F distribution's partials, as for fdtr, at an inverse.
_FX = "fdtri(dfn, dfd, p)"
fdtri = _entry(
    sc.fdtri,
    "Inverse of `fdtr` in x.\n\nDifferentiable in p, and in dfn and dfd (implicitly, dI/da "
    "and dI/db numerically).",
    derivatives=_implicit(
        _fill(_F_DX, x=f"({_FX})"),
        dfn=_fill(_F_DDFN, x=f"({_FX})"),
        dfd=_fill(_F_DDFD, x=f"({_FX})"),
        p="1",
    ),
    examples=[(3.0, 5.0, 0.3), (12.5, 2.0, 0.8)],
)
_FD = "fdtridfd(dfn, p, x)"
fdtridfd = _entry(
    sc.fdtridfd,
    "Inverse of `fdtr` in dfd.\n\nDifferentiable in dfn, p and x (implicitly, dI/da and dI/db "
    "numerically).",
    derivatives=_implicit(
        _fill(_F_DDFD, dfd=f"({_FD})"),
        dfn=_fill(_F_DDFN, dfd=f"({_FD})"),
        p="1",
        x=_fill(_F_DX, dfd=f"({_FD})"),
    ),
    examples=[(3.0, 0.3, 0.8), (12.5, 0.6, 1.1)],
)
_SD = "stdtridf(p, t)"
stdtridf = _entry(
    sc.stdtridf,
    "Inverse of `stdtr` in df.\n\nDifferentiable in p and t (implicitly, dF/ddf numerically).",
    derivatives=_implicit(
        f"stdtr_ddf({_SD}, t)",
        p="1",
        t=f"exp({_fill(_T_LOGPDF, df=f'({_SD})')})",
    ),
    examples=[(0.2, -1.5), (0.7, 1.5), (0.9, 3.0)],
)
nrdtrimn = _entry(
    sc.nrdtrimn,
    "Mean of the normal distribution from a quantile: x - std ndtri(p).\n\n"
    "Differentiable in p, std and x.",
    derivatives={
        "p": "-std * sqrt(2 * pi) * exp(((x - nrdtrimn(p, std, x)) / std) ** 2 / 2)",
        "std": "-(x - nrdtrimn(p, std, x)) / std",
        "x": "1",
    },
    examples=[(0.3, 2.0, 0.8), (0.9, 0.5, -1.5)],
)
# nrdtrisd = (x - mn) / z with z = ndtri(p) = sqrt(2) erfinv(2 p - 1).
_Z = "(sqrt(2) * erfinv(2 * p - 1))"
nrdtrisd = _entry(
    sc.nrdtrisd,
    "Standard deviation of the normal distribution from a quantile: (x - mn) / ndtri(p).\n\n"
    "Differentiable in mn, p and x.",
    derivatives={
        "mn": f"-1 / {_Z}",
        "p": f"-(x - mn) * sqrt(2 * pi) * exp({_Z} ** 2 / 2) / {_Z} ** 2",
        "x": f"1 / {_Z}",
    },
    examples=[(0.5, 0.3, 0.2), (-1.0, 0.9, 2.5)],
)
