"""Hyperbolic sine and cosine integrals, modified Fresnel integrals, zeta, Voigt profile."""

from __future__ import annotations

import functools
from typing import Any

import jax.numpy as jnp
import numpy as np
import scipy.special as sc

from .._host_function import HostFunction
from ._common import _NUM, CATALOGUE, _entry, _in_float64

# --- Sine and cosine integrals, Fresnel integrals, zeta, Voigt profile --------------------
CATALOGUE.section(
    "Hyperbolic sine and cosine integrals, modified Fresnel integrals, zeta, Voigt profile"
)
# sinh(x) / x is summed as its power series for |x| < 1/2 (9 terms), so that every
# derivative order is right at x = 0.
shichi = _entry(
    sc.shichi,
    "Hyperbolic sine and cosine integrals Shi(x), Chi(x) (two outputs).\n\nDifferentiable in x.",
    signature="()->(),()",
    derivatives={
        "x": (
            "Piecewise((x ** 0 / 1 + x ** 2 / 6 + x ** 4 / 120 + x ** 6 / 5040 + x ** 8 / 362880 + x ** 10 / 39916800 + x ** 12 / 6227020800 + x ** 14 / 1307674368000 + x ** 16 / 355687428096000, Abs(x) < 1 / 2), (sinh(x) / x, True))",
            "cosh(x) / x",
        )
    },
    examples=[(0.7,), (3.2,), (0.1,)],
)


def _modfresnelp_prime(x: Any) -> tuple[Any, Any]:
    """(fp', kp') = (-exp(i x^2), -2i x kp - exp(-i pi/4) / sqrt(pi))."""
    _, kp = modfresnelp(x)
    return -jnp.exp(1j * x**2), -2j * x * kp - jnp.exp(-0.25j * jnp.pi) / jnp.sqrt(jnp.pi)


def _modfresnelm_prime(x: Any) -> tuple[Any, Any]:
    """(fm', km') = (-exp(-i x^2), 2i x km - exp(i pi/4) / sqrt(pi))."""
    _, km = modfresnelm(x)
    return -jnp.exp(-1j * x**2), 2j * x * km - jnp.exp(0.25j * jnp.pi) / jnp.sqrt(jnp.pi)


modfresnelp = _entry(
    _in_float64(sc.modfresnelp),
    "Modified Fresnel integrals F+(x) = integral of exp(i t^2) from x to infinity and K+(x) = "
    "exp(-i (x^2 + pi/4)) F+(x) / sqrt(pi) (two complex outputs).\n\nDifferentiable in x "
    "(a JAX callable: K+' uses K+), for x >= 0 (SciPy's F+ is wrong for x < 0).",
    signature="()->(),()",
    dtype="complex",
    derivatives={"x": _modfresnelp_prime},
    examples=[(0.7,), (3.2,), (0.1,)],
)
modfresnelm = _entry(
    _in_float64(sc.modfresnelm),
    "Modified Fresnel integrals F-(x) = integral of exp(-i t^2) from x to infinity and K-(x) "
    "= exp(i (x^2 + pi/4)) F-(x) / sqrt(pi) (two complex outputs).\n\nDifferentiable in x "
    "(a JAX callable: K-' uses K-), for x >= 0 (SciPy's F- is wrong for x < 0).",
    signature="()->(),()",
    dtype="complex",
    derivatives={"x": _modfresnelm_prime},
    examples=[(0.7,), (3.2,), (0.1,)],
)
zetac = _entry(
    sc.zetac,
    "Riemann zeta function minus 1, zeta(x) - 1.\n\nDifferentiable in x (numerically: SymPy "
    "has no derivative of zeta in s).",
    derivatives={"x": _NUM},
    examples=[(2.5,), (0.3,), (-3.5,), (12.0,)],
)

# Voigt profile V = Re w(z) / (sigma sqrt(2 pi)), z = (x + i gamma) / (sigma sqrt(2)), w the
# Faddeeva function (w' = -2 z w + 2i / sqrt(pi)). Its real and imaginary parts are helpers
# whose partials in a = Re z and b = Im z follow from w' (Cauchy-Riemann).


def _wofz_re(a, b):
    return sc.wofz(np.asarray(a) + 1j * np.asarray(b)).real


def _wofz_im(a, b):
    return sc.wofz(np.asarray(a) + 1j * np.asarray(b)).imag


@functools.cache
def _wofz() -> HostFunction:
    """`wofz`'s values only, for the native parts below (made on first use: a host function
    builds its rule when made, and importing the catalogue parses nothing)."""
    return HostFunction(sc.wofz)


_wofz_re._ac_jax = lambda a, b: jnp.real(_wofz()(a + 1j * b))  # type: ignore[attr-defined]
_wofz_re._ac_jax_native = lambda: _wofz().native  # type: ignore[attr-defined]
_wofz_im._ac_jax = lambda a, b: jnp.imag(_wofz()(a + 1j * b))  # type: ignore[attr-defined]
_wofz_im._ac_jax_native = lambda: _wofz().native  # type: ignore[attr-defined]


CATALOGUE.helper(
    _wofz_re,
    "Re w(a + ib) of the Faddeeva function w.",
    name="wofz_re",
    derivatives={
        "a": "-2 * (a * wofz_re(a, b) - b * wofz_im(a, b))",
        "b": "2 * (a * wofz_im(a, b) + b * wofz_re(a, b)) - 2 / sqrt(pi)",
    },
)
CATALOGUE.helper(
    _wofz_im,
    "Im w(a + ib) of the Faddeeva function w.",
    name="wofz_im",
    derivatives={
        "a": "-2 * (a * wofz_im(a, b) + b * wofz_re(a, b)) + 2 / sqrt(pi)",
        "b": "-2 * (a * wofz_re(a, b) - b * wofz_im(a, b))",
    },
)
_VZ = "x / (sigma * sqrt(2)), gamma / (sigma * sqrt(2))"
_VA, _VB = "x / (sigma * sqrt(2))", "gamma / (sigma * sqrt(2))"
# dRe w/da and dRe w/db at z, as formulas.
_V_UA = f"-2 * ({_VA} * wofz_re({_VZ}) - {_VB} * wofz_im({_VZ}))"
_V_UB = f"2 * ({_VA} * wofz_im({_VZ}) + {_VB} * wofz_re({_VZ})) - 2 / sqrt(pi)"
voigt_profile = _entry(
    sc.voigt_profile,
    "Voigt profile, the convolution of a normal density of standard deviation sigma and a "
    "Cauchy density of half-width gamma, at x.\n\nDifferentiable in x, sigma and gamma "
    "(through the Faddeeva function, `scipy.special.wofz`).",
    derivatives={
        "x": f"({_V_UA}) / (2 * sigma ** 2 * sqrt(pi))",
        "sigma": f"-voigt_profile(x, sigma, gamma) / sigma - ({_VA} * ({_V_UA}) + {_VB} * "
        f"({_V_UB})) / (sigma ** 2 * sqrt(2 * pi))",
        "gamma": f"({_V_UB}) / (2 * sigma ** 2 * sqrt(pi))",
    },
    examples=[(0.7, 1.3, 0.5), (-2.5, 0.8, 1.5), (0.3, 1.0, 0.0)],
)
