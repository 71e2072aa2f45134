"""Noncentral distributions."""

from __future__ import annotations

import inspect
from typing import Any

import scipy.special as sc

from .._numerical import derivative
from ._common import _NUM, CATALOGUE, _calls, _entry
from ._formulas import _fill, _implicit
from ._helpers import _natively

# --- Noncentral distributions -------------------------------------------------------------
CATALOGUE.section("Noncentral distributions")
# Densities come from SciPy's own (Boost) implementations; the noncentral chi-square density
# differentiates in closed form through its Poisson mixture of central ones:
# df/dnc = (f(df + 2) - f(df)) / 2 and x f'(x) = ((df - 2) f(df) + nc f(df + 2) - x f(df)) / 2.
# Partials in the degrees of freedom and (for F and t) the noncentrality are numerical.

_ufuncs: Any = sc._ufuncs  # the densities scipy.stats uses


def _chndtr_ddf(x, df, nc):
    return derivative(sc.chndtr, (x, df, nc), (1,), _NUM)


def _ncfdtr_ddfn(dfn, dfd, nc, f):
    return derivative(sc.ncfdtr, (dfn, dfd, nc, f), (0,), _NUM)


def _ncfdtr_ddfd(dfn, dfd, nc, f):
    return derivative(sc.ncfdtr, (dfn, dfd, nc, f), (1,), _NUM)


def _ncfdtr_dnc(dfn, dfd, nc, f):
    return derivative(sc.ncfdtr, (dfn, dfd, nc, f), (2,), _NUM)


def _nctdtr_ddf(df, nc, t):
    return derivative(sc.nctdtr, (df, nc, t), (0,), _NUM)


def _nctdtr_dnc(df, nc, t):
    return derivative(sc.nctdtr, (df, nc, t), (1,), _NUM)


_natively(_chndtr_ddf, 1, sc.chndtr)
_natively(_ncfdtr_ddfn, 0, sc.ncfdtr)
_natively(_ncfdtr_ddfd, 1, sc.ncfdtr)
_natively(_ncfdtr_dnc, 2, sc.ncfdtr)
_natively(_nctdtr_ddf, 0, sc.nctdtr)
_natively(_nctdtr_dnc, 1, sc.nctdtr)


def _ncx2_pdf(x, df, nc):
    return _ufuncs._ncx2_pdf(x, df, nc)


def _ncf_pdf(f, dfn, dfd, nc):
    return _ufuncs._ncf_pdf(f, dfn, dfd, nc)


def _nct_pdf(t, df, nc):
    return _ufuncs._nct_pdf(t, df, nc)


# Native through the densities' own ufunc loops (SciPy exports no scalar kernel for them).
_calls(_ncx2_pdf, _ufuncs._ncx2_pdf)
_calls(_ncf_pdf, _ufuncs._ncf_pdf)
_calls(_nct_pdf, _ufuncs._nct_pdf)


CATALOGUE.helper(
    _ncx2_pdf,
    "Density of the noncentral chi-square distribution.",
    name="ncx2_pdf",
    derivatives={
        "x": "((df - 2) * ncx2_pdf(x, df, nc) + nc * ncx2_pdf(x, df + 2, nc)) / (2 * x) "
        "- ncx2_pdf(x, df, nc) / 2",
        "df": _NUM,
        "nc": "(ncx2_pdf(x, df + 2, nc) - ncx2_pdf(x, df, nc)) / 2",
    },
)
for _fn, _name, _doc in [
    (_chndtr_ddf, "chndtr_ddf", "dF/ddf of the noncentral chi-square distribution function"),
    (_ncfdtr_ddfn, "ncfdtr_ddfn", "dF/ddfn of the noncentral F distribution function"),
    (_ncfdtr_ddfd, "ncfdtr_ddfd", "dF/ddfd of the noncentral F distribution function"),
    (_ncfdtr_dnc, "ncfdtr_dnc", "dF/dnc of the noncentral F distribution function"),
    (_nctdtr_ddf, "nctdtr_ddf", "dF/ddf of the noncentral t distribution function"),
    (_nctdtr_dnc, "nctdtr_dnc", "dF/dnc of the noncentral t distribution function"),
    (_ncf_pdf, "ncf_pdf", "Density of the noncentral F distribution"),
    (_nct_pdf, "nct_pdf", "Density of the noncentral t distribution"),
]:
    CATALOGUE.helper(
        _fn,
        f"{_doc} (numerically, and numerically differentiable).",
        name=_name,
        derivatives=dict.fromkeys(inspect.signature(_fn).parameters, _NUM),
    )

