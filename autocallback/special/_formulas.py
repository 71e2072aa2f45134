"""Formula fragments that several families share, and the one way to fill them in.

A fragment is formula text in the names of the function it was written for (the t
distribution's log-density in `df` and `t`); `_fill` puts other text in place of some of
those names, for another function's formulas (the density at an inverse, `stdtrit(df, p)`
for `t`). Formulas are otherwise composed with f-strings.
"""

from __future__ import annotations

import re


def _fill(fragment: str, **values: str) -> str:
    """`fragment` with each name of `values` (as a whole word) replaced by its value, name
    after name in the order given. Values go in as written: parenthesize one where
    precedence needs it."""
    for name, value in values.items():
        fragment, count = re.subn(rf"\b{name}\b", lambda _, v=value: v, fragment)
        if not count:
            raise ValueError(f"formula fragment {fragment!r} has no name {name!r} to fill")
    return fragment


def _implicit(dvalue: str, **partials: str) -> dict[str, str]:
    """Partials of an inverse G of F(..., G, ...) = p: `dvalue` is dF/dG at the inverse;
    `partials` maps each other argument to dF/d(argument), or to "1" for p."""
    return {
        arg: f"1 / ({dvalue})" if d == "1" else f"-({d}) / ({dvalue})"
        for arg, d in partials.items()
    }


# Densities of the gamma and beta distributions (the derivatives in x of the regularized
# incomplete gamma and beta functions P(a, x) and I(a, b, x)), and the gamma density of
# shape b at y as the inverses write it.
_GAMMA_PDF = "exp((a - 1) * log(x) - x - loggamma(a))"
_BETA_PDF = (
    "exp((a - 1) * log(x) + (b - 1) * log(1 - x) - loggamma(a) - loggamma(b) + loggamma(a + b))"
)
_GAMMA_DENSITY = "exp((b - 1) * log(y) - (y) - loggamma(b))"

# Log-densities of the distribution functions (written through exp/loggamma so that large
# shape parameters do not overflow).
_T_LOGPDF = (
    "loggamma((df + 1) / 2) - loggamma(df / 2) - (df + 1) / 2 * log(1 + t ** 2 / df)"
    " - log(pi * df) / 2"
)
_CHI2_LOGPDF = "(v / 2 - 1) * log(x / 2) - x / 2 - loggamma(v / 2) - log(2)"
_F_LOGPDF = (
    "dfn / 2 * log(dfn / dfd) + (dfn / 2 - 1) * log(x) "
    "- (dfn + dfd) / 2 * log(1 + dfn * x / dfd) "
    "+ loggamma((dfn + dfd) / 2) - loggamma(dfn / 2) - loggamma(dfd / 2)"
)
_GAMMA_LOGPDF = "(b - 1) * log(a * x) - a * x - loggamma(b)"
_POISSON_LOGPMF = "floor(k) * log(m) - m - loggamma(floor(k) + 1)"
_BINOM_LOGTERM = (
    "loggamma(n + 1) - loggamma(floor(k) + 1) - loggamma(n - floor(k)) "
    "+ floor(k) * log(p) + (n - floor(k) - 1) * log(1 - p)"
)
_NBINOM_LOGTERM = (
    "loggamma(n + floor(k) + 1) - loggamma(n) - loggamma(floor(k) + 1) "
    "+ (n - 1) * log(p) + floor(k) * log(1 - p)"
)

# The F distribution function's partials: F = I(dfn/2, dfd/2, w) with
# w = dfn x / (dfn x + dfd), so the chain rule goes through w.
_F_W = "(dfn * x / (dfn * x + dfd))"
_F_DEN = "(dfn * x + dfd) ** 2"
_F_BPDF = (
    f"exp((dfn / 2 - 1) * log({_F_W}) + (dfd / 2 - 1) * log(1 - {_F_W}) "
    f"- loggamma(dfn / 2) - loggamma(dfd / 2) + loggamma((dfn + dfd) / 2))"
)
_F_DX = f"exp({_F_LOGPDF})"
_F_DDFN = f"betainc_da(dfn / 2, dfd / 2, {_F_W}) / 2 + {_F_BPDF} * x * dfd / {_F_DEN}"
_F_DDFD = f"betainc_db(dfn / 2, dfd / 2, {_F_W}) / 2 - {_F_BPDF} * x * dfn / {_F_DEN}"
