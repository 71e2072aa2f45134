"""`autocallback.special`: values against SciPy, derivatives against mpmath.

Each catalogue function is checked on a batch of points (one jit per function and
argument): values in float32 and float64, eagerly and under `jax.jit`; first derivatives
in float64 against mpmath (`mpmath.diff` of mpmath's own implementation, or a closed form
from mpmath) to a relative error of 1e-10 unless a comment says why not; second
derivatives for a representative subset; derivatives at the removable singularities the
formulas guard (z = 0, m = 0, poles of Gamma).
"""

from __future__ import annotations

import importlib.util
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import mpmath as mp
import numpy as np
import pytest
import scipy.special as sc

import autocallback
from autocallback import special

ROOT = Path(__file__).resolve().parents[1]
RTOL = 1e-10
# Partials computed numerically (`numerical()`, or formulas through the numerical helpers
# gammainc_da, betainc_da/db, stdtr_ddf): the bounds, 1e-8 at first order and 1e-5
# at second order (mixed included).
NUMERICAL_RTOL = 1e-8
NUMERICAL_RTOL2 = 1e-5
# Points where a numerical partial has no real value: SciPy returns NaN for non-integer
# orders of I_v at negative arguments (the value is complex), so d/dv is NaN there.
NO_REAL_PARTIAL = {("ive", "v"): {(0, -3.2)}}
mp.mp.dps = 25


# --------------------------------------------------------------------------------------
# mpmath references

pi = mp.pi


def _sph(f: Callable[..., Any]) -> Callable[..., Any]:
    return lambda n, z: mp.sqrt(pi / (2 * z)) * f(n + mp.mpf(1) / 2, z)


def _root(f: Callable[[Any], Any], target: Any, start: float) -> Any:
    return mp.findroot(lambda t: f(t) - target, mp.mpf(start))


def _inverse_derivative(cdf: Callable[[Any], Any], x: Any) -> Any:
    """d/dp of the inverse of `cdf` at the point where it equals p: 1 / cdf'(x)."""
    return 1 / mp.diff(cdf, x)


def _implicit(cdf: Callable[..., Any], params: list[Any], index: int, x: Any) -> Any:
    """d/d(params[index]) of the x solving cdf(*params, x) = const: -(dF/dparam)/(dF/dx)."""

    def moved(t: Any) -> Any:
        q = list(params)
        q[index] = t
        return cdf(*q, x)

    return -mp.diff(moved, params[index]) / mp.diff(lambda t: cdf(*params, t), x)


def _t_cdf(df: Any, t: Any) -> Any:
    return mp.mpf(1) / 2 + t * mp.gamma((df + 1) / 2) * mp.hyp2f1(
        mp.mpf(1) / 2, (df + 1) / 2, mp.mpf(3) / 2, -(t**2) / df
    ) / (mp.sqrt(pi * df) * mp.gamma(df / 2))


def _reg_gamma(a: Any, lo: Any, hi: Any) -> Any:
    return mp.gammainc(a, lo, hi, regularized=True)


def _reg_beta(a: Any, b: Any, lo: Any, hi: Any) -> Any:
    return mp.betainc(a, b, lo, hi, regularized=True)


def _wright(a: Any, b: Any, x: Any) -> Any:
    return mp.nsum(lambda k: x**k / (mp.factorial(k) * mp.gamma(a * k + b)), [0, mp.inf])


def _airye(z: Any) -> tuple[Any, ...]:
    zeta = 2 * z ** mp.mpf(1.5) / 3
    return (
        mp.airyai(z) * mp.exp(zeta),
        mp.airyai(z, 1) * mp.exp(zeta),
        mp.airybi(z) * mp.exp(-zeta),
        mp.airybi(z, 1) * mp.exp(-zeta),
    )


def _kelvin(kind: str, order: int) -> Callable[[Any], Any]:
    f = getattr(mp, kind)
    return lambda x: mp.diff(lambda t: f(0, t), x, order) if order else f(0, x)


def _ellipf(phi: Any, m: Any) -> Any:
    return mp.ellipf(phi, m)


def _inverse(h: Callable[..., Any], start: Callable[..., Any], names: str) -> dict[str, Any]:
    """Reference partials of an inverse G(*args) defined by h(*args, G) = 0: dG/darg =
    -(dh/darg) / (dh/dG) at mpmath's root (started from SciPy's value)."""
    roots: dict[tuple[Any, ...], Any] = {}

    def root(*args: Any) -> Any:
        if args not in roots:
            s = start(*[a if isinstance(a, int) else float(a) for a in args])
            roots[args] = mp.findroot(lambda t: h(*args, t), mp.mpf(s))
        return roots[args]

    def partial(i: int) -> Callable[..., Any]:
        def d(*args: Any) -> Any:
            point = (*args, root(*args))
            n = len(point)
            dh = mp.diff(h, point, tuple(int(j == i) for j in range(n)))
            return -dh / mp.diff(h, point, tuple(int(j == n - 1) for j in range(n)))

        return d

    return {name: partial(i) for i, name in enumerate(names.split())}


def _scipy_fd(name: str, names: str) -> dict[str, Any]:
    """Reference partials by Richardson-extrapolated central differences of SciPy itself
    (for functions mpmath lacks: Mathieu and spheroidal), to about 1e-9."""
    f = getattr(sc, name)

    def partial(i: int) -> Callable[..., Any]:
        def d(*args: Any) -> Any:
            x = [float(a) for a in args]

            def central(h: float) -> np.ndarray:
                up, down = list(x), list(x)
                up[i] += h
                down[i] -= h
                return (np.asarray(f(*up)) - np.asarray(f(*down))) / (2 * h)

            h = 1e-3 * max(1.0, abs(x[i]))
            d1, d2 = central(h), central(h / 2)
            value = (4 * d2 - d1) / 3
            return tuple(value) if value.ndim else value

        return d

    return {n: partial(i) for i, n in enumerate(names.split())}


def _ncx2_cdf(x: Any, k: Any, lam: Any, terms: int = 60) -> Any:
    w = lambda j: mp.exp(-lam / 2) * (lam / 2) ** j / mp.factorial(j)  # noqa: E731
    return mp.fsum(w(j) * _reg_gamma(k / 2 + j, 0, x / 2) for j in range(terms))


def _ncx2_pdf(x: Any, k: Any, lam: Any) -> Any:
    v = k / 2 - 1
    return mp.exp(-(x + lam) / 2) * (x / lam) ** (v / 2) * mp.besseli(v, mp.sqrt(lam * x)) / 2


def _ncf_cdf(dfn: Any, dfd: Any, lam: Any, f: Any, terms: int = 60) -> Any:
    y = dfn * f / (dfn * f + dfd)
    w = lambda j: mp.exp(-lam / 2) * (lam / 2) ** j / mp.factorial(j)  # noqa: E731
    return mp.fsum(w(j) * _reg_beta(dfn / 2 + j, dfd / 2, 0, y) for j in range(terms))


def _nct_cdf(df: Any, mu: Any, t: Any, terms: int = 60) -> Any:
    if t < 0:
        return 1 - _nct_cdf(df, -mu, -t, terms)
    y = t**2 / (t**2 + df)
    e = mp.exp(-(mu**2) / 2)
    s = mp.fsum(
        e * (mu**2 / 2) ** j / mp.factorial(j) * _reg_beta(j + mp.mpf(1) / 2, df / 2, 0, y)
        + mu
        * e
        * (mu**2 / 2) ** j
        / (mp.sqrt(2) * mp.gamma(j + mp.mpf(3) / 2))
        * _reg_beta(j + 1, df / 2, 0, y)
        for j in range(terms)
    )
    return mp.ncdf(-mu) + s / 2


def _kolmogorov(y: Any) -> Any:
    return 2 * mp.nsum(lambda k: (-1) ** (k - 1) * mp.exp(-2 * k**2 * y**2), [1, mp.inf])


def _smirnov(n: int, d: Any) -> Any:
    top = int(mp.floor(n * (1 - d)))
    return d * mp.fsum(
        mp.binomial(n, j) * (1 - d - mp.mpf(j) / n) ** (n - j) * (d + mp.mpf(j) / n) ** (j - 1)
        for j in range(top + 1)
    )


def _tukey_quantile(lam: Any, p: Any) -> Any:
    return (p**lam - (1 - p) ** lam) / lam if lam else mp.log(p / (1 - p))


def _modfresnel(x: Any, sign: int) -> tuple[Any, Any]:
    u = x * mp.sqrt(2 / pi)
    f = mp.sqrt(pi) * mp.expjpi(sign * mp.mpf(1) / 4) / 2 - mp.sqrt(pi / 2) * (
        mp.fresnelc(u) + sign * 1j * mp.fresnels(u)
    )
    return f, mp.exp(-sign * 1j * (x**2 + pi / 4)) * f / mp.sqrt(pi)


