"""The catalogue's table and what its families share: notes for docstrings, numerical
partials, float64 evaluation."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .._catalogue import Catalogue
from .._kernels import Source
from .._numerical import numerical
from .._parameters import ufunc_parameters

# The `scipy.special` ufuncs that `jax.scipy.special` lacks and this module leaves out, with
# the reason (the docs' catalogue page lists them; a test checks that every other one is
# here).
_JNP = "`jax.numpy` has it: `jnp.{}`."
_NCF_ROOT = (
    "SciPy's root finder stops early: `ncfdtr` at its result differs from p by 1e-7 to "
    "1e-5, so its values cannot be differentiated, or derivatives of them verified, to this "
    "catalogue's accuracy. `ncfdtr` is here, differentiable in every argument: solve it in "
    "JAX (its implicit derivatives then follow)."
)
LEFT_OUT = {
    "cbrt": _JNP.format("cbrt"),
    "exp2": _JNP.format("exp2"),
    "expm1": _JNP.format("expm1"),
    "log1p": _JNP.format("log1p"),
    "round": _JNP.format("round"),
    "ncfdtridfd": _NCF_ROOT,
    "ncfdtridfn": _NCF_ROOT,
    "ncfdtrinc": _NCF_ROOT,
}


CATALOGUE = Catalogue("scipy.special")
_entry = CATALOGUE.add

_ORDER = "Differentiable in z, and in the order v (numerically: no closed form)."
_ORDER_REAL = "Differentiable in real z, and in the order v (numerically: no closed form)."
_NUM = numerical()


def _prefer_jax(name: str) -> str:
    """Docstring note for an entry that a newer JAX provides just as well (the catalogue
    page's section "Entries that newer JAX releases also provide" has the figures)."""
    return (
        f"\n\nJAX 0.12.1 and newer also provide `jax.scipy.special.{name}`, with the same "
        "domain and derivatives, natively on every backend: prefer it there. Values and "
        "derivatives of this entry always come from SciPy."
    )


def _real_orders_beyond_jax(name: str) -> str:
    """Docstring note for a Bessel entry that a newer JAX provides for integer orders."""
    return (
        f"\n\nNewer JAX releases (0.12.1) also provide `jax.scipy.special.{name}`, for "
        "integer orders only and without the derivative in the order: this entry accepts "
        "real orders and differentiates in them."
    )


def _native_by(hook: Any) -> Any:
    """Decorator: the host function is evaluated natively by the kernel `hook(static)`
    names (a `Source`, or None for the Python path at those static values)."""

    def mark(host: Any) -> Any:
        host._ac_kernel = hook
        return host

    return mark


def _calls(host: Any, ufunc: Any) -> Any:
    """Mark `host`, a Python function that returns `ufunc` of its own arguments (a private
    SciPy ufunc under a catalogue name), as evaluated natively by the ufunc's kernel."""
    source = Source(ufunc.__name__, ufunc)
    return _native_by(lambda static: None if static else source)(host)


def _in_float64(ufunc: Any) -> Any:
    """`ufunc` evaluated in float64 whatever the input precision, results cast back: SciPy's
    float32 loops of the Mathieu, spheroidal, parabolic cylinder and modified Fresnel
    functions return NaN (or, for `obl_ang1`, never return)."""

    def host(*args: Any) -> Any:
        real = np.result_type(*[np.asarray(a).dtype for a in args], np.float32)
        out = ufunc(*[np.asarray(a, dtype=np.float64) for a in args])

        def back(o: Any) -> Any:
            kind = np.result_type(real, np.complex64) if np.iscomplexobj(o) else real
            return np.asarray(o, dtype=kind)

        return tuple(back(o) for o in out) if isinstance(out, tuple) else back(out)

    host.__name__ = ufunc.__name__
    host.__doc__ = ufunc.__doc__
    # Natively: SciPy's double kernel, whatever the input precision, rounded back.
    source = Source(ufunc.__name__, ufunc, wide=True)
    _native_by(lambda static: source)(host)
    host.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for name in ufunc_parameters(ufunc)
        ]
    )
    return host
