"""Write tests/domain_references.json: mpmath references for the domain accuracy test.

Run `python tools/gen_domain_references.py [NAME ...]` (all functions by default; with
names, only those entries are recomputed and the rest of the file is kept). For every
catalogue function that mpmath can evaluate, 15 points are drawn across the ranges people
use (seeded, one generator per function): orders 0-20, arguments 0.05-30 log-uniform,
probabilities 0.01-0.99, degrees 0-15, shape parameters 0.3-30, adapted per family; the
distribution functions also get a few fixed points in their far tails (`TAILS`). At
each point the file holds mpmath's value, its first derivative in every continuous
argument and its second derivative in one argument (the one computed numerically where
there is one), all by `mpmath.diff` of an mpmath implementation at 30 digits (inverse
functions: mpmath's root, differentiated the same way). Nothing here calls autocallback:
the references are mpmath's alone (SciPy is used only for the starting points of mpmath's
root finder).

`tests/test_domain_accuracy.py` compares `jax.grad` of the catalogue functions with
these numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath as mp
import numpy as np
import scipy.special as sc

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "domain_references.json"
POINTS = 15
DIGITS = 30

pi = mp.pi
half = mp.mpf(1) / 2


# --------------------------------------------------------------------------------------
# Samplers: rng -> one float


def uniform(lo: float, hi: float) -> Callable[[np.random.Generator], float]:
    return lambda rng: float(rng.uniform(lo, hi))


def loguniform(lo: float, hi: float) -> Callable[[np.random.Generator], float]:
    return lambda rng: float(math.exp(rng.uniform(math.log(lo), math.log(hi))))


def integer(lo: int, hi: int) -> Callable[[np.random.Generator], float]:
    def draw(rng: np.random.Generator) -> float:
        return float(rng.integers(lo, hi + 1))

    draw.integer = True  # type: ignore[attr-defined]
    return draw


ORDER = uniform(0.0, 20.0)
ARG = loguniform(0.05, 30.0)
PROB = uniform(0.01, 0.99)
DEGREE = uniform(0.0, 15.0)
SHAPE = loguniform(0.3, 30.0)
UNIT = uniform(-0.99, 0.99)


@dataclass
class Spec:
    """An mpmath implementation, one sampler per argument, the continuous arguments, the
    argument of the second derivative, and (for inverses) SciPy's function as a start."""

    ref: Callable[..., Any]
    samplers: tuple[Callable[[np.random.Generator], float], ...]
    continuous: tuple[int, ...]
    second: int
    start: Callable[..., float] | None = None  # the inverse's SciPy function
    # For integrals: the derivative in the one argument (the integrand), differentiated
    # by mpmath for higher orders, instead of differences of quadratures.
    d1: Callable[[Any], Any] | None = None


# --------------------------------------------------------------------------------------
# mpmath implementations


def _reg_gamma(a: Any, lo: Any, hi: Any) -> Any:
    return mp.gammainc(a, lo, hi, regularized=True)


def _reg_beta(a: Any, b: Any, lo: Any, hi: Any) -> Any:
    return mp.betainc(a, b, lo, hi, regularized=True)


def _t_cdf(df: Any, t: Any) -> Any:
    x = df / (df + t**2)
    tail = _reg_beta(df / 2, half, 0, x) / 2
    return 1 - tail if t > 0 else tail


def _sph(f: Callable[..., Any]) -> Callable[..., Any]:
    return lambda n, z: mp.sqrt(pi / (2 * z)) * f(n + half, z)


def _smirnov(n: Any, d: Any) -> Any:
    n = int(n)
    top = int(mp.floor(n * (1 - d)))
    return d * mp.fsum(
        mp.binomial(n, j) * (1 - d - mp.mpf(j) / n) ** (n - j) * (d + mp.mpf(j) / n) ** (j - 1)
        for j in range(top + 1)
    )


def _kolmogorov(y: Any) -> Any:
    return 2 * mp.nsum(lambda k: (-1) ** (k - 1) * mp.exp(-2 * k**2 * y**2), [1, mp.inf])


def _wright(a: Any, b: Any, x: Any) -> Any:
    return mp.nsum(lambda k: x**k / (mp.factorial(k) * mp.gamma(a * k + b)), [0, mp.inf])


def _tukey_quantile(lam: Any, p: Any) -> Any:
    return (p**lam - (1 - p) ** lam) / lam


def _kelvin_prime(kind: str) -> Callable[[Any], Any]:
    f = getattr(mp, kind)
    return lambda x: mp.diff(lambda t: f(0, t), x)


