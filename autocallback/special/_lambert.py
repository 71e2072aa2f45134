"""Lambert W and Wright functions."""

from __future__ import annotations

from typing import Any

import scipy.special as sc

from .._kernels import Source
from ._common import _NUM, CATALOGUE, _entry, _native_by

# --- Lambert W and Wright functions -------------------------------------------------------
CATALOGUE.section("Lambert W and Wright functions")


def _lambertw_kernel(static: dict[str, Any]) -> Source:
    """Natively: the inner loop of SciPy's `_lambertw` ufunc (which `sc.lambertw` calls with
    k as a C long and the tolerance as a Python float), the tolerance a constant."""
    return Source("_lambertw", sc._ufuncs._lambertw, constants=(float(static.get("tol", 1e-8)),))


@_entry(
    derivatives={"z": "1 / (z + exp(lambertw(z, k, tol)))", "k": None},
    dtype="complex",
    static_argnames="tol",
    examples=[(0.7,), (3.2,)],
)
@_native_by(_lambertw_kernel)
def lambertw(z, k=0, tol=1e-8):
    """autocallback wrapper of `scipy.special.lambertw`.

    Lambert W function, branch k, the inverse of w exp(w) (complex).

    Differentiable in z (W' = 1 / (z + exp W), finite at z = 0); the branch k is not.
    """
    return sc.lambertw(z, k, tol)


wrightomega = _entry(
    sc.wrightomega,
    "Wright omega function, the solution w of w + log w = z.\n\nDifferentiable in z.",
    derivatives={"z": "wrightomega(z) / (1 + wrightomega(z))"},
    examples=[(0.7,), (-3.2,)],
)
wright_bessel = _entry(
    sc.wright_bessel,
    "Wright's generalized Bessel function "
    "Phi(a, b; x).\n\nDifferentiable in x, and in a and b (numerically: no closed form).",
    derivatives={"a": _NUM, "b": _NUM, "x": "wright_bessel(a, a + b, x)"},
    examples=[(0.5, 1.2, 0.7), (2.0, 0.3, 3.2)],
)
log_wright_bessel = _entry(
    sc.log_wright_bessel,
    "Logarithm of Wright's generalized Bessel "
    "function, log Phi(a, b; x).\n\n"
    "Differentiable in x, and in a and b (numerically: no closed form).",
    derivatives={
        "a": _NUM,
        "b": _NUM,
        "x": "exp(log_wright_bessel(a, a + b, x) - log_wright_bessel(a, b, x))",
    },
    examples=[(0.5, 1.2, 0.7), (2.0, 0.3, 3.2)],
)