def _voigt(x: Any, s: Any, g: Any) -> Any:
    z = (x + 1j * g) / (s * mp.sqrt(2))
    return mp.re(mp.exp(-(z**2)) * mp.erfc(-1j * z)) / (s * mp.sqrt(2 * pi))


def _am(u: Any, m: Any) -> Any:
    return mp.findroot(lambda t: mp.ellipf(t, m) - u, mp.mpf(sc.ellipj(float(u), float(m))[3]))


def _ellipj(u: Any, m: Any) -> tuple[Any, ...]:
    return (
        mp.ellipfun("sn", u, m=m),
        mp.ellipfun("cn", u, m=m),
        mp.ellipfun("dn", u, m=m),
        _am(u, m),
    )


def _pair(f: Callable[..., Any]) -> Callable[..., Any]:
    """(f, df/dx) of a function of (order, x): the value-and-derivative outputs."""
    return lambda v, x: (f(v, x), mp.diff(lambda t: f(v, t), x))


_BETA = _reg_beta


# name -> (mpmath function of the same arguments, points, {argument: rtol})
#   The mpmath function may instead be a dict {argument: derivative function} giving the
#   reference derivative directly (for integrals, whose derivative is the integrand, and
#   for inverses, whose derivative is 1 / the CDF's derivative at the mpmath root).
#   Arguments missing from the rtol dict use RTOL.
CASES: dict[str, tuple[Any, list[tuple[Any, ...]], dict[str, float]]] = {
    # Bessel functions of real order
    "jv": (mp.besselj, [(0.5, 1.3), (2, 0.7), (0, 3.2), (-1.5, 5.5), (7.25, 2.5)], {}),
    "yv": (mp.bessely, [(0.5, 1.3), (2, 0.7), (0, 3.2), (-1.5, 5.5), (7.25, 2.5)], {}),
    "iv": (mp.besseli, [(0.5, 1.3), (2, 0.7), (0, 3.2), (-1.5, 5.5), (7.25, 2.5)], {}),
    "kv": (mp.besselk, [(0.5, 1.3), (2, 0.7), (0, 3.2), (-1.5, 5.5), (7.25, 2.5)], {}),
    "jve": (mp.besselj, [(0.5, 1.3), (2, 0.7), (0, 3.2)], {}),
    "yve": (mp.bessely, [(0.5, 1.3), (2, 0.7), (0, 3.2)], {}),
    "ive": (
        lambda v, z: mp.besseli(v, z) * mp.exp(-abs(z)),
        [(0.5, 1.3), (2, 0.7), (0, -3.2), (1, 40.0)],
        {},
    ),
    "kve": (
        lambda v, z: mp.besselk(v, z) * mp.exp(z),
        [(0.5, 1.3), (2, 0.7), (0, 3.2), (1, 40.0)],
        {},
    ),
    "hankel1": (mp.hankel1, [(0.5, 1.3), (2, 0.7), (0, 3.2)], {}),
    "hankel2": (mp.hankel2, [(0.5, 1.3), (2, 0.7), (0, 3.2)], {}),
    "hankel1e": (
        lambda v, z: mp.hankel1(v, z) * mp.exp(-1j * z),
        [(0.5, 1.3), (2, 0.7), (0, 3.2)],
        {},
    ),
    "hankel2e": (
        lambda v, z: mp.hankel2(v, z) * mp.exp(1j * z),
        [(0.5, 1.3), (2, 0.7), (0, 3.2)],
        {},
    ),
    # integer order
    "j0": (lambda x: mp.besselj(0, x), [(0.7,), (3.2,), (-5.5,)], {}),
    "j1": (lambda x: mp.besselj(1, x), [(0.7,), (3.2,), (-5.5,)], {}),
    "y0": (lambda x: mp.bessely(0, x), [(0.7,), (3.2,), (5.5,)], {}),
    "y1": (lambda x: mp.bessely(1, x), [(0.7,), (3.2,), (5.5,)], {}),
    "k0": (lambda x: mp.besselk(0, x), [(0.7,), (3.2,), (5.5,)], {}),
    "k1": (lambda x: mp.besselk(1, x), [(0.7,), (3.2,), (5.5,)], {}),
    "k0e": (lambda x: mp.besselk(0, x) * mp.exp(x), [(0.7,), (3.2,), (55.0,)], {}),
    "k1e": (lambda x: mp.besselk(1, x) * mp.exp(x), [(0.7,), (3.2,), (55.0,)], {}),
    "yn": (mp.bessely, [(0, 0.7), (2, 3.2), (5, 5.5)], {}),
    "kn": (mp.besselk, [(0, 0.7), (2, 3.2), (5, 5.5)], {}),
    # spherical
    "spherical_jn": (_sph(mp.besselj), [(0, 0.7), (1, 3.2), (4, 5.5)], {}),
    "spherical_yn": (_sph(mp.bessely), [(0, 0.7), (1, 3.2), (4, 5.5)], {}),
    "spherical_in": (_sph(mp.besseli), [(0, 0.7), (1, 3.2), (4, 5.5)], {}),
    "spherical_kn": (_sph(mp.besselk), [(0, 0.7), (1, 3.2), (4, 5.5)], {}),
    # Struve and integrals
    "struve": (mp.struveh, [(0, 0.7), (1.5, 3.2), (-0.5, 2.1), (3, 8.5)], {}),
    "modstruve": (mp.struvel, [(0, 0.7), (1.5, 3.2), (-0.5, 2.1), (3, 8.5)], {}),
    "itstruve0": ({"x": lambda x: mp.struveh(0, x)}, [(0.7,), (3.2,), (12.5,)], {}),
    "it2struve0": ({"x": lambda x: -mp.struveh(0, x) / x}, [(0.7,), (3.2,), (12.5,)], {}),
    "itmodstruve0": ({"x": lambda x: mp.struvel(0, x)}, [(0.7,), (3.2,), (12.5,)], {}),
    "itj0y0": ({"x": lambda x: (mp.besselj(0, x), mp.bessely(0, x))}, [(0.7,), (3.2,), (5.1,)], {}),
    "iti0k0": ({"x": lambda x: (mp.besseli(0, x), mp.besselk(0, x))}, [(0.7,), (3.2,), (5.1,)], {}),
    # Airy
    "airy": (
        {"z": lambda z: (mp.airyai(z, 1), mp.airyai(z, 2), mp.airybi(z, 1), mp.airybi(z, 2))},
        [(0.7,), (-2.3,), (3.9,)],
        {},
    ),
    "airye": (_airye, [(0.7,), (4.5,), (30.0,)], {}),
    # Kelvin
    "ber": (_kelvin("ber", 0), [(0.7,), (3.2,), (6.5,)], {}),
    "bei": (_kelvin("bei", 0), [(0.7,), (3.2,), (6.5,)], {}),
    "ker": (_kelvin("ker", 0), [(0.7,), (3.2,), (6.5,)], {}),
    "kei": (_kelvin("kei", 0), [(0.7,), (3.2,), (6.5,)], {}),
    "berp": ({"x": _kelvin("ber", 2)}, [(0.7,), (3.2,), (6.5,)], {}),
    "beip": ({"x": _kelvin("bei", 2)}, [(0.7,), (3.2,), (6.5,)], {}),
    "kerp": ({"x": _kelvin("ker", 2)}, [(0.7,), (3.2,), (6.5,)], {}),
    "keip": ({"x": _kelvin("kei", 2)}, [(0.7,), (3.2,), (6.5,)], {}),
    # elliptic
    "ellipk": (mp.ellipk, [(0.3,), (-2.5,), (0.99,), (1e-5,)], {}),
    "ellipkm1": (lambda p: mp.ellipk(1 - p), [(0.3,), (1e-6,), (0.75,), (2.5,)], {}),
    "ellipe": (mp.ellipe, [(0.3,), (-2.5,), (0.99,), (1e-5,)], {}),
    "ellipkinc": (_ellipf, [(0.7, 0.3), (1.2, -1.5), (0.3, 1e-7), (2.5, 0.6), (-4.0, 0.4)], {}),
    "ellipeinc": (mp.ellipe, [(0.7, 0.3), (1.2, -1.5), (0.3, 1e-7), (2.5, 0.6), (-4.0, 0.4)], {}),
    "elliprf": (mp.elliprf, [(0.3, 0.9, 1.7), (2.0, 0.5, 1.1), (0.1, 1.0, 3.0)], {}),
    # The x and y partials of R_D are difference quotients (R_D(x,y,z) - R_D(y,z,x)) /
    # (2 (z - x)); the points keep z away from x and y, so the loss is a few digits at most.
    "elliprd": (mp.elliprd, [(0.3, 0.9, 1.7), (2.0, 0.5, 1.1), (0.1, 1.0, 3.0)], {}),
    "elliprc": (mp.elliprc, [(0.3, 0.9), (2.0, 0.5), (1.0, 1.0)], {}),
    "elliprg": (mp.elliprg, [(0.3, 0.9, 1.7), (2.0, 0.5, 1.1), (0.4, 1.0, 3.0)], {}),
    # Lambert W and Wright
    "lambertw": (mp.lambertw, [(0.7,), (3.2,), (-0.3,), (25.0,)], {}),
    "wrightomega": (lambda z: mp.lambertw(mp.exp(z)), [(0.7,), (-3.2,), (12.0,)], {}),
    "wright_bessel": (_wright, [(0.5, 1.2, 0.7), (2.0, 0.3, 3.2), (1.0, 1.0, 1.5)], {}),
    "log_wright_bessel": (
        lambda a, b, x: mp.log(_wright(a, b, x)),
        [(0.5, 1.2, 0.7), (2.0, 0.3, 3.2), (1.0, 1.0, 1.5)],
        {},
    ),
    # error function relatives
    "erfi": (mp.erfi, [(0.7,), (-1.9,), (3.5,)], {}),
    "erfcinv": (lambda y: mp.erfinv(1 - y), [(0.3,), (1.6,), (1e-5,)], {}),
    "ndtri_exp": (
        lambda y: mp.sqrt(2) * mp.erfinv(2 * mp.exp(y) - 1),
        [(-0.3,), (-20.0,), (-1e-3,)],
        {},
    ),
    "log_expit": (lambda x: -mp.log(1 + mp.exp(-x)), [(0.7,), (-30.0,), (30.0,)], {}),
    # gamma and beta
    "rgamma": (mp.rgamma, [(0.7,), (-2.3,), (4.5,), (-0.5,)], {}),
    "psi": (mp.digamma, [(0.7,), (-2.3,), (4.5,)], {}),
    "gammaincinv": (
        {
            "a": lambda a, y: _implicit(
                lambda a_, t: _reg_gamma(a_, 0, t),
                [a],
                0,
                _root(lambda t: _reg_gamma(a, 0, t), y, sc.gammaincinv(float(a), float(y))),
            ),
            "y": lambda a, y: _inverse_derivative(
                lambda t: _reg_gamma(a, 0, t),
                _root(lambda t: _reg_gamma(a, 0, t), y, sc.gammaincinv(float(a), float(y))),
            ),
        },
        [(0.5, 0.3), (4.0, 0.8), (30.0, 0.5)],
        {},
    ),
    "gammainccinv": (
        {
            "a": lambda a, y: _implicit(
                lambda a_, t: _reg_gamma(a_, t, mp.inf),
                [a],
                0,
                _root(lambda t: _reg_gamma(a, t, mp.inf), y, sc.gammainccinv(float(a), float(y))),
            ),
            "y": lambda a, y: _inverse_derivative(
                lambda t: _reg_gamma(a, t, mp.inf),
                _root(lambda t: _reg_gamma(a, t, mp.inf), y, sc.gammainccinv(float(a), float(y))),
            ),
        },
        [(0.5, 0.3), (4.0, 0.8), (30.0, 0.5)],
        {},
    ),
    "betaincinv": (
        {
            **{
                p: (
                    lambda a, b, y, i=i: _implicit(
                        lambda a_, b_, t: _reg_beta(a_, b_, 0, t),
                        [a, b],
                        i,
                        _root(
                            lambda t: _reg_beta(a, b, 0, t),
                            y,
                            sc.betaincinv(float(a), float(b), float(y)),
                        ),
                    )
                )
                for i, p in enumerate("ab")
            },
            "y": lambda a, b, y: _inverse_derivative(
                lambda t: _reg_beta(a, b, 0, t),
                _root(
                    lambda t: _reg_beta(a, b, 0, t), y, sc.betaincinv(float(a), float(b), float(y))
                ),
            ),
        },
        [(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
        {},
    ),
    "betainccinv": (
        {
            **{
                p: (
                    lambda a, b, y, i=i: _implicit(
                        lambda a_, b_, t: _reg_beta(a_, b_, t, 1),
                        [a, b],
                        i,
                        _root(
                            lambda t: _reg_beta(a, b, t, 1),
                            y,
                            sc.betainccinv(float(a), float(b), float(y)),
                        ),
                    )
                )
                for i, p in enumerate("ab")
            },
            "y": lambda a, b, y: _inverse_derivative(
                lambda t: _reg_beta(a, b, t, 1),
                _root(
                    lambda t: _reg_beta(a, b, t, 1), y, sc.betainccinv(float(a), float(b), float(y))
                ),
            ),
        },
        [(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)],
        {},
    ),
    # hypergeometric
    "hyp0f1": (mp.hyp0f1, [(1.5, 0.7), (2.5, -3.2), (0.5, 6.0)], {}),
    "hyperu": (mp.hyperu, [(0.5, 1.5, 0.7), (2.0, 0.3, 3.2), (1.0, 2.5, 10.0)], {}),
    # distributions
    "stdtr": (_t_cdf, [(3.0, 0.7), (12.5, -2.1), (1.0, 5.0)], {}),
    "stdtrit": (
        {
            "df": lambda df, p: _implicit(
                _t_cdf, [df], 0, _root(lambda t: _t_cdf(df, t), p, sc.stdtrit(float(df), float(p)))
            ),
            "p": lambda df, p: _inverse_derivative(
                lambda t: _t_cdf(df, t),
                _root(lambda t: _t_cdf(df, t), p, sc.stdtrit(float(df), float(p))),
            ),
        },
        [(3.0, 0.7), (12.5, 0.1)],
        {},
    ),
    "chdtr": (
        lambda v, x: _reg_gamma(v / 2, 0, x / 2),
        [(3.0, 0.7), (12.5, 9.1), (400.0, 390.0)],
        {},
    ),
    "chdtrc": (
        lambda v, x: _reg_gamma(v / 2, x / 2, mp.inf),
        [(3.0, 0.7), (12.5, 9.1), (400.0, 390.0)],
        {},
    ),
    "chdtri": (
        {
            "v": lambda v, p: _implicit(
                lambda v_, t: _reg_gamma(v_ / 2, t / 2, mp.inf),
                [v],
                0,
                _root(lambda t: _reg_gamma(v / 2, t / 2, mp.inf), p, sc.chdtri(float(v), float(p))),
            ),
            "p": lambda v, p: _inverse_derivative(
                lambda t: _reg_gamma(v / 2, t / 2, mp.inf),
                _root(lambda t: _reg_gamma(v / 2, t / 2, mp.inf), p, sc.chdtri(float(v), float(p))),
            ),
        },
        [(3.0, 0.7), (12.5, 0.1)],
        {},
    ),
    "fdtr": (
        lambda dfn, dfd, x: _reg_beta(dfn / 2, dfd / 2, 0, dfn * x / (dfn * x + dfd)),
        [(3.0, 5.0, 0.7), (12.5, 2.0, 2.1)],
        {},
    ),
    "fdtrc": (
        lambda dfn, dfd, x: _reg_beta(dfn / 2, dfd / 2, dfn * x / (dfn * x + dfd), 1),
        [(3.0, 5.0, 0.7), (12.5, 2.0, 2.1)],
        {},
    ),
    "gdtr": (lambda a, b, x: _reg_gamma(b, 0, a * x), [(1.5, 3.0, 0.7), (0.5, 12.5, 20.1)], {}),
    "gdtrc": (
        lambda a, b, x: _reg_gamma(b, a * x, mp.inf),
        [(1.5, 3.0, 0.7), (0.5, 12.5, 20.1)],
        {},
    ),
    "pdtr": (lambda k, m: _reg_gamma(k + 1, m, mp.inf), [(3, 0.7), (12, 9.1), (150, 130.0)], {}),
    "pdtrc": (lambda k, m: _reg_gamma(k + 1, 0, m), [(3, 0.7), (12, 9.1), (150, 130.0)], {}),
    "bdtr": (lambda k, n, p: _reg_beta(n - k, k + 1, 0, 1 - p), [(3, 10, 0.3), (12, 20, 0.7)], {}),
    "bdtrc": (lambda k, n, p: _reg_beta(k + 1, n - k, 0, p), [(3, 10, 0.3), (12, 20, 0.7)], {}),
    "nbdtr": (lambda k, n, p: _reg_beta(n, k + 1, 0, p), [(3, 10, 0.3), (12, 20, 0.7)], {}),
    "nbdtrc": (lambda k, n, p: _reg_beta(k + 1, n, 0, 1 - p), [(3, 10, 0.3), (12, 20, 0.7)], {}),
    # orthogonal polynomials
    "eval_jacobi": (mp.jacobi, [(3, 0.5, 1.5, 0.3), (5, -0.5, 2.0, -0.8), (0, 1.0, 1.0, 0.5)], {}),
    "eval_gegenbauer": (mp.gegenbauer, [(3, 0.5, 0.3), (5, 2.5, -0.8), (2.5, 1.5, 0.4)], {}),
    "eval_chebyt": (mp.chebyt, [(3, 0.3), (5, -0.8), (2.5, 0.4)], {}),
    "eval_chebyu": (mp.chebyu, [(3, 0.3), (5, -0.8), (2.5, 0.4)], {}),
    "eval_legendre": (mp.legendre, [(3, 0.3), (5, -0.8), (2.5, 0.4)], {}),
    "eval_hermite": (mp.hermite, [(3, 0.3), (5, -1.8), (1, 0.4)], {}),
    "eval_hermitenorm": (
        lambda n, x: 2 ** (-mp.mpf(n) / 2) * mp.hermite(n, x / mp.sqrt(2)),
        [(3, 0.3), (5, -1.8), (1, 0.4)],
        {},
    ),
    "eval_genlaguerre": (mp.laguerre, [(3, 0.5, 0.3), (5, 2.5, 4.8), (0, 1.0, 0.5)], {}),
    "eval_laguerre": (lambda n, x: mp.laguerre(n, 0, x), [(3, 0.3), (5, 4.8), (1, 0.5)], {}),
    "binom": (mp.binomial, [(5.5, 2.0), (10.0, 3.7), (-2.5, 1.25), (0.5, -0.75)], {}),
    # elliptic relatives
    "agm": (mp.agm, [(1.0, 2.5), (24.0, 6.0), (0.3, 0.3), (1e-3, 5.0), (5.0, 1e-3)], {}),
    # convenience functions
    "cosdg": (lambda x: mp.cos(x * pi / 180), [(30.0,), (-117.5,), (90.0,)], {}),
    "sindg": (lambda x: mp.sin(x * pi / 180), [(30.0,), (-117.5,), (180.0,)], {}),
    "tandg": (lambda x: mp.tan(x * pi / 180), [(30.0,), (-117.5,), (45.0,)], {}),
    "cotdg": (lambda x: mp.cot(x * pi / 180), [(30.0,), (-117.5,), (45.0,)], {}),
    "radian": (
        lambda d, m, s: (d + m / 60 + s / 3600) * pi / 180,
        [(30.0, 15.0, 7.5), (-117.0, 0.5, 59.0)],
        {},
    ),
    "cosm1": (lambda x: mp.cos(x) - 1, [(0.7,), (1e-5,), (-3.0,)], {}),
    "exp10": (lambda x: mp.power(10, x), [(0.7,), (-2.3,), (12.5,)], {}),
    "exprel": (
        lambda x: mp.expm1(x) / x if x else mp.mpf(1),
        [(0.7,), (-2.3,), (1e-6,), (-30.0,), (25.0,)],
        {},
    ),
    "powm1": (lambda x, y: mp.power(x, y) - 1, [(1.7, 0.3), (0.4, -2.5), (1.0 + 1e-6, 3.0)], {}),
    # Huber losses and Box-Cox
    "huber": (
        lambda d, r: r**2 / 2 if abs(r) <= d else d * (abs(r) - d / 2),
        [(1.5, 0.7), (0.5, -2.3), (2.0, 3.5)],
        {},
    ),
    "pseudo_huber": (
        lambda d, r: d**2 * (mp.sqrt(1 + (r / d) ** 2) - 1),
        [(1.5, 0.7), (0.5, -2.3), (2.0, 1e-4)],
        {},
    ),
    "inv_boxcox": (
        lambda y, lm: mp.exp(mp.log1p(lm * y) / lm) if lm else mp.exp(y),
        [(0.7, 0.3), (2.0, -0.25), (1.5, 1e-3), (0.5, 0.08), (3.0, 0.05)],
        {},
    ),
    "inv_boxcox1p": (
        lambda y, lm: mp.expm1(mp.log1p(lm * y) / lm) if lm else mp.expm1(y),
        [(0.7, 0.3), (2.0, -0.25), (1.5, 1e-3), (0.5, 0.08), (3.0, 0.05)],
        {},
    ),
    # inverses of distribution functions (implicit references at mpmath's roots)
    "betaincc": (lambda a, b, x: _BETA(a, b, x, 1), [(0.5, 2.5, 0.3), (4.0, 1.5, 0.8)], {}),
    "bdtri": (
        _inverse(lambda k, n, y, t: _BETA(n - k, k + 1, 0, 1 - t) - y, sc.bdtri, "k n y"),
        [(3, 10, 0.3), (12, 20, 0.7)],
        {},
    ),
    "bdtrik": (
        _inverse(lambda y, n, p, t: _BETA(n - t, t + 1, 0, 1 - p) - y, sc.bdtrik, "y n p"),
        [(0.3, 10.0, 0.4), (0.8, 25.0, 0.7)],
        {},
    ),
    "bdtrin": (
        _inverse(lambda k, y, p, t: _BETA(t - k, k + 1, 0, 1 - p) - y, sc.bdtrin, "k y p"),
        [(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
        {},
    ),
    "nbdtri": (
        _inverse(lambda k, n, y, t: _BETA(n, k + 1, 0, t) - y, sc.nbdtri, "k n y"),
        [(3, 10, 0.3), (12, 20, 0.7)],
        {},
    ),
    # SciPy's nbdtrik root is accurate to about 1e-11 in y: the reference is at mpmath's.
    "nbdtrik": (
        _inverse(lambda y, n, p, t: _BETA(n, t + 1, 0, p) - y, sc.nbdtrik, "y n p"),
        [(0.3, 10.0, 0.4), (0.8, 4.5, 0.7)],
        {"y": 1e-7, "n": 1e-7, "p": 1e-7},
    ),
    "nbdtrin": (
        _inverse(lambda k, y, p, t: _BETA(t, k + 1, 0, p) - y, sc.nbdtrin, "k y p"),
        [(3.0, 0.3, 0.4), (12.5, 0.8, 0.7)],
        {},
    ),
    "pdtri": (
        _inverse(lambda k, y, t: _reg_gamma(k + 1, t, mp.inf) - y, sc.pdtri, "k y"),
        [(3, 0.3), (12, 0.7)],
        {},
    ),
    "pdtrik": (
        _inverse(lambda p, m, t: _reg_gamma(t + 1, m, mp.inf) - p, sc.pdtrik, "p m"),
        [(0.3, 2.0), (0.8, 12.5)],
        {},
    ),
    "gdtria": (
        _inverse(lambda p, b, x, t: _reg_gamma(b, 0, t * x) - p, sc.gdtria, "p b x"),
        [(0.3, 2.5, 2.0), (0.8, 12.5, 7.5)],
        {},
    ),
    "gdtrib": (
        _inverse(lambda a, p, x, t: _reg_gamma(t, 0, a * x) - p, sc.gdtrib, "a p x"),
        [(1.5, 0.3, 2.0), (0.5, 0.8, 7.5)],
        {},
    ),
    "gdtrix": (
        _inverse(lambda a, b, p, t: _reg_gamma(b, 0, a * t) - p, sc.gdtrix, "a b p"),
        [(1.5, 2.5, 0.3), (0.5, 12.5, 0.8)],
        {},
    ),
    "btdtria": (
        _inverse(lambda p, b, x, t: _BETA(t, b, 0, x) - p, sc.btdtria, "p b x"),
        [(0.3, 2.5, 0.4), (0.8, 0.7, 0.6)],
        {},
    ),
    "btdtrib": (
        _inverse(lambda a, p, x, t: _BETA(a, t, 0, x) - p, sc.btdtrib, "x1 x2 x3"),
        [(1.5, 0.3, 0.4), (0.7, 0.8, 0.6)],
        {},
    ),
    "chdtriv": (
        _inverse(lambda p, x, t: _reg_gamma(t / 2, 0, x / 2) - p, sc.chdtriv, "p x"),
        [(0.3, 2.0), (0.8, 7.5)],
        {},
    ),
    "fdtri": (
        _inverse(
            lambda dfn, dfd, p, t: _BETA(dfn / 2, dfd / 2, 0, dfn * t / (dfn * t + dfd)) - p,
            sc.fdtri,
            "dfn dfd p",
        ),
        [(3.0, 5.0, 0.3), (12.5, 2.0, 0.8)],
        {},
    ),
    "fdtridfd": (
        _inverse(
            lambda dfn, p, x, t: _BETA(dfn / 2, t / 2, 0, dfn * x / (dfn * x + t)) - p,
            sc.fdtridfd,
            "dfn p x",
        ),
        [(3.0, 0.3, 0.8), (12.5, 0.6, 1.1)],
        {},
    ),
    "stdtridf": (
        _inverse(lambda p, t, df: _t_cdf(df, t) - p, sc.stdtridf, "p t"),
        [(0.2, -1.5), (0.7, 1.5)],
        {},
    ),
    "nrdtrimn": (
        lambda p, std, x: x - std * mp.sqrt(2) * mp.erfinv(2 * p - 1),
        [(0.3, 2.0, 0.8), (0.9, 0.5, -1.5)],
        {},
    ),
    "nrdtrisd": (
        lambda mn, p, x: (x - mn) / (mp.sqrt(2) * mp.erfinv(2 * p - 1)),
        [(0.5, 0.3, 0.2), (-1.0, 0.9, 2.5)],
        {},
    ),
    # noncentral distributions (Poisson mixtures of central ones, 60 terms)
    "chndtr": (_ncx2_cdf, [(3.0, 2.5, 1.5), (12.5, 7.0, 4.5)], {}),
    "chndtrix": (
        _inverse(lambda p, df, nc, t: _ncx2_cdf(t, df, nc) - p, sc.chndtrix, "p df nc"),
        [(0.3, 2.5, 1.5)],
        {},
    ),
    "chndtridf": (
        _inverse(lambda x, p, nc, t: _ncx2_cdf(x, t, nc) - p, sc.chndtridf, "x p nc"),
        [(3.0, 0.3, 1.5)],
        {},
    ),
    "chndtrinc": (
        _inverse(lambda x, df, p, t: _ncx2_cdf(x, df, t) - p, sc.chndtrinc, "x df p"),
        [(3.0, 2.5, 0.3)],
        {},
    ),
    "ncfdtr": (_ncf_cdf, [(3.0, 5.0, 1.5, 0.8)], {}),
    "ncfdtri": (
        _inverse(
            lambda dfn, dfd, nc, p, t: _ncf_cdf(dfn, dfd, nc, t) - p, sc.ncfdtri, "dfn dfd nc p"
        ),
        [(3.0, 5.0, 1.5, 0.3)],
        {},
    ),
    "nctdtr": (_nct_cdf, [(3.0, 1.5, 0.8), (12.5, -0.5, 2.1)], {}),
    "nctdtrit": (
        _inverse(lambda df, nc, p, t: _nct_cdf(df, nc, t) - p, sc.nctdtrit, "df nc p"),
        [(3.0, 1.5, 0.3)],
        {},
    ),
    # SciPy's nctdtridf and nctdtrinc roots are accurate to 1e-11..1e-9 in p; where dF/ddf
    # is small that is 1e-7 in the root, and in the derivatives at it.
    "nctdtridf": (
        _inverse(lambda p, nc, t, df: _nct_cdf(df, nc, t) - p, sc.nctdtridf, "p nc t"),
        [(0.728, 1.0, 2.0)],
        {"p": 1e-6, "nc": 1e-6, "t": 1e-6},
    ),
    "nctdtrinc": (
        _inverse(lambda df, p, t, nc: _nct_cdf(df, nc, t) - p, sc.nctdtrinc, "df p t"),
        [(3.0, 0.3, 0.8)],
        {"df": 1e-6, "p": 1e-6, "t": 1e-6},
    ),
    # Kolmogorov-Smirnov and Tukey lambda
    "kolmogorov": (_kolmogorov, [(0.5,), (0.97,), (1.6,), (0.2,)], {}),
    "kolmogi": (
        _inverse(lambda p, t: _kolmogorov(t) - p, sc.kolmogi, "p"),
        [(0.3,), (0.95,), (0.05,)],
        {},
    ),
    "smirnov": (_smirnov, [(5, 0.3), (20, 0.125), (3, 0.6)], {}),
    "smirnovi": (
        _inverse(lambda n, p, t: _smirnov(n, t) - p, sc.smirnovi, "n p"),
        [(5, 0.3), (20, 0.8), (3, 0.15)],
        {},
    ),
    "tklmbda": (
        _inverse(lambda x, lam, t: _tukey_quantile(lam, t) - x, sc.tklmbda, "x lmbda"),
        [(0.8, 0.3), (-1.5, -0.5), (0.4, 1e-3), (1.2, 0.05)],
        {},
    ),
    # parabolic cylinder, Mathieu and spheroidal
    "pbdv": (_pair(mp.pcfd), [(0.7, 1.3), (1.5, 0.5), (-1.5, 2.5)], {}),
    "pbvv": (_pair(lambda v, x: mp.pcfv(-v - mp.mpf(1) / 2, x)), [(0.7, 1.3), (1.5, 0.5)], {}),
    "pbwa": (_pair(mp.pcfw), [(0.7, 1.3), (1.5, 0.5)], {}),
    # No mpmath reference: extrapolated central differences of SciPy itself (about 1e-9).
    "mathieu_a": (_scipy_fd("mathieu_a", "m q"), [(0, 1.5), (2, 0.7), (3, 5.0)], {"q": 1e-7}),
    "mathieu_b": (_scipy_fd("mathieu_b", "m q"), [(1, 1.5), (2, 0.7), (3, 5.0)], {"q": 1e-7}),
    "mathieu_cem": (
        _scipy_fd("mathieu_cem", "m q x"),
        [(0, 1.5, 30.0), (2, 0.7, -75.0)],
        {"q": 1e-6, "x": 1e-7},
    ),
    "mathieu_sem": (
        _scipy_fd("mathieu_sem", "m q x"),
        [(1, 1.5, 30.0), (2, 0.7, -75.0)],
        {"q": 1e-6, "x": 1e-7},
    ),
    "mathieu_modcem1": (
        _scipy_fd("mathieu_modcem1", "m q x"),
        [(0, 1.5, 0.7), (2, 0.7, 1.2)],
        {"q": 1e-6, "x": 1e-7},
    ),
    "mathieu_modcem2": (
        _scipy_fd("mathieu_modcem2", "m q x"),
        [(0, 1.5, 0.7), (2, 0.7, 1.2)],
        {"q": 1e-6, "x": 1e-7},
    ),
    "mathieu_modsem1": (
        _scipy_fd("mathieu_modsem1", "m q x"),
        [(1, 1.5, 0.7), (2, 0.7, 1.2)],
        {"q": 1e-6, "x": 1e-7},
    ),
    "mathieu_modsem2": (
        _scipy_fd("mathieu_modsem2", "m q x"),
        [(1, 1.5, 0.7), (2, 0.7, 1.2)],
        {"q": 1e-6, "x": 1e-7},
    ),
    "pro_cv": (_scipy_fd("pro_cv", "m n c"), [(1, 2, 1.5), (0, 3, 0.8)], {"c": 1e-7}),
    "obl_cv": (_scipy_fd("obl_cv", "m n c"), [(1, 2, 1.5), (0, 3, 0.8)], {"c": 1e-7}),
    "pro_ang1": (
        _scipy_fd("pro_ang1", "m n c x"),
        [(1, 2, 1.5, 0.3), (0, 3, 0.8, -0.6)],
        {"c": 1e-6, "x": 1e-7},
    ),
    "pro_ang1_cv": (
        _scipy_fd("pro_ang1_cv", "m n c cv x"),
        [(1, 2, 1.5, 6.944785, 0.3), (0, 3, 0.8, 12.328476, -0.6)],
        {"c": 1e-6, "cv": 1e-6, "x": 1e-6},
    ),
    "pro_rad1": (
        _scipy_fd("pro_rad1", "m n c x"),
        [(1, 2, 1.5, 1.5), (0, 3, 0.8, 2.5)],
        {"c": 1e-6, "x": 1e-7},
    ),
    "pro_rad1_cv": (
        _scipy_fd("pro_rad1_cv", "m n c cv x"),
        [(1, 2, 1.5, 6.944785, 1.5), (0, 3, 0.8, 12.328476, 2.5)],
        {"c": 1e-6, "cv": 1e-6, "x": 1e-6},
    ),
    "pro_rad2": (
        _scipy_fd("pro_rad2", "m n c x"),
        [(1, 2, 1.5, 2.5), (0, 3, 0.8, 2.5)],
        {"c": 1e-6, "x": 1e-7},
    ),
    "pro_rad2_cv": (
        _scipy_fd("pro_rad2_cv", "m n c cv x"),
        [(1, 2, 1.5, 6.944785, 2.5), (0, 3, 0.8, 12.328476, 2.5)],
        {"c": 1e-6, "cv": 1e-6, "x": 1e-6},
    ),
    "obl_ang1": (
        _scipy_fd("obl_ang1", "m n c x"),
        [(1, 2, 1.5, 0.3), (0, 3, 0.8, -0.6)],
        {"c": 1e-6, "x": 1e-7},
    ),
    "obl_ang1_cv": (
        _scipy_fd("obl_ang1_cv", "m n c cv x"),
        [(1, 2, 1.5, 5.015886, 0.3), (0, 3, 0.8, 11.674222, -0.6)],
        {"c": 1e-6, "cv": 1e-6, "x": 1e-6},
    ),
    "obl_rad1": (
        _scipy_fd("obl_rad1", "m n c x"),
        [(1, 2, 1.5, 1.5), (0, 3, 0.8, 2.5)],
        {"c": 1e-6, "x": 1e-7},
    ),
    "obl_rad1_cv": (
        _scipy_fd("obl_rad1_cv", "m n c cv x"),
        [(1, 2, 1.5, 5.015886, 1.5), (0, 3, 0.8, 11.674222, 2.5)],
        {"c": 1e-6, "cv": 1e-6, "x": 1e-6},
    ),
    "obl_rad2": (
        _scipy_fd("obl_rad2", "m n c x"),
        [(1, 2, 1.5, 2.5), (0, 3, 0.8, 2.5)],
        {"c": 1e-6, "x": 1e-7},
    ),
    "obl_rad2_cv": (
        _scipy_fd("obl_rad2_cv", "m n c cv x"),
        [(1, 2, 1.5, 5.015886, 2.5), (0, 3, 0.8, 11.674222, 2.5)],
        {"c": 1e-6, "cv": 1e-6, "x": 1e-6},
    ),
    # Bessel and Airy relatives, Kelvin, elliptic, integrals
    "jn": (mp.besselj, [(0.5, 1.3), (2, 0.7), (-1.5, 5.5)], {}),
    "it2i0k0": (
        {"x": lambda x: ((mp.besseli(0, x) - 1) / x, -mp.besselk(0, x) / x)},
        [(0.7,), (3.2,), (0.05,)],
        {},
    ),
    "it2j0y0": (
        {"x": lambda x: ((1 - mp.besselj(0, x)) / x, -mp.bessely(0, x) / x)},
        [(0.7,), (3.2,), (0.05,)],
        {},
    ),
    "itairy": (
        {"x": lambda x: (mp.airyai(x), mp.airybi(x), mp.airyai(-x), mp.airybi(-x))},
        [(0.7,), (-2.3,), (3.9,)],
        {},
    ),
    "kelvin": (
        lambda x: (
            mp.ber(0, x) + 1j * mp.bei(0, x),
            mp.ker(0, x) + 1j * mp.kei(0, x),
            mp.diff(lambda t: mp.ber(0, t) + 1j * mp.bei(0, t), x),
            mp.diff(lambda t: mp.ker(0, t) + 1j * mp.kei(0, t), x),
        ),
        [(0.7,), (3.2,)],
        {},
    ),
    "elliprj": (mp.elliprj, [(0.3, 0.9, 1.7, 2.5), (2.0, 0.5, 1.1, 0.3)], {}),
    "ellipj": (_ellipj, [(0.7, 0.3), (2.5, 0.8), (-4.0, 0.5)], {}),
    "shichi": (lambda x: (mp.shi(x), mp.chi(x)), [(0.7,), (3.2,), (0.1,)], {}),
    "modfresnelp": (lambda x: _modfresnel(x, 1), [(0.7,), (3.2,), (0.1,)], {}),
    "modfresnelm": (lambda x: _modfresnel(x, -1), [(0.7,), (3.2,), (0.1,)], {}),
    "zetac": (lambda x: mp.zeta(x) - 1, [(2.5,), (0.3,), (-3.5,), (12.0,)], {}),
    "voigt_profile": (_voigt, [(0.7, 1.3, 0.5), (-2.5, 0.8, 1.5), (0.3, 1.0, 0.0)], {}),
    # polynomials and Legendre functions
    "eval_chebyc": (lambda n, x: 2 * mp.chebyt(n, x / 2), [(3, 0.3), (5, -1.6), (2.5, 0.4)], {}),
    "eval_chebys": (lambda n, x: mp.chebyu(n, x / 2), [(3, 0.3), (5, -1.6), (2.5, 0.4)], {}),
    "eval_sh_chebyt": (lambda n, x: mp.chebyt(n, 2 * x - 1), [(3, 0.3), (5, 0.8), (2.5, 0.6)], {}),
    "eval_sh_chebyu": (lambda n, x: mp.chebyu(n, 2 * x - 1), [(3, 0.3), (5, 0.8), (2.5, 0.6)], {}),
    "eval_sh_legendre": (
        lambda n, x: mp.legendre(n, 2 * x - 1),
        [(3, 0.3), (5, 0.8), (2.5, 0.6)],
        {},
    ),
    "eval_sh_jacobi": (
        lambda n, p, q, x: mp.jacobi(n, p - q, q - 1, 2 * x - 1) / mp.binomial(2 * n + p - 1, n),
        [(3, 2.5, 1.5, 0.3), (5, 4.0, 2.0, 0.8), (2.5, 3.0, 1.5, 0.4)],
        {},
    ),
    "lpmv": (
        lambda m, v, x: mp.legenp(v, m, x, type=2),
        [(0, 2.5, 0.3), (1, 3.0, -0.6), (2, 4.5, 0.8)],
        {},
    ),
    "besselpoly": (
        lambda a, lmb, nu: mp.quad(lambda t: t**lmb * mp.besselj(nu, 2 * a * t), [0, 1]),
        [(1.3, 0.5, 1.0), (0.4, 2.0, 0.5)],
        {},
    ),
}

# Arguments that are integers in SciPy's signatures: passed as integer arrays.
INTEGER_ARGS = {
    "bdtri": {"n"},
    "nbdtri": {"k", "n"},
    "pdtri": {"k"},
    "smirnov": {"n"},
    "smirnovi": {"n"},
    "yn": {"n"},
    "kn": {"n"},
    "spherical_jn": {"n"},
    "spherical_yn": {"n"},
    "spherical_in": {"n"},
    "spherical_kn": {"n"},
    "eval_hermite": {"n"},
    "eval_hermitenorm": {"n"},
    "bdtr": {"n"},
    "bdtrc": {"n"},
    "nbdtr": {"k", "n"},
    "nbdtrc": {"k", "n"},
}

NAMES = sorted(special.__all__)


def _scipy(name: str) -> Callable[..., Any]:
    return getattr(sc, name)


def _arrays(name: str, points: list[tuple[Any, ...]], dtype: Any) -> list[np.ndarray]:
    fn = getattr(special, name)
    cols = list(zip(*points, strict=True))
    out = []
    for p, col in zip(fn.parameters, cols, strict=False):
        if p in INTEGER_ARGS.get(name, ()):
            out.append(np.asarray(col, dtype=np.int64 if dtype == np.float64 else np.int32))
        else:
            out.append(np.asarray(col, dtype=dtype))
    return out


def _as_list(r: Any) -> list[np.ndarray]:
    return [np.asarray(x) for x in r] if isinstance(r, (tuple, list)) else [np.asarray(r)]


def _close(got: Any, want: Any, rtol: float, what: str) -> None:
    got, want = np.asarray(got), np.asarray(want)
    # In float64 whatever the dtype (so that exact zeros compare as equal).
    err = np.abs(got.astype(complex) - want) / np.maximum(np.abs(want).astype(float), 1e-300)
    assert np.all(err <= rtol), (
        f"{what}: relative error {np.max(err):.3g} > {rtol:g}\n got {got}\nwant {want}"
    )


# --------------------------------------------------------------------------------------
# The catalogue itself


def test_catalogue_is_complete_and_new():
    assert len(NAMES) >= 40
    assert set(CASES) == set(NAMES), "every catalogue function has a test case"
    for name in NAMES:
        fn = getattr(special, name)
        assert isinstance(fn, autocallback.HostFunction), name
        assert fn.name == name
        assert hasattr(sc, name), name
        doc = inspect.getdoc(fn) or ""
        assert doc.startswith(f"autocallback wrapper of `scipy.special.{name}`."), name
        assert fn.examples, f"{name} has no examples"
        # Every argument has a derivative or is declared non-differentiable.
        assert set(fn.derivatives) == set(fn.parameters), (name, fn.derivatives, fn.parameters)


OLDEST_JAX = (0, 10, 2)


def _jax_version() -> tuple[int, ...]:
    return tuple(int(p) for p in jax.__version__.split(".")[:3] if p.isdigit())


def test_catalogue_covers_what_the_oldest_jax_lacks():
    """The policy of the catalogue page: entries cover what the oldest supported JAX lacks;
    an entry that the installed (newer) JAX also has stays, and the page compares the two."""
    in_jax = [n for n in NAMES if hasattr(jsp, n)]
    if _jax_version() <= OLDEST_JAX:
        assert not in_jax, f"already in the oldest supported JAX: {in_jax}"
    page = (ROOT / "docs" / "catalogue.md").read_text()
    heading = "## Entries that newer JAX releases also provide"
    assert heading in page
    section = page.split(heading, 1)[1].split("\n## ", 1)[0]
    missing = [n for n in in_jax if f"| `{n}` |" not in section]
    assert not missing, (
        f"JAX {jax.__version__} has {missing} too: run `python tools/compare_newer_jax.py` "
        "with this JAX, then `python tools/gen_catalogue.py --no-count` (docs/contributing.md)"
    )


def test_entries_name_the_jax_function_where_it_is_better():
    data = json.loads((ROOT / "docs" / "newer_jax.json").read_text())
    assert data["functions"], "the comparison covers the functions newer JAX releases added"
    for name, row in data["functions"].items():
        doc = inspect.getdoc(getattr(special, name)) or ""
        if row["verdict"].startswith("JAX's"):
            assert f"`jax.scipy.special.{name}`" in doc, name
        else:
            assert "newer jax" in doc.lower(), name


def test_every_scipy_ufunc_jax_lacks_is_here_or_left_out_with_a_reason():
    lacking = {
        n
        for n in dir(sc)
        if not n.startswith("_") and isinstance(getattr(sc, n), np.ufunc) and not hasattr(jsp, n)
    }
    here = set(NAMES)
    left_out = set(special.LEFT_OUT)
    assert not here & left_out
    assert lacking - here <= left_out, sorted(lacking - here - left_out)
    if _jax_version() <= OLDEST_JAX:
        # Newer JAX releases may add left-out functions; the oldest lacks every one.
        assert lacking - here == left_out, sorted(left_out - lacking)
    assert all(special.LEFT_OUT[n].strip() for n in left_out)
    assert len(NAMES) >= 170


@pytest.mark.parametrize("name", NAMES)
def test_signature_follows_scipy(name: str):
    fn = getattr(special, name)
    host = _scipy(name)
    if isinstance(host, np.ufunc):
        assert len(fn.parameters) == host.nin
    else:
        assert list(inspect.signature(fn).parameters) == list(inspect.signature(host).parameters)


# --------------------------------------------------------------------------------------
# Values


@pytest.mark.parametrize("name", NAMES)
def test_values_match_scipy(name: str, x64: bool):
    precision = "x64" if x64 else "x32"
    dtype = np.float64 if x64 else np.float32
    fn = getattr(special, name)
    args = _arrays(name, CASES[name][1], dtype)
    # The Mathieu, spheroidal and parabolic cylinder functions compute in float64 on the
    # host whatever the precision (SciPy's float32 loops return NaN): compare with that.
    in_float64 = "_in_float64" in getattr(fn.__wrapped__, "__qualname__", "")
    ref_args = _arrays(name, CASES[name][1], np.float64) if in_float64 else args
    with np.errstate(all="ignore"):
        want = _as_list(_scipy(name)(*ref_args))
        if in_float64:
            want = [
                w.astype(np.result_type(dtype, np.complex64) if w.dtype.kind == "c" else dtype)
                for w in want
            ]
    eager = _as_list(fn(*args))
    jitted = _as_list(jax.jit(lambda *a: fn(*a))(*args))
    rtol = 1e-12 if precision == "x64" else 1e-5
    for got_e, got_j, w in zip(eager, jitted, want, strict=True):
        kind = "c" if w.dtype.kind == "c" else "f"
        expected_dtype = {
            ("c", "x64"): jnp.complex128,
            ("c", "x32"): jnp.complex64,
            ("f", "x64"): jnp.float64,
            ("f", "x32"): jnp.float32,
        }[(kind, precision)]
        assert got_e.dtype == expected_dtype, (name, got_e.dtype)
        assert got_j.dtype == expected_dtype
        _close(got_e, w, rtol, f"{name} eager")
        _close(got_j, w, rtol, f"{name} jit")


# --------------------------------------------------------------------------------------
# First derivatives against mpmath


def _reference(name: str, point: tuple[Any, ...], index: int, order: int = 1) -> list[Any]:
    fn = getattr(special, name)
    ref, _, _ = CASES[name]
    args = [mp.mpf(a) if not isinstance(a, int) else a for a in point]
    if isinstance(ref, dict):
        assert order == 1
        value = ref[fn.parameters[index]](*args)
    else:
        value = mp.diff(ref, args, tuple(order if j == index else 0 for j in range(len(args))))
    if isinstance(value, (tuple, list)):
        return [complex(v) if isinstance(v, mp.mpc) else float(v) for v in value]
    return [complex(value) if isinstance(value, mp.mpc) else float(value)]


def _reference_multi(name: str, point: tuple[Any, ...], index: int, order: int = 1) -> list[Any]:
    """Reference partials of a function with several outputs, output by output."""
    ref, _, _ = CASES[name]
    if isinstance(ref, dict):
        return _reference(name, point, index, order)
    args = [mp.mpf(a) for a in point]
    nout = len(ref(*args))
    out = []
    for k in range(nout):
        value = mp.diff(
            lambda *a, k=k: ref(*a)[k],
            args,
            tuple(order if j == index else 0 for j in range(len(args))),
        )
        out.append(complex(value) if isinstance(value, mp.mpc) else float(value))
    return out


def _numerical(name: str, param: str) -> bool:
    """Whether the partial of `name` in `param` is computed numerically (in part)."""
    d = getattr(special, name).derivatives.get(param)
    if isinstance(d, autocallback.numerical):
        return True
    return isinstance(d, str) and any(h in d for h in ("_da(", "_db(", "_ddf("))


def _differentiable(name: str) -> list[tuple[int, str]]:
    fn = getattr(special, name)
    return [(i, p) for i, p in enumerate(fn.parameters) if fn.derivatives.get(p) is not None]


def _partial(fn: Any, args: list[Any], index: int, order: int) -> list[np.ndarray]:
    """`order`-th partial derivative in argument `index`, by nested forward mode."""

    def g(x: Any) -> Any:
        return fn(*args[:index], x, *args[index + 1 :])

    f = g
    for _ in range(order):
        f = (lambda h: lambda x: jax.jvp(h, (x,), (jnp.ones_like(x),))[1])(f)
    return _as_list(jax.jit(f)(args[index]))


@pytest.mark.parametrize("name", NAMES)
def test_first_derivatives_match_mpmath(name: str, enable_x64: None):
    fn = getattr(special, name)
    _, points, rtols = CASES[name]
    args = _arrays(name, points, np.float64)
    multi = (
        fn.signature is not None
        and fn.signature.count(",") > 0
        and "->" in fn.signature
        and fn.signature.split("->")[1].count("(") > 1
    )
    for index, param in _differentiable(name):
        skip = NO_REAL_PARTIAL.get((name, param), set())
        keep = [i for i, pt in enumerate(points) if pt not in skip]
        got = [g[keep] for g in _partial(fn, args, index, 1)]
        refs = [(_reference_multi if multi else _reference)(name, points[i], index) for i in keep]
        want = [np.array([r[k] for r in refs]) for k in range(len(got))]
        default = NUMERICAL_RTOL if _numerical(name, param) else RTOL
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(g, w, rtols.get(param, default), f"d{name}/d{param} (output {k})")


# --------------------------------------------------------------------------------------
# Second derivatives for a representative subset

# name -> (points, reference second derivative per point, or None for mp.diff(n=2) of the
# mpmath function in CASES)
SECOND: dict[str, tuple[list[tuple[Any, ...]], Any]] = {
    "jv": ([(0.5, 1.3), (2, 0.7), (0, 3.2)], None),
    "kv": ([(0.5, 1.3), (2, 0.7), (0, 3.2)], None),
    "airy": (
        [(0.7,), (-2.3,)],
        lambda z: (mp.airyai(z, 2), mp.airyai(z, 3), mp.airybi(z, 2), mp.airybi(z, 3)),
    ),
    "ellipk": ([(0.3,), (-2.5,), (0.9,)], None),
    "ellipe": ([(0.3,), (-2.5,), (0.9,)], None),
    "lambertw": ([(0.7,), (3.2,)], None),
    "struve": ([(0, 0.7), (1.5, 3.2)], None),
    "spherical_jn": ([(0, 0.7), (2, 3.2)], None),
    "rgamma": ([(0.7,), (-2.3,)], None),
    "elliprf": ([(0.3, 0.9, 1.7)], None),
    "ber": ([(0.7,), (3.2,)], None),
    "beip": ([(0.7,), (3.2,)], lambda x: mp.diff(lambda t: mp.bei(0, t), x, 3)),
    "eval_legendre": ([(3, 0.3), (5, -0.8)], None),
    # R_C near and at x = y, where its partials switch to the 2F1 form.
    "elliprc": ([(0.3, 0.9), (2.0, 0.5), (1.0, 1.0), (0.95, 1.0)], None),
    "ellipkinc": ([(0.7, 0.3), (2.5, 0.6)], None),
    "hankel1": ([(0.5, 1.3), (2, 0.7)], None),
    "airye": (
        [(0.7,), (4.5,)],
        lambda z: tuple(mp.diff(lambda t, k=k: _airye(t)[k], z, 2) for k in range(4)),
    ),
    # New families: closed forms with removable singularities and branches.
    "agm": ([(1.0, 2.5), (5.0, 0.5)], None),
    "binom": ([(5.5, 2.0), (10.0, 3.7)], None),
    "exprel": ([(0.7,), (1e-6,), (-30.0,)], None),
    "inv_boxcox": ([(0.7, 0.3), (1.5, 1e-3), (0.5, 0.0)], None),
    "kolmogorov": ([(0.5,), (1.6,)], None),
    "voigt_profile": ([(0.7, 1.3, 0.5), (0.3, 1.0, 0.0)], None),
    "elliprj": ([(0.3, 0.9, 1.7, 2.5)], None),
    "chndtr": ([(3.0, 2.5, 1.5)], None),
}


@pytest.mark.parametrize("name", sorted(SECOND))
def test_second_derivatives_match_mpmath(name: str, enable_x64: None):
    fn = getattr(special, name)
    points, explicit = SECOND[name]
    args = _arrays(name, points, np.float64)
    for index, param in _differentiable(name):
        got = _partial(fn, args, index, 2)
        if explicit is not None:
            refs = []
            for pt in points:
                r = explicit(*[mp.mpf(a) for a in pt])
                refs.append([float(v) for v in r] if isinstance(r, tuple) else [float(r)])
        else:
            refs = [_reference(name, pt, index, 2) for pt in points]
        want = [np.array([r[k] for r in refs]) for k in range(len(got))]
        rtol = NUMERICAL_RTOL2 if _numerical(name, param) else RTOL
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(g, w, rtol, f"d2{name}/d{param}2 (output {k})")


def test_reverse_mode_second_order(enable_x64: None):
    """`jax.hessian` (reverse over forward) and grad of grad agree with forward mode."""
    z = jnp.array(1.3)
    want = float(mp.diff(lambda t: mp.besselj(1.5, t), 1.3, 2))
    assert abs(jax.hessian(lambda z: special.jv(1.5, z))(z) - want) <= 1e-10 * abs(want)
    want = float(mp.diff(mp.ellipk, 0.4, 2))
    got = jax.grad(jax.grad(special.ellipk))(0.4)
    assert abs(got - want) <= 1e-10 * abs(want)


# --------------------------------------------------------------------------------------
# Removable singularities and other edges the formulas guard


def _d(fn: Any, *args: Any, index: int = -1, order: int = 1) -> np.ndarray:
    args = [jnp.asarray(a) for a in args]
    index = index % len(args)
    return _partial(fn, args, index, order)


def test_derivatives_at_the_origin(enable_x64: None):
    z0 = jnp.zeros(3)
    n = jnp.array([0, 1, 2])
    # J_0'(0) = 0, J_1'(0) = 1/2, J_2'(0) = 0; J_0''(0) = -1/2.
    np.testing.assert_allclose(_d(special.jv, n.astype(float), z0)[0], [0, 0.5, 0], atol=1e-15)
    np.testing.assert_allclose(_d(special.jv, 0.0, 0.0, order=2)[0], -0.5, rtol=1e-14)
    np.testing.assert_allclose(_d(special.iv, n.astype(float), z0)[0], [0, 0.5, 0], atol=1e-15)
    # j_0'(0) = 0, j_1'(0) = 1/3; H_0'(0) = 2/pi, H_1'(0) = 0.
    np.testing.assert_allclose(_d(special.spherical_jn, n, z0)[0], [0, 1 / 3, 0], atol=1e-15)
    np.testing.assert_allclose(
        _d(special.struve, n.astype(float), z0)[0], [2 / np.pi, 0, 0], atol=1e-15
    )
    np.testing.assert_allclose(_d(special.it2struve0, 0.0)[0], -2 / np.pi, rtol=1e-15)
    # W'(0) = 1 (W / (z (1 + W)) would be 0/0 there).
    np.testing.assert_allclose(_d(special.lambertw, 0.0)[0], 1.0, rtol=1e-15)
    # ber'(0) = 0, bei''(0) = 1/2, ber''(0) = 0.
    np.testing.assert_allclose(_d(special.beip, 0.0)[0], 0.5, rtol=1e-15)
    np.testing.assert_allclose(_d(special.berp, 0.0)[0], 0.0, atol=1e-15)
    np.testing.assert_allclose(_d(special.bei, 0.0, order=2)[0], 0.5, rtol=1e-15)


def test_elliptic_derivatives_at_m_zero(enable_x64: None):
    np.testing.assert_allclose(_d(special.ellipk, 0.0)[0], np.pi / 8, rtol=1e-15)
    np.testing.assert_allclose(_d(special.ellipk, 0.0, order=2)[0], 9 * np.pi / 64, rtol=1e-15)
    np.testing.assert_allclose(_d(special.ellipe, 0.0)[0], -np.pi / 8, rtol=1e-15)
    np.testing.assert_allclose(_d(special.ellipe, 0.0, order=2)[0], -3 * np.pi / 64, rtol=1e-15)
    # dF/dm and dE/dm at m = 0 for |phi| <= pi/2: the Carlson forms have no 0/0.
    phi = 0.9
    want_f = float(mp.diff(lambda m: mp.ellipf(phi, m), 0))
    want_e = float(mp.diff(lambda m: mp.ellipe(phi, m), 0))
    np.testing.assert_allclose(_d(special.ellipkinc, phi, 0.0)[0], want_f, rtol=1e-13)
    np.testing.assert_allclose(_d(special.ellipeinc, phi, 0.0)[0], want_e, rtol=1e-13)
    # ellipkm1 near p = 1 (m = 0) and p = 0.
    np.testing.assert_allclose(_d(special.ellipkm1, 1.0)[0], -np.pi / 8, rtol=1e-15)


def test_rgamma_derivative_at_poles_of_gamma(enable_x64: None):
    # d/dz 1/Gamma(z) at z = -n is (-1)^n n!.
    z = jnp.array([0.0, -1.0, -2.0, -3.0])
    np.testing.assert_allclose(_d(special.rgamma, z)[0], [1, -1, 2, -6], rtol=1e-14)


def test_elliprg_derivative_at_zero_argument(enable_x64: None):
    want = sc.elliprf(0.0, 0.5, 2.0) / 4
    np.testing.assert_allclose(_d(special.elliprg, 0.0, 0.5, 2.0, index=0)[0], want, rtol=1e-14)


def test_spherical_derivative_flag(enable_x64: None):
    """derivative=True is static and gives j_n', whose derivative is j_n''."""
    n, z = jnp.array([0, 1, 3]), jnp.array([0.7, 3.2, 5.5])
    np.testing.assert_allclose(
        special.spherical_jn(n, z, derivative=True),
        sc.spherical_jn(np.asarray(n), np.asarray(z), derivative=True),
        rtol=1e-14,
    )
    got = _d(lambda n, z: special.spherical_jn(n, z, True), n, z)[0]
    want = [
        float(mp.diff(_sph(mp.besselj), (int(a), mp.mpf(float(b))), (0, 2)))
        for a, b in zip(n, z, strict=True)
    ]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_complex_outputs_and_holomorphic_grad(enable_x64: None):
    assert special.hankel1(0.5, 1.3).dtype == jnp.complex128
    assert special.lambertw(1.0).dtype == jnp.complex128
    # Complex argument, complex tangent.
    z = jnp.array(1.3 + 0.4j)
    got = jax.grad(lambda z: special.jv(1.5, z), holomorphic=True)(z)
    want = complex(mp.diff(lambda t: mp.besselj(1.5, t), mp.mpc(1.3, 0.4)))
    assert abs(got - want) <= 1e-10 * abs(want)


@pytest.mark.parametrize(
    "name", ["jv", "lambertw", "airy", "ellipkinc", "spherical_jn", "ber", "rgamma", "airye"]
)
def test_float32_derivatives(name: str):
    """With x64 off, derivatives come out in float32/complex64 and agree with float64."""
    previous = bool(jax.config.read("jax_enable_x64"))
    fn = getattr(special, name)
    points = CASES[name][1]
    try:
        results = {}
        for flag in (False, True):
            jax.config.update("jax_enable_x64", flag)
            dtype = np.float64 if flag else np.float32
            args = _arrays(name, points, dtype)
            results[flag] = [_partial(fn, args, i, 1) for i, _ in _differentiable(name)]
    finally:
        jax.config.update("jax_enable_x64", previous)
    for got32, got64 in zip(results[False], results[True], strict=True):
        for g32, g64 in zip(got32, got64, strict=True):
            assert g32.dtype in (np.float32, np.complex64), (name, g32.dtype)
            np.testing.assert_allclose(g32, g64, rtol=2e-4, err_msg=name)


def test_vmap_and_static_branch(enable_x64: None):
    z = jnp.linspace(0.5, 3.0, 5)
    k = jnp.array([0, -1])
    got = jax.vmap(lambda k: special.lambertw(-0.2, k))(k)
    np.testing.assert_allclose(got, sc.lambertw(-0.2, np.array([0, -1])), rtol=1e-14)
    got = jax.vmap(jax.grad(lambda z: special.kv(1.5, z)))(z)
    want = [float(mp.diff(lambda t: mp.besselk(1.5, t), float(a))) for a in z]
    np.testing.assert_allclose(got, want, rtol=1e-10)


# --------------------------------------------------------------------------------------
# The docs table is generated


def test_catalogue_docs_are_generated():
    spec = importlib.util.spec_from_file_location(
        "gen_catalogue", ROOT / "tools" / "gen_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "catalogue.md").read_text()
    assert committed == module.render(), (
        "docs/catalogue.md is out of date: run `python tools/gen_catalogue.py`"
    )