def _poisson_weights(lam: Any, terms: int) -> list[Any]:
    return [mp.exp(-lam / 2) * (lam / 2) ** j / mp.factorial(j) for j in range(terms)]


def _ncx2_cdf(x: Any, k: Any, lam: Any) -> Any:
    w = _poisson_weights(lam, 80)
    return mp.fsum(w[j] * _reg_gamma(k / 2 + j, 0, x / 2) for j in range(80))


def _ncf_cdf(dfn: Any, dfd: Any, lam: Any, f: Any) -> Any:
    y = dfn * f / (dfn * f + dfd)
    w = _poisson_weights(lam, 80)
    return mp.fsum(w[j] * _reg_beta(dfn / 2 + j, dfd / 2, 0, y) for j in range(80))


def _nct_cdf(df: Any, mu: Any, t: Any) -> Any:
    if t < 0:
        return 1 - _nct_cdf(df, -mu, -t)
    y = t**2 / (t**2 + df)
    e = mp.exp(-(mu**2) / 2)
    s = mp.fsum(
        e * (mu**2 / 2) ** j / mp.factorial(j) * _reg_beta(j + half, df / 2, 0, y)
        + mu
        * e
        * (mu**2 / 2) ** j
        / (mp.sqrt(2) * mp.gamma(j + mp.mpf(3) / 2))
        * _reg_beta(j + 1, df / 2, 0, y)
        for j in range(80)
    )
    return mp.ncdf(-mu) + s / 2


def _airye(z: Any) -> tuple[Any, ...]:
    zeta = 2 * z ** mp.mpf(1.5) / 3
    return (
        mp.airyai(z) * mp.exp(zeta),
        mp.airyai(z, 1) * mp.exp(zeta),
        mp.airybi(z) * mp.exp(-zeta),
        mp.airybi(z, 1) * mp.exp(-zeta),
    )


def _kelvin(x: Any) -> tuple[Any, ...]:
    def prime(f: Any) -> Any:
        return mp.diff(lambda t: f(0, t), x)

    return (
        mp.mpc(mp.ber(0, x), mp.bei(0, x)),
        mp.mpc(mp.ker(0, x), mp.kei(0, x)),
        mp.mpc(prime(mp.ber), prime(mp.bei)),
        mp.mpc(prime(mp.ker), prime(mp.kei)),
    )


def _pair(f: Callable[..., Any]) -> Callable[..., Any]:
    """(f, df/dx) of a function of (order, x): the value-and-derivative outputs."""
    return lambda v, x: (f(v, x), mp.diff(lambda t: f(v, t), x))


def integrals(*fs: Callable[[Any], Any], sampler: Any = None) -> Spec:
    """The integrals of `fs` from 0 to x, with their integrands as derivatives."""
    made = spec(lambda x: tuple(mp.quad(f, [0, x]) for f in fs), sampler or ARG)
    made.d1 = lambda x: tuple(f(x) for f in fs)
    return made


def _modfresnel(sign: int) -> Callable[[Any], Any]:
    def f(x: Any) -> tuple[Any, Any]:
        u = x * mp.sqrt(2 / pi)
        value = mp.sqrt(pi) * mp.expjpi(sign * mp.mpf(1) / 4) / 2 - mp.sqrt(pi / 2) * (
            mp.fresnelc(u) + sign * 1j * mp.fresnels(u)
        )
        return value, mp.exp(-sign * 1j * (x**2 + pi / 4)) * value / mp.sqrt(pi)

    return f


def _ellipj(u: Any, m: Any) -> tuple[Any, ...]:
    start = mp.mpf(float(sc.ellipj(float(u), float(m))[3]))
    am = mp.findroot(lambda t: mp.ellipf(t, m) - u, start, tol=mp.mpf(10) ** (-mp.mp.dps))
    return (mp.sin(am), mp.cos(am), mp.sqrt(1 - m * mp.sin(am) ** 2), am)


def _voigt(x: Any, s: Any, g: Any) -> Any:
    z = (x + 1j * g) / (s * mp.sqrt(2))
    return mp.re(mp.exp(-(z**2)) * mp.erfc(-1j * z)) / (s * mp.sqrt(2 * pi))


def _inverse(
    h: Callable[..., Any], scipy_fn: Callable[..., Any]
) -> tuple[Callable[..., Any], Callable[..., float]]:
    """The G(*args) with h(*args, G) = 0, by mpmath's root finder started from SciPy's
    value at the float point (the references are mpmath's root, not SciPy's)."""

    def g(*args: Any) -> Any:
        start = float(scipy_fn(*[float(a) for a in args]))
        if not math.isfinite(start):
            raise ValueError("no root")
        return mp.findroot(lambda t: h(*args, t), mp.mpf(start), tol=mp.mpf(10) ** (-mp.mp.dps))

    return g, scipy_fn


