"""Measure the catalogue entries that the installed JAX also has in `jax.scipy.special`.

The catalogue covers what the oldest supported JAX lacks; newer JAX releases add special
functions, and an entry they also provide stays. For each such entry this script measures,
on the same points, what the installed JAX's function and ours accept (real or only integer
orders), which arguments each differentiates, the worst relative error of each against
mpmath (values and the derivative in the main variable) and the CPU time of a jitted call
on 10,000 points, and writes `docs/newer_jax.json`, from which `tools/gen_catalogue.py`
renders the catalogue page's comparison section. Run it with the newest JAX installed:

    python tools/compare_newer_jax.py
"""

from __future__ import annotations

import json
import sys
import timeit
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import mpmath
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autocallback import special  # noqa: E402

OUTPUT = ROOT / "docs" / "newer_jax.json"
mpmath.mp.dps = 40


def _gammainc_inverse(upper: bool) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """mpmath references of gammaincinv (or gammainccinv) and of its y-derivative."""
    import scipy.special as sc

    def cdf(a: Any, x: Any) -> Any:
        if upper:
            return mpmath.gammainc(a, x, regularized=True)
        return mpmath.gammainc(a, 0, x, regularized=True)

    def value(a: float, y: float) -> Any:
        a = mpmath.mpf(a)
        start = mpmath.mpf((sc.gammainccinv if upper else sc.gammaincinv)(float(a), float(y)))
        # A bracket around SciPy's value, widened until it holds the root; then Anderson's
        # bracketing method (Newton alone can step out of the domain in the tails).
        width = mpmath.mpf(1e-9)
        while (cdf(a, start * (1 - width)) - y) * (cdf(a, start * (1 + width)) - y) > 0:
            width *= 10
        bracket = (start * (1 - width), start * (1 + width))
        return mpmath.findroot(lambda x: cdf(a, x) - y, bracket, solver="anderson")

    def derivative(a: float, y: float) -> Any:
        # dx/dy = +-1 / density(x) at the inverse.
        a, x = mpmath.mpf(a), value(a, y)
        density = mpmath.exp((a - 1) * mpmath.log(x) - x - mpmath.loggamma(a))
        return (-1 if upper else 1) / density

    return value, derivative


def _ndtri_exp(y: float) -> Any:
    return mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.exp(mpmath.mpf(y)) - 1)


# name -> (mpmath reference, sampler of points, index of the main variable,
#          indices of arguments that are integer orders)
CASES: dict[str, tuple[Callable[..., Any], Callable[[np.random.Generator], tuple], int, tuple]] = {
    "iv": (mpmath.besseli, lambda r: (r.integers(0, 8), np.exp(r.uniform(-2.3, 3.0))), 1, (0,)),
    "jn": (mpmath.besselj, lambda r: (r.integers(0, 8), np.exp(r.uniform(-2.3, 3.4))), 1, (0,)),
    "kn": (mpmath.besselk, lambda r: (r.integers(0, 8), np.exp(r.uniform(-2.3, 3.4))), 1, (0,)),
    "yn": (mpmath.bessely, lambda r: (r.integers(0, 8), np.exp(r.uniform(-2.3, 3.4))), 1, (0,)),
    "gammaincinv": (
        _gammainc_inverse(False)[0],
        lambda r: (np.exp(r.uniform(-1.2, 3.4)), r.uniform(0.01, 0.99)),
        1,
        (),
    ),
    "gammainccinv": (
        _gammainc_inverse(True)[0],
        lambda r: (np.exp(r.uniform(-1.2, 3.4)), r.uniform(0.01, 0.99)),
        1,
        (),
    ),
    "ndtri_exp": (_ndtri_exp, lambda r: (-np.exp(r.uniform(-6.9, 3.4)),), 0, ()),
    "erfcinv": (
        lambda y: mpmath.erfinv(1 - mpmath.mpf(y)),
        lambda r: (r.uniform(0.01, 1.99),),
        0,
        (),
    ),
}
# Derivatives in the main variable where mpmath.diff of the reference would be slow.
DERIVATIVES = {
    "gammaincinv": _gammainc_inverse(False)[1],
    "gammainccinv": _gammainc_inverse(True)[1],
}
POINTS = 40


def _rel(got: Any, want: Any) -> float:
    got, want = float(got), float(want)
    return abs(got - want) / max(abs(want), 1e-300)


_JITTED: dict[Callable[..., Any], dict[tuple, Callable[..., Any]]] = {}


def _evaluate(fn: Callable[..., Any], points: list[tuple], orders: tuple) -> np.ndarray:
    """`fn` at every point, jitted, with the integer orders as static Python ints (JAX's
    integer-order Bessel functions take nothing else), one call per distinct order."""
    out = np.empty(len(points))
    cache = _JITTED.setdefault(fn, {})
    groups: dict[tuple, list[int]] = {}
    for k, p in enumerate(points):
        groups.setdefault(tuple(int(p[i]) for i in orders), []).append(k)
    for key, members in groups.items():

        def call(*rest: Any, key: tuple = key) -> Any:
            it, fixed = iter(rest), dict(zip(orders, key, strict=True))
            return fn(*[fixed[i] if i in fixed else next(it) for i in range(len(points[0]))])

        columns = [
            jnp.asarray([float(points[k][i]) for k in members])
            for i in range(len(points[0]))
            if i not in orders
        ]
        if key not in cache:
            cache[key] = jax.jit(call)
        out[members] = np.asarray(cache[key](*columns))
    return out


