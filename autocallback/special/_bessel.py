"""Bessel functions: real order, integer order, spherical."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import scipy.special as sc

from .._kernels import Source
from ._common import (
    _NUM,
    _ORDER,
    _ORDER_REAL,
    CATALOGUE,
    _entry,
    _native_by,
    _prefer_jax,
    _real_orders_beyond_jax,
)

# --- Bessel functions of real order -------------------------------------------------------
CATALOGUE.section("Bessel functions of real order")
jv = _entry(
    sc.jv,
    f"Bessel function of the first kind of real order, J_v(z).\n\n{_ORDER}",
    derivatives={"v": _NUM, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)
yv = _entry(
    sc.yv,
    f"Bessel function of the second kind of real order, Y_v(z).\n\n{_ORDER}",
    derivatives={"v": _NUM, "z": "yv(v - 1, z) - v / z * yv(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)
iv = _entry(
    sc.iv,
    f"Modified Bessel function of the first kind of real order, I_v(z).\n\n{_ORDER}"
    + _real_orders_beyond_jax("iv"),
    derivatives={"v": _NUM, "z": "(iv(v - 1, z) + iv(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)
kv = _entry(
    sc.kv,
    f"Modified Bessel function of the second kind of real order, K_v(z).\n\n{_ORDER}",
    derivatives={"v": _NUM, "z": "-kv(v - 1, z) - v / z * kv(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)

jve = _entry(
    sc.jve,
    "Exponentially scaled Bessel function J_v(z) exp(-|Im z|).\n\n" + _ORDER_REAL,
    derivatives={"v": _NUM, "z": "(jve(v - 1, z) - jve(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
yve = _entry(
    sc.yve,
    "Exponentially scaled Bessel function Y_v(z) exp(-|Im z|).\n\n" + _ORDER_REAL,
    derivatives={"v": _NUM, "z": "yve(v - 1, z) - v / z * yve(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
ive = _entry(
    sc.ive,
    "Exponentially scaled modified Bessel function I_v(z) exp(-|Re z|).\n\n" + _ORDER_REAL,
    derivatives={"v": _NUM, "z": "(ive(v - 1, z) + ive(v + 1, z)) / 2 - sign(z) * ive(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
kve = _entry(
    sc.kve,
    "Exponentially scaled modified Bessel function K_v(z) exp(z).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "kve(v, z) * (1 - v / z) - kve(v - 1, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)

hankel1 = _entry(
    sc.hankel1,
    "Hankel function of the first kind, H1_v(z) = J_v(z) + i Y_v(z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel1(v - 1, z) - v / z * hankel1(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
hankel2 = _entry(
    sc.hankel2,
    "Hankel function of the second kind, H2_v(z) = J_v(z) - i Y_v(z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel2(v - 1, z) - v / z * hankel2(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
hankel1e = _entry(
    sc.hankel1e,
    "Exponentially scaled Hankel function H1_v(z) exp(-i z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel1e(v - 1, z) - (v / z + I) * hankel1e(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)
hankel2e = _entry(
    sc.hankel2e,
    "Exponentially scaled Hankel function H2_v(z) exp(i z) (complex).\n\n" + _ORDER,
    derivatives={"v": _NUM, "z": "hankel2e(v - 1, z) - (v / z - I) * hankel2e(v, z)"},
    examples=[(0.5, 1.3), (2, 0.7)],
)

jn = _entry(
    sc.jn,
    "Bessel function of the first kind, J_v(z) (SciPy's alias of `jv`).\n\n"
    + _ORDER
    + _real_orders_beyond_jax("jn"),
    name="jn",
    derivatives={"v": _NUM, "z": "(jn(v - 1, z) - jn(v + 1, z)) / 2"},
    examples=[(0.5, 1.3), (2, 0.7), (0, 3.2)],
)


# --- Bessel functions of integer order ----------------------------------------------------
CATALOGUE.section("Bessel functions of integer order")
j0 = _entry(
    sc.j0,
    "Bessel function of the first kind of order 0, J_0(x).\n\nDifferentiable in x.",
    derivatives={"x": "-jv(1, x)"},
    examples=[(0.7,), (3.2,)],
)
j1 = _entry(
    sc.j1,
    "Bessel function of the first kind of order 1, J_1(x).\n\nDifferentiable in x.",
    derivatives={"x": "(jv(0, x) - jv(2, x)) / 2"},
    examples=[(0.7,), (3.2,)],
)
y0 = _entry(
    sc.y0,
    "Bessel function of the second kind of order 0, Y_0(x).\n\nDifferentiable in x.",
    derivatives={"x": "-yv(1, x)"},
    examples=[(0.7,), (3.2,)],
)
y1 = _entry(
    sc.y1,
    "Bessel function of the second kind of order 1, Y_1(x).\n\nDifferentiable in x.",
    derivatives={"x": "yv(0, x) - y1(x) / x"},
    examples=[(0.7,), (3.2,)],
)
k0 = _entry(
    sc.k0,
    "Modified Bessel function of the second kind of order 0, K_0(x).\n\nDifferentiable in x.",
    derivatives={"x": "-kv(1, x)"},
    examples=[(0.7,), (3.2,)],
)
k1 = _entry(
    sc.k1,
    "Modified Bessel function of the second kind of order 1, K_1(x).\n\nDifferentiable in x.",
    derivatives={"x": "-kv(0, x) - k1(x) / x"},
    examples=[(0.7,), (3.2,)],
)
k0e = _entry(
    sc.k0e,
    "Exponentially scaled modified Bessel function K_0(x) exp(x).\n\nDifferentiable in x.",
    derivatives={"x": "k0e(x) - kve(1, x)"},
    examples=[(0.7,), (3.2,)],
)
k1e = _entry(
    sc.k1e,
    "Exponentially scaled modified Bessel function K_1(x) exp(x).\n\nDifferentiable in x.",
    derivatives={"x": "k1e(x) * (1 - 1 / x) - kve(0, x)"},
    examples=[(0.7,), (3.2,)],
)
yn = _entry(
    sc.yn,
    "Bessel function of the second kind of integer order, Y_n(x).\n\n"
    "Differentiable in x; the order n is not (it is an integer)." + _prefer_jax("yn"),
    derivatives={"n": None, "x": "yn(n - 1, x) - n / x * yn(n, x)"},
    examples=[(0, 0.7), (2, 3.2)],
)
kn = _entry(
    sc.kn,
    "Modified Bessel function of the second kind of integer order, K_n(x).\n\n"
    "Differentiable in x; the order n is not (it is an integer)." + _prefer_jax("kn"),
    derivatives={"n": None, "x": "-kn(n - 1, x) - n / x * kn(n, x)"},
    examples=[(0, 0.7), (2, 3.2)],
)


# --- Spherical Bessel functions -----------------------------------------------------------
CATALOGUE.section("Spherical Bessel functions")
# (2n + 1) f_n' = n f_{n-1} -+ (n + 1) f_{n+1}: no singularity at z = 0, and linear, so it
# also differentiates the derivative (derivative=True). Max(n - 1, 0) keeps n = 0 (where the
# first term vanishes) away from SciPy's NaN for order -1.

_SPHERICAL = "Differentiable in z; the order n is not (it is an integer)."


def _spherical_kernel(family: str, static: dict[str, Any]) -> Source | None:
    """The native kernel of `spherical_<family>` (values, not derivative=True): SciPy's
    own, on the order cast to a C long as SciPy does."""
    if static.get("derivative", False):
        return None
    ufunc = getattr(sc._ufuncs, f"_spherical_{family}")
    return Source(f"spherical_{family}", ufunc, casts=(np.int64, None))


@_entry(
    derivatives={
        "n": None,
        "z": "(n * spherical_jn(Max(n - 1, 0), z, derivative) "
        "- (n + 1) * spherical_jn(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
@_native_by(functools.partial(_spherical_kernel, "jn"))
def spherical_jn(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_jn`.

    Spherical Bessel function of the first kind, j_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_jn(n, z, derivative)


@_entry(
    derivatives={
        "n": None,
        "z": "(n * spherical_yn(Max(n - 1, 0), z, derivative) "
        "- (n + 1) * spherical_yn(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
@_native_by(functools.partial(_spherical_kernel, "yn"))
def spherical_yn(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_yn`.

    Spherical Bessel function of the second kind, y_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_yn(n, z, derivative)


@_entry(
    derivatives={
        "n": None,
        "z": "(n * spherical_in(Max(n - 1, 0), z, derivative) "
        "+ (n + 1) * spherical_in(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
@_native_by(functools.partial(_spherical_kernel, "in"))
def spherical_in(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_in`.

    Modified spherical Bessel function of the first kind, i_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_in(n, z, derivative)


@_entry(
    derivatives={
        "n": None,
        "z": "-(n * spherical_kn(Max(n - 1, 0), z, derivative) "
        "+ (n + 1) * spherical_kn(n + 1, z, derivative)) / (2 * n + 1)",
    },
    static_argnames="derivative",
    examples=[(0, 0.7), (2, 3.2)],
)
@_native_by(functools.partial(_spherical_kernel, "kn"))
def spherical_kn(n, z, derivative=False):
    """autocallback wrapper of `scipy.special.spherical_kn`.

    Modified spherical Bessel function of the second kind, k_n(z), or its derivative.

    Differentiable in z; the order n is not (it is an integer).
    """
    return sc.spherical_kn(n, z, derivative)
