"""Functions that formulas use, not part of the catalogue."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import scipy.special as sc

from .. import _numerical
from .._host_function import HostFunction
from .._numerical import derivative, jax_derivative
from ._common import _NUM, CATALOGUE
from ._formulas import _BETA_PDF, _GAMMA_PDF

# --- Helpers used inside formulas (not part of the catalogue) -----------------------------
_hyp2f1 = CATALOGUE.helper(
    sc.hyp2f1,
    "Gauss hypergeometric function 2F1(a, b; c; z), differentiable in z (used by the "
    "elliptic-integral formulas; `jax.scipy.special.hyp2f1` is the public one).",
    name="hyp2f1",
    derivatives={
        "a": None,
        "b": None,
        "c": None,
        "z": "a * b / c * hyp2f1(a + 1, b + 1, c + 1, z)",
    },
    examples=[(1.5, 1.5, 2.0, 0.3)],
)


# Partial derivatives of the regularized incomplete gamma and beta functions in their
# parameters, computed numerically on the host (SciPy has no closed form); their
# derivatives in x are closed forms (derivatives of the densities in the parameters).
# Each differentiates whichever of the lower and upper function is the smaller (d lower =
# -d upper): in the upper tail the lower function is 1 - tiny, and its differences would
# cancel (a survival function's parameter derivative 1e-3 off, or 0, below 1e-12).
def _smaller_tail(lower: Any, upper: Any, args: tuple[Any, ...], index: int) -> Any:
    """d lower / d args[index], from the numerical derivative of the smaller of `lower`
    and `upper` = 1 - `lower`."""
    args = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in args])
    with np.errstate(all="ignore"):
        upper_smaller = lower(*args) > 0.5
    out = np.empty(args[0].shape)
    for mask, fn, sign in ((~upper_smaller, lower, 1.0), (upper_smaller, upper, -1.0)):
        if mask.any():
            out[mask] = sign * derivative(fn, [a[mask] for a in args], (index,), _NUM)
    return out


@functools.cache
def _native(ufunc: Any) -> HostFunction:
    """A ufunc's values as a host function (native where it has a kernel), made on first
    use: a host function builds its rule when made, and importing the catalogue parses
    nothing."""
    return HostFunction(ufunc)


def _natively(
    helper: Any,
    index: int,
    lower_ufunc: Any,
    upper: Any = None,
    uses: tuple[Any, ...] = (),
) -> None:
    """Give `helper` (the derivative in args[index] of the ufunc `lower_ufunc`, or of its
    smaller tail when `upper` = 1 - lower is given: a JAX function) a JAX implementation:
    the same differences in the XLA program, used while the ufuncs it calls (`uses`,
    besides `lower_ufunc`) run natively and `NATIVE_DIFFERENCES` is on (in float64 whatever
    the x64 setting, as on the host)."""

    @_numerical.in_double
    def in_xla(*args: Any) -> Any:
        import jax.numpy as jnp

        lower = _native(lower_ufunc)
        values = jnp.broadcast_arrays(*[jnp.asarray(a, jnp.float64) for a in args])
        if upper is None:
            return jax_derivative(lower, values, (index,), _NUM)
        # The tail is chosen per element at the centre, as `_smaller_tail` does; d lower
        # = d (-upper), differences of -upper being exactly minus those of upper.
        upper_smaller = lower(*values) > 0.5

        def smaller(*v: Any) -> Any:
            return jnp.where(upper_smaller, -upper(*v), lower(*v))

        return jax_derivative(smaller, values, (index,), _NUM)

    def native() -> bool:
        return _numerical.NATIVE_DIFFERENCES and all(
            _native(f).native for f in (lower_ufunc, *uses)
        )

    helper._ac_jax = in_xla
    helper._ac_jax_native = native


def _gammainc_da(a, x):
    return _smaller_tail(sc.gammainc, sc.gammaincc, (a, x), 0)


def _betainc_da(a, b, x):
    return _smaller_tail(sc.betainc, sc.betaincc, (a, b, x), 0)


def _betainc_db(a, b, x):
    return _smaller_tail(sc.betainc, sc.betaincc, (a, b, x), 1)


def _stdtr_upper(df, t):
    return sc.stdtr(df, -t)


def _stdtr_ddf(df, t):
    return _smaller_tail(sc.stdtr, _stdtr_upper, (df, t), 0)


_natively(_gammainc_da, 0, sc.gammainc, lambda *v: _native(sc.gammaincc)(*v), (sc.gammaincc,))
_natively(_betainc_da, 0, sc.betainc, lambda *v: _native(sc.betaincc)(*v), (sc.betaincc,))
_natively(_betainc_db, 1, sc.betainc, lambda *v: _native(sc.betaincc)(*v), (sc.betaincc,))
_natively(_stdtr_ddf, 0, sc.stdtr, lambda df, t: _native(sc.stdtr)(df, -t))


CATALOGUE.helper(
    _gammainc_da,
    "dP(a, x)/da of the regularized lower incomplete gamma function (numerically, from P "
    "or from Q = 1 - P, whichever is smaller).",
    name="gammainc_da",
    derivatives={"a": _NUM, "x": f"{_GAMMA_PDF} * (log(x) - digamma(a))"},
)
CATALOGUE.helper(
    _betainc_da,
    "dI(a, b, x)/da of the regularized incomplete beta function (numerically, from I or "
    "from 1 - I, whichever is smaller).",
    name="betainc_da",
    derivatives={
        "a": _NUM,
        "b": _NUM,
        "x": f"{_BETA_PDF} * (log(x) - digamma(a) + digamma(a + b))",
    },
)
CATALOGUE.helper(
    _betainc_db,
    "dI(a, b, x)/db of the regularized incomplete beta function (numerically, from I or "
    "from 1 - I, whichever is smaller).",
    name="betainc_db",
    derivatives={
        "a": _NUM,
        "b": _NUM,
        "x": f"{_BETA_PDF} * (log(1 - x) - digamma(b) + digamma(a + b))",
    },
)
CATALOGUE.helper(
    _stdtr_ddf,
    "dF(df, t)/ddf of the Student t distribution function (numerically, from F(t) or from "
    "1 - F(t) = F(-t), whichever is smaller).",
    name="stdtr_ddf",
    derivatives={"df": _NUM, "t": _NUM},
)


_hyp1f1 = CATALOGUE.helper(
    sc.hyp1f1,
    "Confluent hypergeometric function 1F1(a; b; x), differentiable in x (used by `exprel` "
    "and the noncentral distributions; `jax.scipy.special.hyp1f1` is the public one).",
    name="hyp1f1",
    derivatives={"a": None, "b": None, "x": "a / b * hyp1f1(a + 1, b + 1, x)"},
    examples=[(1.5, 2.5, 0.3)],
)