def _with_d1(made: Spec, d1: Callable[[Any], Any]) -> Spec:
    made.d1 = d1
    return made


def spec(
    ref: Callable[..., Any],
    *samplers: Callable[[np.random.Generator], float],
    continuous: tuple[int, ...] | None = None,
    second: int | None = None,
) -> Spec:
    cont = tuple(range(len(samplers))) if continuous is None else continuous
    return Spec(ref, samplers, cont, cont[0] if second is None else second)


def inverse(
    h: Callable[..., Any],
    scipy_fn: Callable[..., Any],
    *samplers: Callable[[np.random.Generator], float],
    continuous: tuple[int, ...] | None = None,
    second: int | None = None,
) -> Spec:
    g, start = _inverse(h, scipy_fn)
    made = spec(g, *samplers, continuous=continuous, second=second)
    made.start = start
    return made


BESSEL = (ORDER, ARG)
SPECS: dict[str, Spec] = {
    # Bessel functions of real order (second derivative in the order)
    "jv": spec(mp.besselj, *BESSEL),
    "yv": spec(mp.bessely, *BESSEL),
    "iv": spec(mp.besseli, *BESSEL),
    "kv": spec(mp.besselk, *BESSEL),
    "jve": spec(mp.besselj, *BESSEL),
    "yve": spec(mp.bessely, *BESSEL),
    "ive": spec(lambda v, z: mp.besseli(v, z) * mp.exp(-z), *BESSEL),
    "kve": spec(lambda v, z: mp.besselk(v, z) * mp.exp(z), *BESSEL),
    "hankel1": spec(mp.hankel1, *BESSEL),
    "hankel2": spec(mp.hankel2, *BESSEL),
    "hankel1e": spec(lambda v, z: mp.hankel1(v, z) * mp.exp(-1j * z), *BESSEL),
    "hankel2e": spec(lambda v, z: mp.hankel2(v, z) * mp.exp(1j * z), *BESSEL),
    "jn": spec(mp.besselj, *BESSEL),
    # integer order
    "j0": spec(lambda x: mp.besselj(0, x), ARG),
    "j1": spec(lambda x: mp.besselj(1, x), ARG),
    "y0": spec(lambda x: mp.bessely(0, x), ARG),
    "y1": spec(lambda x: mp.bessely(1, x), ARG),
    "k0": spec(lambda x: mp.besselk(0, x), ARG),
    "k1": spec(lambda x: mp.besselk(1, x), ARG),
    "k0e": spec(lambda x: mp.besselk(0, x) * mp.exp(x), ARG),
    "k1e": spec(lambda x: mp.besselk(1, x) * mp.exp(x), ARG),
    "yn": spec(mp.bessely, integer(0, 20), ARG, continuous=(1,)),
    "kn": spec(mp.besselk, integer(0, 20), ARG, continuous=(1,)),
    "spherical_jn": spec(_sph(mp.besselj), integer(0, 15), ARG, continuous=(1,)),
    "spherical_yn": spec(_sph(mp.bessely), integer(0, 15), ARG, continuous=(1,)),
    "spherical_in": spec(_sph(mp.besseli), integer(0, 15), ARG, continuous=(1,)),
    "spherical_kn": spec(_sph(mp.besselk), integer(0, 15), ARG, continuous=(1,)),
    # Struve
    "struve": spec(mp.struveh, *BESSEL),
    "modstruve": spec(mp.struvel, *BESSEL),
    # Kelvin
    "ber": spec(lambda x: mp.ber(0, x), ARG),
    "bei": spec(lambda x: mp.bei(0, x), ARG),
    "ker": spec(lambda x: mp.ker(0, x), ARG),
    "kei": spec(lambda x: mp.kei(0, x), ARG),
    # several outputs
    "airy": spec(
        lambda z: (mp.airyai(z), mp.airyai(z, 1), mp.airybi(z), mp.airybi(z, 1)),
        uniform(-10.0, 10.0),
    ),
    "airye": spec(_airye, ARG),
    "kelvin": spec(_kelvin, ARG),
    "shichi": spec(lambda x: (mp.shi(x), mp.chi(x)), ARG),
    "itj0y0": integrals(lambda t: mp.besselj(0, t), lambda t: mp.bessely(0, t)),
    "iti0k0": integrals(lambda t: mp.besseli(0, t), lambda t: mp.besselk(0, t)),
    "it2i0k0": _with_d1(
        spec(
            lambda x: (
                mp.quad(lambda t: (mp.besseli(0, t) - 1) / t, [0, x]),
                mp.quad(lambda t: mp.besselk(0, t) / t, [x, mp.inf]),
            ),
            ARG,
        ),
        lambda x: ((mp.besseli(0, x) - 1) / x, -mp.besselk(0, x) / x),
    ),
    "itairy": integrals(
        mp.airyai,
        mp.airybi,
        lambda t: mp.airyai(-t),
        lambda t: mp.airybi(-t),
        sampler=loguniform(0.05, 10.0),
    ),
    "modfresnelp": spec(_modfresnel(1), loguniform(0.05, 10.0)),
    "modfresnelm": spec(_modfresnel(-1), loguniform(0.05, 10.0)),
    "pbdv": spec(_pair(mp.pcfd), uniform(0.0, 10.0), uniform(-5.0, 10.0)),
    "pbvv": spec(
        _pair(lambda v, x: mp.pcfv(-v - half, x)), uniform(0.0, 10.0), uniform(-5.0, 10.0)
    ),
    "pbwa": spec(_pair(mp.pcfw), uniform(-4.5, 4.5), uniform(-4.5, 4.5)),
    "ellipj": spec(_ellipj, uniform(-5.0, 5.0), uniform(0.0, 0.95), second=1),
    # elliptic integrals
    "ellipk": spec(mp.ellipk, uniform(-10.0, 0.99)),
    "ellipe": spec(mp.ellipe, uniform(-10.0, 0.99)),
    "ellipkm1": spec(lambda p: mp.ellipk(1 - p), loguniform(1e-3, 10.0)),
    "ellipkinc": spec(mp.ellipf, uniform(-3.0, 3.0), uniform(-5.0, 0.95)),
    "ellipeinc": spec(mp.ellipe, uniform(-3.0, 3.0), uniform(-5.0, 0.95)),
    "elliprf": spec(mp.elliprf, ARG, ARG, ARG),
    "elliprd": spec(mp.elliprd, ARG, ARG, ARG),
    "elliprg": spec(mp.elliprg, ARG, ARG, ARG),
    "elliprc": spec(mp.elliprc, ARG, ARG),
    "elliprj": spec(mp.elliprj, ARG, ARG, ARG, ARG),
    "agm": spec(mp.agm, ARG, ARG),
    # gamma, beta and relatives
    "psi": spec(mp.digamma, ARG),
    "rgamma": spec(mp.rgamma, ARG),
    "binom": spec(mp.binomial, uniform(0.0, 30.0), uniform(0.0, 15.0)),
    "erfi": spec(mp.erfi, uniform(-5.0, 5.0)),
    "erfcinv": spec(lambda y: mp.erfinv(1 - y), uniform(0.01, 1.99)),
    "log_expit": spec(lambda x: -mp.log(1 + mp.exp(-x)), uniform(-30.0, 30.0)),
    "exprel": spec(lambda x: mp.expm1(x) / x, uniform(-30.0, 30.0)),
    "zetac": spec(lambda x: mp.zeta(x) - 1, uniform(1.1, 30.0)),
    "wrightomega": spec(lambda x: mp.lambertw(mp.exp(x)), uniform(-20.0, 30.0)),
    "hyp0f1": spec(mp.hyp0f1, SHAPE, uniform(-30.0, 30.0)),
    "hyperu": spec(mp.hyperu, loguniform(0.3, 10.0), uniform(0.3, 10.0), ARG),
    "voigt_profile": spec(_voigt, uniform(-10.0, 10.0), loguniform(0.3, 5.0), loguniform(0.3, 5.0)),
    # distributions (second derivative in the parameter with a numerical partial)
    "gdtr": spec(
        lambda a, b, x: _reg_gamma(b, 0, a * x), loguniform(0.1, 3.0), SHAPE, ARG, second=1
    ),
    "gdtrc": spec(
        lambda a, b, x: _reg_gamma(b, a * x, mp.inf), loguniform(0.1, 3.0), SHAPE, ARG, second=1
    ),
    "chdtr": spec(lambda v, x: _reg_gamma(v / 2, 0, x / 2), SHAPE, ARG),
    "chdtrc": spec(lambda v, x: _reg_gamma(v / 2, x / 2, mp.inf), SHAPE, ARG),
    "fdtr": spec(
        lambda dfn, dfd, x: _reg_beta(dfn / 2, dfd / 2, 0, dfn * x / (dfn * x + dfd)),
        SHAPE,
        SHAPE,
        ARG,
    ),
    "fdtrc": spec(
        lambda dfn, dfd, x: _reg_beta(dfn / 2, dfd / 2, dfn * x / (dfn * x + dfd), 1),
        SHAPE,
        SHAPE,
        ARG,
    ),
    "betaincc": spec(lambda a, b, x: _reg_beta(a, b, x, 1), SHAPE, SHAPE, PROB),
    "stdtr": spec(_t_cdf, SHAPE, uniform(-10.0, 10.0)),
    "pdtr": spec(lambda k, m: _reg_gamma(k + 1, m, mp.inf), integer(0, 30), ARG, continuous=(1,)),
    "pdtrc": spec(lambda k, m: _reg_gamma(k + 1, 0, m), integer(0, 30), ARG, continuous=(1,)),
    "kolmogorov": spec(_kolmogorov, uniform(0.2, 3.0)),
    "smirnov": spec(_smirnov, integer(1, 30), uniform(0.01, 0.99), continuous=(1,)),
    # inverses (mpmath's roots)
    "gammaincinv": inverse(lambda a, y, t: _reg_gamma(a, 0, t) - y, sc.gammaincinv, SHAPE, PROB),
    "gammainccinv": inverse(
        lambda a, y, t: _reg_gamma(a, t, mp.inf) - y, sc.gammainccinv, SHAPE, PROB
    ),
    "betaincinv": inverse(
        lambda a, b, y, t: _reg_beta(a, b, 0, t) - y, sc.betaincinv, SHAPE, SHAPE, PROB
    ),
    "betainccinv": inverse(
        lambda a, b, y, t: _reg_beta(a, b, t, 1) - y, sc.betainccinv, SHAPE, SHAPE, PROB
    ),
    "chdtri": inverse(lambda v, p, t: _reg_gamma(v / 2, t / 2, mp.inf) - p, sc.chdtri, SHAPE, PROB),
    "stdtrit": inverse(lambda df, p, t: _t_cdf(df, t) - p, sc.stdtrit, SHAPE, PROB),
    "gdtrix": inverse(
        lambda a, b, p, t: _reg_gamma(b, 0, a * t) - p,
        sc.gdtrix,
        loguniform(0.1, 3.0),
        SHAPE,
        PROB,
        second=1,
    ),
    "kolmogi": inverse(lambda p, t: _kolmogorov(t) - p, sc.kolmogi, PROB),
    "smirnovi": inverse(
        lambda n, p, t: _smirnov(n, t) - p, sc.smirnovi, integer(1, 30), PROB, continuous=(1,)
    ),
    "bdtr": spec(
        lambda k, n, p: _reg_beta(n - k, k + 1, 0, 1 - p),
        integer(0, 20),
        integer(21, 40),
        PROB,
        continuous=(2,),
    ),
    "bdtrc": spec(
        lambda k, n, p: _reg_beta(k + 1, n - k, 0, p),
        integer(0, 20),
        integer(21, 40),
        PROB,
        continuous=(2,),
    ),
    "nbdtr": spec(
        lambda k, n, p: _reg_beta(n, k + 1, 0, p),
        integer(0, 20),
        integer(1, 20),
        PROB,
        continuous=(2,),
    ),
    "nbdtrc": spec(
        lambda k, n, p: _reg_beta(k + 1, n, 0, 1 - p),
        integer(0, 20),
        integer(1, 20),
        PROB,
        continuous=(2,),
    ),
    "chndtr": spec(_ncx2_cdf, ARG, SHAPE, loguniform(0.05, 10.0), second=1),
    "nctdtr": spec(_nct_cdf, SHAPE, uniform(-5.0, 5.0), uniform(-10.0, 10.0), second=0),
    "ncfdtr": spec(_ncf_cdf, SHAPE, SHAPE, loguniform(0.05, 10.0), ARG, second=0),
    "bdtri": inverse(
        lambda k, n, y, t: _reg_beta(n - k, k + 1, 0, 1 - t) - y,
        sc.bdtri,
        integer(0, 20),
        integer(21, 40),
        PROB,
        continuous=(2,),
    ),
    "nbdtri": inverse(
        lambda k, n, y, t: _reg_beta(n, k + 1, 0, t) - y,
        sc.nbdtri,
        integer(0, 20),
        integer(1, 20),
        PROB,
        continuous=(2,),
    ),
    "pdtri": inverse(
        lambda k, y, t: _reg_gamma(k + 1, t, mp.inf) - y,
        sc.pdtri,
        integer(0, 30),
        PROB,
        continuous=(1,),
    ),
    "bdtrik": inverse(
        lambda y, n, p, t: _reg_beta(n - t, t + 1, 0, 1 - p) - y,
        sc.bdtrik,
        PROB,
        loguniform(5.0, 40.0),
        uniform(0.2, 0.8),
        second=1,
    ),
    "bdtrin": inverse(
        lambda k, y, p, t: _reg_beta(t - k, k + 1, 0, 1 - p) - y,
        sc.bdtrin,
        uniform(0.5, 20.0),
        PROB,
        uniform(0.2, 0.8),
        second=0,
    ),
    "nbdtrik": inverse(
        lambda y, n, p, t: _reg_beta(n, t + 1, 0, p) - y,
        sc.nbdtrik,
        PROB,
        loguniform(1.0, 30.0),
        uniform(0.2, 0.8),
        second=1,
    ),
    "nbdtrin": inverse(
        lambda k, y, p, t: _reg_beta(t, k + 1, 0, p) - y,
        sc.nbdtrin,
        uniform(0.5, 20.0),
        PROB,
        uniform(0.2, 0.8),
        second=0,
    ),
    "pdtrik": inverse(
        lambda p, m, t: _reg_gamma(t + 1, m, mp.inf) - p, sc.pdtrik, PROB, loguniform(1.0, 30.0)
    ),
    "gdtria": inverse(
        lambda p, b, x, t: _reg_gamma(b, 0, t * x) - p, sc.gdtria, PROB, SHAPE, ARG, second=1
    ),
    "gdtrib": inverse(
        lambda a, p, x, t: _reg_gamma(t, 0, a * x) - p,
        sc.gdtrib,
        loguniform(0.1, 3.0),
        PROB,
        ARG,
    ),
    "btdtria": inverse(
        lambda p, b, x, t: _reg_beta(t, b, 0, x) - p, sc.btdtria, PROB, SHAPE, PROB, second=1
    ),
    "btdtrib": inverse(lambda a, p, x, t: _reg_beta(a, t, 0, x) - p, sc.btdtrib, SHAPE, PROB, PROB),
    "chdtriv": inverse(lambda p, x, t: _reg_gamma(t / 2, 0, x / 2) - p, sc.chdtriv, PROB, ARG),
    "fdtri": inverse(
        lambda dfn, dfd, p, t: _reg_beta(dfn / 2, dfd / 2, 0, dfn * t / (dfn * t + dfd)) - p,
        sc.fdtri,
        SHAPE,
        SHAPE,
        PROB,
    ),
    "fdtridfd": inverse(
        lambda dfn, p, x, t: _reg_beta(dfn / 2, t / 2, 0, dfn * x / (dfn * x + t)) - p,
        sc.fdtridfd,
        SHAPE,
        PROB,
        ARG,
    ),
    "stdtridf": inverse(
        lambda p, t, df: _t_cdf(df, t) - p, sc.stdtridf, uniform(0.02, 0.15), uniform(-3.0, -1.6)
    ),
    "nrdtrimn": spec(
        lambda p, std, x: x - std * mp.sqrt(2) * mp.erfinv(2 * p - 1),
        PROB,
        ARG,
        uniform(-10.0, 10.0),
    ),
    "nrdtrisd": spec(
        lambda mn, p, x: (x - mn) / (mp.sqrt(2) * mp.erfinv(2 * p - 1)),
        uniform(-10.0, 10.0),
        PROB,
        uniform(-10.0, 10.0),
        second=1,
    ),
    "tklmbda": inverse(
        lambda x, lam, t: _tukey_quantile(lam, t) - x,
        sc.tklmbda,
        uniform(-3.0, 3.0),
        uniform(0.05, 2.0),
        second=1,
    ),
    "ndtri_exp": spec(lambda y: mp.sqrt(2) * mp.erfinv(2 * mp.exp(y) - 1), uniform(-30.0, -0.01)),
    "wright_bessel": spec(_wright, uniform(0.1, 3.0), uniform(0.3, 5.0), ARG),
    "log_wright_bessel": spec(
        lambda a, b, x: mp.log(_wright(a, b, x)), uniform(0.1, 3.0), uniform(0.3, 5.0), ARG
    ),
    "lambertw": spec(mp.lambertw, loguniform(0.05, 30.0)),
    "berp": spec(_kelvin_prime("ber"), ARG),
    "beip": spec(_kelvin_prime("bei"), ARG),
    "kerp": spec(_kelvin_prime("ker"), ARG),
    "keip": spec(_kelvin_prime("kei"), ARG),
    "besselpoly": spec(
        lambda a, lmb, nu: mp.quad(lambda x: x**lmb * mp.besselj(nu, 2 * a * x), [0, 1]),
        loguniform(0.05, 10.0),
        uniform(0.0, 5.0),
        uniform(0.0, 10.0),
        second=2,
    ),
    "itstruve0": integrals(lambda t: mp.struveh(0, t)),
    "itmodstruve0": integrals(lambda t: mp.struvel(0, t)),
    # orthogonal polynomials (second derivative in the degree)
    "eval_jacobi": spec(mp.jacobi, DEGREE, uniform(-0.7, 5.0), uniform(-0.7, 5.0), UNIT),
    "eval_gegenbauer": spec(mp.gegenbauer, DEGREE, uniform(0.3, 10.0), UNIT),
    "eval_chebyt": spec(mp.chebyt, DEGREE, UNIT),
    "eval_chebyu": spec(mp.chebyu, DEGREE, UNIT),
    "eval_legendre": spec(mp.legendre, DEGREE, UNIT),
    "eval_chebyc": spec(lambda n, x: 2 * mp.chebyt(n, x / 2), DEGREE, uniform(-1.98, 1.98)),
    "eval_chebys": spec(lambda n, x: mp.chebyu(n, x / 2), DEGREE, uniform(-1.98, 1.98)),
    "eval_sh_chebyt": spec(lambda n, x: mp.chebyt(n, 2 * x - 1), DEGREE, uniform(0.01, 0.99)),
    "eval_sh_chebyu": spec(lambda n, x: mp.chebyu(n, 2 * x - 1), DEGREE, uniform(0.01, 0.99)),
    "eval_sh_legendre": spec(lambda n, x: mp.legendre(n, 2 * x - 1), DEGREE, uniform(0.01, 0.99)),
    "eval_genlaguerre": spec(mp.laguerre, DEGREE, uniform(0.0, 10.0), ARG),
    "eval_laguerre": spec(lambda n, x: mp.laguerre(n, 0, x), DEGREE, ARG),
    "eval_hermite": spec(mp.hermite, integer(0, 15), uniform(-5.0, 5.0), continuous=(1,)),
    "eval_hermitenorm": spec(
        lambda n, x: 2 ** (-mp.mpf(n) / 2) * mp.hermite(n, x / mp.sqrt(2)),
        integer(0, 15),
        uniform(-5.0, 5.0),
        continuous=(1,),
    ),
    "lpmv": spec(
        lambda m, v, x: mp.legenp(v, m, x, type=2),
        integer(0, 3),
        DEGREE,
        UNIT,
        continuous=(1, 2),
    ),
    "eval_sh_jacobi": spec(
        lambda n, p, q, x: mp.jacobi(n, p - q, q - 1, 2 * x - 1) / mp.binomial(2 * n + p - 1, n),
        DEGREE,
        uniform(3.0, 8.0),
        uniform(0.5, 3.0),
        uniform(0.01, 0.99),
    ),
    # convenience functions
    "cosdg": spec(lambda x: mp.cos(x * pi / 180), uniform(-360.0, 360.0)),
    "sindg": spec(lambda x: mp.sin(x * pi / 180), uniform(-360.0, 360.0)),
    "tandg": spec(lambda x: mp.tan(x * pi / 180), uniform(-85.0, 85.0)),
    "cotdg": spec(lambda x: mp.cot(x * pi / 180), uniform(5.0, 175.0)),
    "radian": spec(
        lambda d, m, s: (d + m / 60 + s / 3600) * pi / 180,
        uniform(-360.0, 360.0),
        uniform(0.0, 60.0),
        uniform(0.0, 60.0),
    ),
    "huber": spec(
        lambda d, r: r**2 / 2 if abs(r) <= d else d * (abs(r) - d / 2), ARG, uniform(-10.0, 10.0)
    ),
    "cosm1": spec(lambda x: mp.cos(x) - 1, uniform(-5.0, 5.0)),
    "exp10": spec(lambda x: mp.power(10, x), uniform(-20.0, 20.0)),
    "powm1": spec(lambda x, y: mp.power(x, y) - 1, ARG, uniform(-5.0, 5.0)),
    "inv_boxcox": spec(
        lambda y, lm: mp.exp(mp.log1p(lm * y) / lm), loguniform(0.05, 5.0), uniform(-0.1, 2.0)
    ),
    "inv_boxcox1p": spec(
        lambda y, lm: mp.expm1(mp.log1p(lm * y) / lm), loguniform(0.05, 5.0), uniform(-0.1, 2.0)
    ),
    "pseudo_huber": spec(
        lambda d, r: d**2 * (mp.sqrt(1 + (r / d) ** 2) - 1), ARG, uniform(-10.0, 10.0)
    ),
}