chndtr = _entry(
    sc.chndtr,
    "Noncentral chi-square distribution function.\n\nDifferentiable in x and nc, and in df "
    "(numerically).",
    derivatives={"x": "ncx2_pdf(x, df, nc)", "df": _NUM, "nc": "-ncx2_pdf(x, df + 2, nc)"},
    examples=[(3.0, 2.5, 1.5), (12.5, 7.0, 4.5)],
)
_CX = "chndtrix(p, df, nc)"
chndtrix = _entry(
    sc.chndtrix,
    "Inverse of `chndtr` in x.\n\nDifferentiable in p and nc, and in df (implicitly, dF/ddf "
    "numerically).",
    derivatives=_implicit(
        f"ncx2_pdf({_CX}, df, nc)",
        p="1",
        df=f"chndtr_ddf({_CX}, df, nc)",
        nc=f"-ncx2_pdf({_CX}, df + 2, nc)",
    ),
    examples=[(0.3, 2.5, 1.5), (0.8, 7.0, 4.5)],
)
_CD = "chndtridf(x, p, nc)"
chndtridf = _entry(
    sc.chndtridf,
    "Inverse of `chndtr` in df.\n\nDifferentiable in x, p and nc (implicitly, dF/ddf numerically).",
    derivatives=_implicit(
        f"chndtr_ddf(x, {_CD}, nc)",
        x=f"ncx2_pdf(x, {_CD}, nc)",
        p="1",
        nc=f"-ncx2_pdf(x, {_CD} + 2, nc)",
    ),
    examples=[(3.0, 0.3, 1.5), (12.5, 0.6, 4.5)],
)
_CN = "chndtrinc(x, df, p)"
chndtrinc = _entry(
    sc.chndtrinc,
    "Inverse of `chndtr` in nc.\n\nDifferentiable in x and p, and in df (implicitly, dF/ddf "
    "numerically).",
    derivatives=_implicit(
        f"-ncx2_pdf(x, df + 2, {_CN})",
        x=f"ncx2_pdf(x, df, {_CN})",
        df=f"chndtr_ddf(x, df, {_CN})",
        p="1",
    ),
    examples=[(3.0, 2.5, 0.3), (12.5, 7.0, 0.2)],
)
ncfdtr = _entry(
    sc.ncfdtr,
    "Noncentral F distribution function.\n\nDifferentiable in f, and in dfn, dfd and nc "
    "(numerically).",
    derivatives={"dfn": _NUM, "dfd": _NUM, "nc": _NUM, "f": "ncf_pdf(f, dfn, dfd, nc)"},
    examples=[(3.0, 5.0, 1.5, 0.8), (12.5, 7.0, 4.5, 2.1)],
)


def _inverse(partials: dict[str, str], value: str, call: str, params: list[str]) -> dict[str, str]:
    """Implicit partials of the inverse of a distribution function in its argument `value`,
    which is `call`: `partials` maps each argument of the function to dF/d(argument), a
    formula in those arguments; `params` are the inverse's (p among them)."""
    at = {arg: _fill(d, **{value: call}) for arg, d in partials.items()}
    return _implicit(at[value], **{arg: at.get(arg, "1") for arg in params})


_NCF_PARTIALS = {
    "dfn": "ncfdtr_ddfn(dfn, dfd, nc, f)",
    "dfd": "ncfdtr_ddfd(dfn, dfd, nc, f)",
    "nc": "ncfdtr_dnc(dfn, dfd, nc, f)",
    "f": "ncf_pdf(f, dfn, dfd, nc)",
}


ncfdtri = _entry(
    sc.ncfdtri,
    "Inverse of `ncfdtr` in f.\n\nDifferentiable in p, and in dfn, dfd and nc (implicitly, "
    "dF/dparam numerically).",
    derivatives=_inverse(_NCF_PARTIALS, "f", "ncfdtri(dfn, dfd, nc, p)", ["dfn", "dfd", "nc", "p"]),
    examples=[(3.0, 5.0, 1.5, 0.3), (12.5, 7.0, 4.5, 0.8)],
)
nctdtr = _entry(
    sc.nctdtr,
    "Noncentral t distribution function.\n\nDifferentiable in t, and in df and nc (numerically).",
    derivatives={"df": _NUM, "nc": _NUM, "t": "nct_pdf(t, df, nc)"},
    examples=[(3.0, 1.5, 0.8), (12.5, -0.5, 2.1)],
)


_NCT_PARTIALS = {
    "df": "nctdtr_ddf(df, nc, t)",
    "nc": "nctdtr_dnc(df, nc, t)",
    "t": "nct_pdf(t, df, nc)",
}
nctdtrit = _entry(
    sc.nctdtrit,
    "Inverse of `nctdtr` in t.\n\nDifferentiable in p, and in df and nc (implicitly, "
    "dF/dparam numerically).",
    derivatives=_inverse(_NCT_PARTIALS, "t", "nctdtrit(df, nc, p)", ["df", "nc", "p"]),
    examples=[(3.0, 1.5, 0.3), (12.5, -0.5, 0.8)],
)
nctdtridf = _entry(
    sc.nctdtridf,
    "Inverse of `nctdtr` in df.\n\nDifferentiable in p, nc and t (implicitly, dF/dparam "
    "numerically). SciPy's root is accurate to about 1e-10 in p, so where dF/ddf is small "
    "(large df) its values, and these derivatives, carry few digits.",
    derivatives=_inverse(_NCT_PARTIALS, "df", "nctdtridf(p, nc, t)", ["p", "nc", "t"]),
    examples=[(0.728, 1.0, 2.0), (0.856, 0.3, 3.0), (0.877, 1.5, 3.5)],
)
nctdtrinc = _entry(
    sc.nctdtrinc,
    "Inverse of `nctdtr` in nc.\n\nDifferentiable in df, p and t (implicitly, dF/dparam "
    "numerically).",
    derivatives=_inverse(_NCT_PARTIALS, "nc", "nctdtrinc(df, p, t)", ["df", "p", "t"]),
    examples=[(3.0, 0.3, 0.8), (12.5, 0.8, 2.1)],
)