def _worst(fn: Callable[..., Any], points: list[tuple], orders: tuple, refs: list[Any]) -> float:
    got = _evaluate(fn, points, orders)
    return max(_rel(g, w) for g, w in zip(got, refs, strict=True))


def _accepts_real_orders(fn: Callable[..., Any], point: tuple, orders: tuple) -> bool:
    """Whether a fractional order gives a value of its own (not an error, NaN, or the value
    at the truncated integer order, as SciPy's `kn` and `yn` give)."""
    if not orders:
        return True
    fractional = [0.7 if i in orders else x for i, x in enumerate(point)]
    truncated = [0 if i in orders else x for i, x in enumerate(point)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(fn(*fractional))
    except Exception:
        return False
    return bool(np.isfinite(value)) and value != float(fn(*truncated))


def _differentiates(fn: Callable[..., Any], point: tuple, orders: tuple) -> list[int]:
    out = []
    for i in range(len(point)):
        # Orders are tried at a fractional value: a derivative there needs real orders.
        args = [float(x) + 0.3 * (i in orders) if j == i else x for j, x in enumerate(point)]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                g = jax.grad(lambda x, i=i, args=args: fn(*args[:i], x, *args[i + 1 :]))(args[i])
        except Exception:
            continue
        if np.isfinite(float(g)) and float(g) != 0.0:
            out.append(i)
    return out


def _seconds(fn: Callable[..., Any], points: list[tuple], orders: tuple) -> float:
    """Seconds of one jitted call on 10,000 points drawn from `points` (one order)."""
    rng = np.random.default_rng(1)
    many = [points[k] for k in rng.integers(0, len(points), 10_000)]
    if orders:
        many = [tuple(2 if i in orders else x for i, x in enumerate(p)) for p in many]
    _evaluate(fn, many, orders)
    return min(timeit.repeat(lambda: _evaluate(fn, many, orders), number=3, repeat=5)) / 3


def measure(name: str) -> dict[str, Any]:
    ref, sample, main_arg, orders = CASES[name]
    rng = np.random.default_rng(0)
    points = [sample(rng) for _ in range(POINTS)]
    refs = [ref(*p) for p in points]
    if name in DERIVATIVES:
        d_refs = [DERIVATIVES[name](*p) for p in points]
    else:
        d_refs = [
            mpmath.diff(lambda x, p=p: ref(*p[:main_arg], x, *p[main_arg + 1 :]), p[main_arg])
            for p in points
        ]
    ours, theirs = getattr(special, name), getattr(jsp, name)
    params = list(ours.parameters)
    result: dict[str, Any] = {"parameters": params, "has_orders": bool(orders)}
    for label, fn in (("ours", ours), ("jax", theirs)):

        def d_main(*args: Any, fn: Callable[..., Any] = fn) -> Any:
            # The derivative in the main variable at each point; orders stay Python ints.
            def one(x: Any, *rest: Any) -> Any:
                a = list(args)
                a[main_arg] = x
                batched_at = (i for i in range(len(a)) if i != main_arg and i not in orders)
                for i, r in zip(batched_at, rest, strict=True):
                    a[i] = r
                return jax.grad(lambda t: fn(*a[:main_arg], t, *a[main_arg + 1 :]))(x)

            batched = [args[i] for i in range(len(args)) if i != main_arg and i not in orders]
            return jax.vmap(one)(args[main_arg], *batched)

        result[label] = {
            "real_orders": _accepts_real_orders(fn, points[0], orders),
            "differentiates": [params[i] for i in _differentiates(fn, points[0], orders)],
            "value_rel_err": _worst(fn, points, orders, refs),
            "derivative_rel_err": _worst(d_main, points, orders, d_refs),
            "seconds_1e4": _seconds(fn, points, orders),
        }
    result["orders"], result["verdict"] = verdict(result)
    return result


def verdict(row: dict[str, Any]) -> tuple[str, str]:
    """(orders accepted, which to use) from the measurements."""
    ours, theirs = row["ours"], row["jax"]
    has_orders = row["has_orders"]
    orders = (
        "—"
        if not has_orders
        else f"{'real' if ours['real_orders'] else 'integer'} / "
        f"{'real' if theirs['real_orders'] else 'integer'}"
    )
    more = [p for p in ours["differentiates"] if p not in theirs["differentiates"]]
    reasons = []
    if has_orders and ours["real_orders"] and not theirs["real_orders"]:
        reasons.append("real orders")
    if more:
        reasons.append(f"the derivative in {', '.join(more)}")
    worse = [
        kind
        for kind in ("value_rel_err", "derivative_rel_err")
        if theirs[kind] is not None
        and ours[kind] is not None
        and theirs[kind] > 10 * max(ours[kind], 1e-15)
    ]
    if worse:
        reasons.append("accuracy")
    if reasons:
        return orders, f"ours for {' and '.join(reasons)}; JAX's on GPU/TPU otherwise"
    return orders, "JAX's (same domain and derivatives, native on every backend)"


def main() -> None:
    jax.config.update("jax_enable_x64", True)
    names = [n for n in special.__all__ if hasattr(jsp, n)]
    missing = sorted(set(names) - set(CASES))
    if missing:
        raise SystemExit(f"add measurement cases for {missing} to {Path(__file__).name}")
    data = {
        "jax_version": jax.__version__,
        "device": jax.devices()[0].device_kind,
        "functions": {n: measure(n) for n in names},
    }
    OUTPUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(names)} functions, JAX {jax.__version__})")


if __name__ == "__main__":
    main()