# --------------------------------------------------------------------------------------
# Generation


# Fixed points added to the random ones: far tails, where a complement's parameter
# derivative must not come from 1 minus the lower function (which cancels there).
TAILS: dict[str, list[list[float]]] = {
    "gdtrc": [[1.0, 2.0, 41.5], [1.0, 3.0, 33.0], [2.0, 12.5, 30.0]],
    "gdtr": [[1.0, 20.0, 2.0]],
    "betaincc": [[2.0, 30.0, 0.7], [2.0, 30.0, 0.8], [1.5, 40.0, 0.75]],
    "chdtrc": [[3.0, 80.0], [10.0, 100.0]],
    "chdtr": [[20.0, 0.5]],
    "fdtrc": [[5.0, 30.0, 40.0], [12.0, 40.0, 30.0]],
    "stdtr": [[25.0, 12.0], [25.0, -12.0]],
}


def _number(z: Any) -> Any:
    """A float, or [re, im] for a complex value."""
    z = mp.mpmathify(z)
    if isinstance(z, mp.mpc):
        if z.imag == 0:
            return float(z.real)
        return [float(z.real), float(z.imag)]
    return float(z)


def _seed(name: str) -> int:
    return sum((i + 1) * ord(c) for i, c in enumerate(name))


def references(name: str, s: Spec) -> dict[str, Any]:
    """Points, values and derivatives; for a function with several outputs, each value
    and derivative is a list with one entry per output."""
    rng = np.random.default_rng(_seed(name))
    points, values = [], []
    firsts: dict[int, list[Any]] = {i: [] for i in s.continuous}
    seconds = []
    outputs = 1
    tails = list(TAILS.get(name, []))
    while len(points) < POINTS + len(TAILS.get(name, [])):
        point = tails.pop(0) if tails else [draw(rng) for draw in s.samplers]
        args = [mp.mpf(p) for p in point]
        try:
            value = s.ref(*args)
        except (ValueError, ZeroDivisionError):  # no root there (SciPy clips): draw again
            continue
        points.append(point)
        several = isinstance(value, tuple)
        outputs = len(value) if several else 1

        def moved(i: int, k: int, args: list[Any] = args, several: bool = several) -> Any:
            def along(t: Any) -> Any:
                a = list(args)
                a[i] = t
                out = s.ref(*a)
                return out[k] if several else out

            return along

        def integrand(k: int, several: bool = several) -> Any:
            d1 = s.d1
            assert d1 is not None
            return lambda t: d1(t)[k] if several else d1(t)

        def diff(
            i: int,
            order: int,
            args: list[Any] = args,
            outputs: int = outputs,
            several: bool = several,
        ) -> Any:
            if s.d1 is not None:  # an integral: differentiate its integrand
                found = [_number(mp.diff(integrand(k), args[i], order - 1)) for k in range(outputs)]
            else:
                found = [_number(mp.diff(moved(i, k), args[i], order)) for k in range(outputs)]
            return found if several else found[0]

        values.append([_number(v) for v in value] if several else _number(value))
        for i in s.continuous:
            firsts[i].append(diff(i, 1))
        seconds.append(diff(s.second, 2))
    return {
        "inverse": s.start is not None,
        "outputs": outputs,
        "integers": [i for i, f in enumerate(s.samplers) if getattr(f, "integer", False)],
        "points": points,
        "value": values,
        "first": {str(i): v for i, v in firsts.items()},
        "second_argument": s.second,
        "second": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these functions (default: all)")
    args = parser.parse_args()
    mp.mp.dps = DIGITS
    names = args.names or list(SPECS)
    unknown = sorted(set(names) - set(SPECS))
    if unknown:
        raise SystemExit(f"no mpmath reference for {unknown}")
    existing = json.loads(OUTPUT.read_text()) if OUTPUT.exists() and args.names else {}
    for name in names:
        print(name, file=sys.stderr, flush=True)
        existing[name] = references(name, SPECS[name])
    OUTPUT.write_text(json.dumps(dict(sorted(existing.items())), indent=1) + "\n")


if __name__ == "__main__":
    main()
