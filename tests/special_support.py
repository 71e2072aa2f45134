"""Shared machinery of the `autocallback.special` tests (tests/test_special*.py).

Each family's test file (`test_special_<family>.py`, one per module of the package) lists
its entries' mpmath references in a `CASES` table, name -> (reference, points, rtols):

- the reference: an mpmath function of the same arguments, or a dict {argument: derivative
  function} giving the reference derivative directly (for integrals, whose derivative is
  the integrand, and for inverses, whose derivative is 1 / the CDF's derivative at the
  mpmath root);
- points: sample points beyond the entry's own `examples`, which are always checked;
- rtols: {argument: rtol} where a derivative is checked more loosely than `RTOL`.

`family_tests` makes the checks every entry gets: its signature follows SciPy, its values
match SciPy's in float32 and float64, eagerly and under `jax.jit`, its first derivatives
match mpmath in float64 (to `RTOL`, or `NUMERICAL_RTOL` for numerical partials), and the
second derivatives of the family's `SECOND` subset do too.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
import scipy.special as sc

import autocallback
from autocallback import special

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

Case = tuple[Any, list[tuple[Any, ...]], dict[str, float]]
Second = tuple[list[tuple[Any, ...]], Any]


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


def points(name: str, case: Case) -> list[tuple[Any, ...]]:
    """The entry's examples, then the case's further points."""
    examples = [tuple(p) for p in getattr(special, name).examples]
    return examples + [p for p in case[1] if p not in examples]


def all_cases() -> dict[str, Case]:
    """Every family's `CASES` (from tests/test_special_*.py), merged."""
    cases: dict[str, Case] = {}
    for path in sorted(Path(__file__).parent.glob("test_special_*.py")):
        family = importlib.import_module(path.stem).CASES
        assert not cases.keys() & family.keys(), f"tested twice: {cases.keys() & family.keys()}"
        cases.update(family)
    return cases


def check_signature(name: str) -> None:
    fn = getattr(special, name)
    host = _scipy(name)
    if isinstance(host, np.ufunc):
        assert len(fn.parameters) == host.nin
    else:
        assert list(inspect.signature(fn).parameters) == list(inspect.signature(host).parameters)


def check_values(name: str, case: Case, x64: bool) -> None:
    precision = "x64" if x64 else "x32"
    dtype = np.float64 if x64 else np.float32
    fn = getattr(special, name)
    args = _arrays(name, points(name, case), dtype)
    # The Mathieu, spheroidal and parabolic cylinder functions compute in float64 on the
    # host whatever the precision (SciPy's float32 loops return NaN): compare with that.
    in_float64 = "_in_float64" in getattr(fn.__wrapped__, "__qualname__", "")
    ref_args = _arrays(name, points(name, case), np.float64) if in_float64 else args
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


def _reference(
    name: str, ref: Any, point: tuple[Any, ...], index: int, order: int = 1
) -> list[Any]:
    fn = getattr(special, name)
    args = [mp.mpf(a) if not isinstance(a, int) else a for a in point]
    if isinstance(ref, dict):
        assert order == 1
        value = ref[fn.parameters[index]](*args)
    else:
        value = mp.diff(ref, args, tuple(order if j == index else 0 for j in range(len(args))))
    if isinstance(value, (tuple, list)):
        return [complex(v) if isinstance(v, mp.mpc) else float(v) for v in value]
    return [complex(value) if isinstance(value, mp.mpc) else float(value)]


def _reference_multi(
    name: str, ref: Any, point: tuple[Any, ...], index: int, order: int = 1
) -> list[Any]:
    """Reference partials of a function with several outputs, output by output."""
    if isinstance(ref, dict):
        return _reference(name, ref, point, index, order)
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


def differentiable(name: str) -> list[tuple[int, str]]:
    fn = getattr(special, name)
    return [(i, p) for i, p in enumerate(fn.parameters) if fn.derivatives.get(p) is not None]


def partial(fn: Any, args: list[Any], index: int, order: int) -> list[np.ndarray]:
    """`order`-th partial derivative in argument `index`, by nested forward mode."""

    def g(x: Any) -> Any:
        return fn(*args[:index], x, *args[index + 1 :])

    f = g
    for _ in range(order):
        f = (lambda h: lambda x: jax.jvp(h, (x,), (jnp.ones_like(x),))[1])(f)
    return _as_list(jax.jit(f)(args[index]))


def d(fn: Any, *args: Any, index: int = -1, order: int = 1) -> np.ndarray:
    """The partial of `fn` at scalar `args`, in argument `index`."""
    args = [jnp.asarray(a) for a in args]
    index = index % len(args)
    return partial(fn, args, index, order)


def check_first_derivatives(name: str, case: Case) -> None:
    fn = getattr(special, name)
    ref, _, rtols = case
    pts = points(name, case)
    args = _arrays(name, pts, np.float64)
    multi = (
        fn.signature is not None
        and fn.signature.count(",") > 0
        and "->" in fn.signature
        and fn.signature.split("->")[1].count("(") > 1
    )
    for index, param in differentiable(name):
        skip = NO_REAL_PARTIAL.get((name, param), set())
        keep = [i for i, pt in enumerate(pts) if pt not in skip]
        got = [g[keep] for g in partial(fn, args, index, 1)]
        refs = [(_reference_multi if multi else _reference)(name, ref, pts[i], index) for i in keep]
        want = [np.array([r[k] for r in refs]) for k in range(len(got))]
        default = NUMERICAL_RTOL if _numerical(name, param) else RTOL
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(g, w, rtols.get(param, default), f"d{name}/d{param} (output {k})")


def check_second_derivatives(name: str, case: Case, second: Second) -> None:
    """`second`: (points, reference second derivative per point, or None for mp.diff(n=2)
    of the case's mpmath function)."""
    fn = getattr(special, name)
    pts, explicit = second
    args = _arrays(name, pts, np.float64)
    for index, param in differentiable(name):
        got = partial(fn, args, index, 2)
        if explicit is not None:
            refs = []
            for pt in pts:
                r = explicit(*[mp.mpf(a) for a in pt])
                refs.append([float(v) for v in r] if isinstance(r, tuple) else [float(r)])
        else:
            refs = [_reference(name, case[0], pt, index, 2) for pt in pts]
        want = [np.array([r[k] for r in refs]) for k in range(len(got))]
        rtol = NUMERICAL_RTOL2 if _numerical(name, param) else RTOL
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            _close(g, w, rtol, f"d2{name}/d{param}2 (output {k})")


def family_tests(cases: dict[str, Case], second: dict[str, Second]) -> dict[str, Any]:
    """The checks of every entry of a family, as test functions parametrized over its
    entries (a family test file adds them to its namespace)."""
    names = sorted(cases)

    @pytest.mark.parametrize("name", names)
    def test_signature_follows_scipy(name: str) -> None:
        check_signature(name)

    @pytest.mark.parametrize("name", names)
    def test_values_match_scipy(name: str, x64: bool) -> None:
        check_values(name, cases[name], x64)

    @pytest.mark.parametrize("name", names)
    def test_first_derivatives_match_mpmath(name: str, enable_x64: None) -> None:
        check_first_derivatives(name, cases[name])

    @pytest.mark.parametrize("name", sorted(second))
    def test_second_derivatives_match_mpmath(name: str, enable_x64: None) -> None:
        check_second_derivatives(name, cases[name], second[name])

    tests = [
        test_signature_follows_scipy,
        test_values_match_scipy,
        test_first_derivatives_match_mpmath,
    ]
    if second:
        tests.append(test_second_derivatives_match_mpmath)
    return {t.__name__: t for t in tests}
