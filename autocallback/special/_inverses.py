"""Inverses of distribution functions."""

from __future__ import annotations

import re

import scipy.special as sc

from ._common import CATALOGUE, _entry
from ._distributions import (
    _BINOM_LOGTERM,
    _CHI2_LOGPDF,
    _F_BPDF,
    _F_DEN,
    _F_LOGPDF,
    _F_W,
    _NBINOM_LOGTERM,
    _POISSON_LOGPMF,
    _T_LOGPDF,
)
from ._helpers import _BETA_PDF

# --- Inverses of distribution functions ---------------------------------------------------
CATALOGUE.section("Inverses of distribution functions")
# The inverse G of F(theta, x) in x has dG/dp = 1 / (dF/dx) and dG/dtheta = -(dF/dtheta) /
# (dF/dx) at x = G (the function's own value, free from the primal); likewise for inverses
# in a parameter. dF/dparam of the incomplete gamma and beta functions comes from the
# numerical helpers gammainc_da, betainc_da and betainc_db (no closed form).


def _sub(template: str, **values: str) -> str:
    """`template` with each whole-word name replaced by its value (in parentheses)."""
    for name, value in values.items():
        template = re.sub(rf"\b{name}\b", f"({value})", template)
    return template


def _beta_pdf(a: str, b: str, x: str) -> str:
    return _sub(_BETA_PDF, a=a, b=b, x=x)


def _gamma_pdf(b: str, y: str) -> str:
    """Density of the standard gamma distribution of shape b at y."""
    return f"exp(({b} - 1) * log({y}) - ({y}) - loggamma({b}))"


def _implicit(dvalue: str, **partials: str) -> dict[str, str]:
    """Partials of an inverse G of F(..., G, ...) = p: `dvalue` is dF/dG at the inverse;
    `partials` maps each other argument to dF/d(argument), or to "1" for p."""
    return {
        arg: f"1 / ({dvalue})" if d == "1" else f"-({d}) / ({dvalue})"
        for arg, d in partials.items()
    }


_BINOM_AT = _BINOM_LOGTERM.replace("log(p)", "log({p})").replace("(1 - p)", "(1 - {p})")
_NBINOM_AT = _NBINOM_LOGTERM.replace("log(p)", "log({p})").replace("(1 - p)", "(1 - {p})")
_POISSON_AT = _POISSON_LOGPMF.replace("log(m) - m", "log({m}) - {m}")

bdtri = _entry(
    sc.bdtri,
    "Inverse of `bdtr` in p.\n\nDifferentiable in y (implicitly); the counts k and n are not.",
    derivatives={
        "k": None,
        "n": None,
        "y": f"-exp(-({_BINOM_AT.format(p='bdtri(k, n, y)')}))",
    },
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
# bdtr(k, n, p) = I(n - k, k + 1, 1 - p) for real k and n, as SciPy's bdtrik and bdtrin solve.
_BK = {"a": "n - k", "b": "k + 1", "x": "1 - p"}
_BDTR_DK = "betainc_db({a}, {b}, {x}) - betainc_da({a}, {b}, {x})".format(**_BK)
_BDTR_DN = "betainc_da({a}, {b}, {x})".format(**_BK)
_BDTR_DP = "-" + _beta_pdf(**_BK)
bdtrik = _entry(
    sc.bdtrik,
    "Inverse of `bdtr` in k (real).\n\nDifferentiable in y, n and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_BDTR_DK, k="bdtrik(y, n, p)"),
        y="1",
        n=_sub(_BDTR_DN, k="bdtrik(y, n, p)"),
        p=_sub(_BDTR_DP, k="bdtrik(y, n, p)"),
    ),
    examples=[(0.3, 10.0, 0.4), (0.8, 25.0, 0.7)],
)
bdtrin = _entry(
    sc.bdtrin,
    "Inverse of `bdtr` in n (real).\n\nDifferentiable in k, y and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_BDTR_DN, n="bdtrin(k, y, p)"),
        k=_sub(_BDTR_DK, n="bdtrin(k, y, p)"),
        y="1",
        p=_sub(_BDTR_DP, n="bdtrin(k, y, p)"),
    ),
    examples=[(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
)
nbdtri = _entry(
    sc.nbdtri,
    "Inverse of `nbdtr` in p.\n\nDifferentiable in y (implicitly); the counts k and n are not.",
    derivatives={
        "k": None,
        "n": None,
        "y": f"exp(-({_NBINOM_AT.format(p='nbdtri(k, n, y)')}))",
    },
    examples=[(3, 10, 0.3), (12, 20, 0.7)],
)
# nbdtr(k, n, p) = I(n, k + 1, p) for real k and n.
_NBK = {"a": "n", "b": "k + 1", "x": "p"}
_NBDTR_DK = "betainc_db({a}, {b}, {x})".format(**_NBK)
_NBDTR_DN = "betainc_da({a}, {b}, {x})".format(**_NBK)
_NBDTR_DP = _beta_pdf(**_NBK)
nbdtrik = _entry(
    sc.nbdtrik,
    "Inverse of `nbdtr` in k (real).\n\nDifferentiable in y, n and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_NBDTR_DK, k="nbdtrik(y, n, p)"),
        y="1",
        n=_sub(_NBDTR_DN, k="nbdtrik(y, n, p)"),
        p=_sub(_NBDTR_DP, k="nbdtrik(y, n, p)"),
    ),
    examples=[(0.3, 10.0, 0.4), (0.8, 4.5, 0.7)],
)
nbdtrin = _entry(
    sc.nbdtrin,
    "Inverse of `nbdtr` in n (real).\n\nDifferentiable in k, y and p (implicitly, dF/dk and "
    "dF/dn numerically).",
    derivatives=_implicit(
        _sub(_NBDTR_DN, n="nbdtrin(k, y, p)"),
        k=_sub(_NBDTR_DK, n="nbdtrin(k, y, p)"),
        y="1",
        p=_sub(_NBDTR_DP, n="nbdtrin(k, y, p)"),
    ),
    examples=[(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
)
pdtri = _entry(
    sc.pdtri,
    "Inverse of `pdtr` in m.\n\nDifferentiable in y (implicitly); the count k is not.",
    derivatives={"k": None, "y": f"-exp(-({_POISSON_AT.format(m='pdtri(k, y)')}))"},
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
        m="-" + _gamma_pdf(f"{_PK} + 1", "m"),
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
        f"x * {_gamma_pdf('b', f'{_GA} * x')}",
        p="1",
        b=f"gammainc_da(b, {_GA} * x)",
        x=f"{_GA} * {_gamma_pdf('b', f'{_GA} * x')}",
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
        a=f"x * {_gamma_pdf(_GB, 'a * x')}",
        p="1",
        x=f"a * {_gamma_pdf(_GB, 'a * x')}",
    ),
    examples=[(1.5, 0.3, 2.0), (0.5, 0.8, 7.5)],
)
_GX = "gdtrix(a, b, p)"
gdtrix = _entry(
    sc.gdtrix,
    "Inverse of `gdtr` in x.\n\nDifferentiable in p and a, and in b (implicitly, dP/db "
    "numerically).",
    derivatives=_implicit(
        f"a * {_gamma_pdf('b', f'a * {_GX}')}",
        a=f"{_GX} * {_gamma_pdf('b', f'a * {_GX}')}",
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
        x=_beta_pdf(_BA, "b", "x"),
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
        x3=_beta_pdf("x1", _BB, "x3"),
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
        x=f"exp({_sub(_CHI2_LOGPDF.format(x='x'), v=_CV)})",
    ),
    examples=[(0.3, 2.0), (0.8, 7.5)],
)
# The F distribution's partials, as for fdtr, at an inverse.
_F_DX = f"exp({_F_LOGPDF})"
_F_DDFN = f"betainc_da(dfn / 2, dfd / 2, {_F_W}) / 2 + {_F_BPDF} * x * dfd / {_F_DEN}"
_F_DDFD = f"betainc_db(dfn / 2, dfd / 2, {_F_W}) / 2 - {_F_BPDF} * x * dfn / {_F_DEN}"
_FX = "fdtri(dfn, dfd, p)"
fdtri = _entry(
    sc.fdtri,
    "Inverse of `fdtr` in x.\n\nDifferentiable in p, and in dfn and dfd (implicitly, dI/da "
    "and dI/db numerically).",
    derivatives=_implicit(
        _sub(_F_DX, x=_FX),
        dfn=_sub(_F_DDFN, x=_FX),
        dfd=_sub(_F_DDFD, x=_FX),
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
        _sub(_F_DDFD, dfd=_FD),
        dfn=_sub(_F_DDFN, dfd=_FD),
        p="1",
        x=_sub(_F_DX, dfd=_FD),
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
        t=f"exp({_sub(_T_LOGPDF.format(t='t'), df=_SD)})",
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
