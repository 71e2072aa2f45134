"""Numerical partial derivatives, computed on the host from the host function itself.

`numerical()` marks a partial in `derivatives=`. Such a partial becomes a SymPy function
of the function's parameters whose host implementation differentiates the host function
numerically, so it joins the fused host call of its derivative order like any other
term, and SymPy's chain rule composes it with formulas: the derivative of a numerical
partial in an argument that has a formula is that formula differentiated numerically
(d/dz of dK/dv is d/dv of the z-formula), and in an argument that is numerical itself a
mixed numerical derivative.

The method: central differences at steps h, h/2 and h/4 combined by Richardson
extrapolation (error O(h^6); six evaluations), evaluated in float64 whatever the input
dtype, with h scaled to the argument (h = step * max(1, |x|), step = 2**-7 by default).
Where the extrapolation table's own error estimate is above 1e-11 of the result (1e-7
for the outer differences of a second or higher derivative), as for a function that
varies on a scale much shorter than h (a Bessel function of large order at a small
argument, in its order), the step is halved again for that element, up to h/128, with
extrapolation to O(h^8) (Ridders' method), keeping the entry whose estimate is smallest:
the step so adapts to the function's scale where it must. Slowly varying functions keep
the six evaluations; Bessel functions in their order take about 8 per point on average
at orders 0.5-5 and 10 across orders 0-20 (a second derivative about 80, from 36).
Near a bound of a declared `domain=` the step shrinks to an eighth of the distance to
it; near a declared kink (`kinks=`) to the distance to it, or differences are one-sided
away from it. Where a central stencil
leaves the function's domain (a NaN or infinity, or a point on a declared bound),
one-sided second-order differences with a smaller step are used instead, forward
first, then backward.

For a function evaluated by a native kernel, the same differences run in the XLA program
(`jax_derivative`), in float64 there too (with x64 off, in a 64-bit part of the program
whose results are rounded to 32 bits, as the host's are): the refinement is a `lax.while_loop` of one native call per level
(both points stacked) for the whole array while any element still needs it, updating
only those, so the values equal the host's to rounding.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from . import _names, _threads

DEFAULT_STEP = 2.0**-7


class numerical:
    """Mark a partial derivative to be computed numerically on the host.

    Use it as a value of `derivatives=`: the host computes the partial derivative by
    differentiating the host function itself in that argument (central differences with
    Richardson extrapolation, in float64 whatever the input dtype, steps scaled to the
    argument and kept inside the function's domain, one-sided near a boundary), in the
    same host call as the order's other partials. Its own derivatives are numerical too,
    or symbolic where the other partials are formulas, so every order works. Accuracy:
    about 1e-9 relative at first order and 1e-6 at second order for smooth functions.

    Args:
        step: the relative step h / max(1, |x|) (default 2**-7). Smaller steps suit
            functions that vary on scales much shorter than 1 in this argument.
        domain: `(low, high)` bounds of the argument (either may be None); steps never
            leave it: one-sided differences are used within a step of a bound. Without
            it, the domain is found by evaluation (NaN or infinity beyond it).
        kinks: for a piecewise-smooth function, a function of the arguments (float64
            arrays, in parameter order) giving the location of the nearest point where
            the function or a derivative jumps in this argument (NaN where none); no
            stencil crosses it: the step shrinks to fit, or differences are one-sided
            away from it.

    Example:
        ```python
        import jax, scipy.special
        import autocallback as ac

        kv = ac.host_function(scipy.special.kv,
                              derivatives={"v": ac.numerical(),
                                           "z": "-kv(v - 1, z) - v / z * kv(v, z)"})
        jax.grad(kv, argnums=0)(1.5, 2.0)  # dK_v/dv at v = 1.5
        ```
    """

    def __init__(
        self,
        *,
        step: float | None = None,
        domain: tuple[float | None, float | None] | None = None,
        kinks: Callable[..., Any] | None = None,
    ):
        if step is not None and not (isinstance(step, (int, float)) and 0 < step < 1):
            raise ValueError(f"`numerical`: step must be a number in (0, 1), got {step!r}.")
        if domain is not None:
            if not (isinstance(domain, (tuple, list)) and len(domain) == 2):
                raise ValueError(
                    f"`numerical`: domain must be a (low, high) pair (None for no bound), got "
                    f"{domain!r}."
                )
            low, high = domain
            if low is not None and high is not None and not low < high:
                raise ValueError(f"`numerical`: domain needs low < high, got {domain!r}.")
            domain = (low, high)
        if kinks is not None and not callable(kinks):
            raise ValueError(
                f"`numerical`: kinks must be a function of the arguments giving the nearest "
                f"kink of this argument, got {kinks!r}."
            )
        self.step = float(step) if step is not None else DEFAULT_STEP
        self.domain = domain
        self.kinks = kinks

    def __repr__(self) -> str:
        opts = []
        if self.step != DEFAULT_STEP:
            opts.append(f"step={self.step!r}")
        if self.domain is not None:
            opts.append(f"domain={self.domain!r}")
        if self.kinks is not None:
            opts.append(f"kinks={self.kinks!r}")
        return f"numerical({', '.join(opts)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, numerical) and (self.step, self.domain, self.kinks) == (
            other.step,
            other.domain,
            other.kinks,
        )

    def __hash__(self) -> int:
        return hash((numerical, self.step, self.domain, self.kinks))


# --------------------------------------------------------------------------------------
# Finite differences


def _as_float64(v: Any) -> np.ndarray:
    a = np.asarray(v)
    if a.dtype.kind in "fiub":
        return a.astype(np.float64)
    if a.dtype.kind == "c":
        return a.astype(np.complex128)
    return a


def _first(
    host: Callable[..., Any],
    values: Sequence[Any],
    i: int,
    marker: numerical,
    parallel: bool = False,
    rtol: float | None = None,
) -> np.ndarray:
    """d host / d values[i], elementwise over the broadcast of `values` (with `parallel`,
    the stencil's host calls run on several threads: `host` must be thread-safe; `rtol`:
    the refinement target, REFINE_RTOL by default)."""
    vals = [_as_float64(v) for v in values]
    out_shape = np.broadcast_shapes(*(np.shape(v) for v in vals))
    shape = out_shape or (1,)  # one-sided fallbacks index element by element
    vals = [np.broadcast_to(v, shape) for v in vals]
    x = vals[i]
    h = marker.step * np.maximum(1.0, np.abs(x))

    def at(delta: Any, rows: Any = None) -> np.ndarray:
        moved = [v if rows is None else v[rows] for v in vals]
        moved[i] = (x if rows is None else x[rows]) + delta
        with np.errstate(all="ignore"):
            out = np.asarray(host(*moved))
        return out if rows is None else np.broadcast_to(out, moved[i].shape)

    low, high = marker.domain if marker.domain is not None else (None, None)
    # Within a step of a declared bound, the step shrinks to an eighth of the distance
    # (functions vary on that scale near a singular bound); at the bound, one-sided.
    if low is not None:
        h = np.where(np.real(x) - h < low, (np.real(x) - low) / 8, h)
    if high is not None:
        h = np.where(np.real(x) + h > high, (high - np.real(x)) / 8, h)
    inside = h > 0
    h = np.where(inside, h, marker.step * np.maximum(1.0, np.abs(x)))
    # A declared kink within a step: a central stencil up to it where there is room,
    # one-sided away from it otherwise (never across it).
    away = np.zeros(shape)  # +1: forward only, -1: backward only
    if marker.kinks is not None:
        with np.errstate(all="ignore"):
            kink = np.broadcast_to(np.asarray(marker.kinks(*vals), dtype=np.float64), shape)
        dist = np.abs(np.real(x) - kink)
        near = np.isfinite(kink) & (dist < h)
        roomy = near & (dist >= h / 4)
        h = np.where(roomy, 0.9 * dist, h)
        away = np.where(near & ~roomy, np.where(np.real(x) >= kink, 1.0, -1.0), 0.0)
    result = _extrapolated(at, h, parallel, REFINE_RTOL if rtol is None else rtol)
    if result.shape != shape:
        result = np.broadcast_to(result, shape).copy()
    bad = ~np.isfinite(result) | ~inside | (away != 0)
    if bad.any():
        _one_sided(at, result, bad, x, h / 16, low, high, away)
    return result.reshape(out_shape)


# Richardson extrapolation of central differences at h, h/2, h/4, ... (a Neville table
# in h^2, Ridders' method): every element starts with three levels (error O(h^6)); where
# the table's own error estimate is above REFINE_RTOL of the result, the step is halved
# again for that element (up to MAX_LEVELS levels in all, with extrapolation up to
# O(h^8)), keeping the entry whose estimate is smallest. Functions that vary fast in the
# argument (a Bessel function of large order at a small argument, in its order) so get a
# step matched to their scale, and smooth ones cost no more than three levels.
REFINE_RTOL = 1e-11
# The outer differences of a higher-order derivative (of values that are themselves
# numerical, accurate to ~1e-12) aim at the second-order accuracy, 1e-7.
REFINE_RTOL_OUTER = 1e-7
MAX_LEVELS = 8
MAX_COLUMNS = 4


def _extrapolated(
    at: Callable[..., np.ndarray], h: np.ndarray, parallel: bool, rtol: float
) -> np.ndarray:
    steps = [sign * h / 2**k for k in range(3) for sign in (1, -1)]
    if parallel and _threads.worth_parallel_calls(h.size):
        values_at = _threads.run_all([lambda s=s: at(s) for s in steps])
    else:
        values_at = [at(s) for s in steps]
    shape = np.broadcast_shapes(h.shape, *(np.shape(v) for v in values_at))
    row, previous, scale = _first_levels(values_at, h, shape)
    best, error = _estimate(row, previous)
    best, error = best.copy(), error.copy()
    index = np.nonzero(_needs_more(best, error, scale, h / 4, rtol))
    row = [c[index] for c in row]
    for level in range(3, MAX_LEVELS):
        if not index[0].size:
            break
        hk = h[index] / 2**level
        up, down = at(hk, index), at(-hk, index)
        with np.errstate(all="ignore"):
            new = _next_row(row, (up - down) / (2 * hk))
        candidate, estimate = _estimate(new, row)
        # Once the estimate grows, rounding dominates: that element stops.
        better = estimate < error[index]
        best[index] = np.where(better, candidate, best[index])
        error[index] = np.where(better, estimate, error[index])
        still = better & _needs_more(candidate, estimate, scale[index], hk, rtol)
        index = tuple(ix[still] for ix in index)
        row = [c[still] for c in new]
    return best


def _first_levels(
    values_at: Sequence[Any], h: Any, shape: tuple[int, ...], xp: Any = np
) -> tuple[list[Any], list[Any], Any]:
    """The Neville table after the first three levels, from f at x +- h, x +- h/2 and
    x +- h/4 (in that order): (its last row, the row before, the scale of f), broadcast
    to `shape`; `xp` is NumPy on the host, `jax.numpy` in the XLA program."""
    with np.errstate(all="ignore"):
        d = [
            xp.broadcast_to((values_at[2 * k] - values_at[2 * k + 1]) * (2 ** (k - 1) / h), shape)
            for k in range(3)
        ]
        scale = xp.broadcast_to(xp.maximum(xp.abs(values_at[0]), xp.abs(values_at[1])), shape)
    previous, row = [d[0]], [d[0]]
    for k in (1, 2):
        previous, row = row, _next_row(row, d[k])
    return row, previous, scale


def _next_row(row: list[np.ndarray], d: np.ndarray) -> list[np.ndarray]:
    """The Neville table's next row, from the previous one and the new difference."""
    new = [d]
    with np.errstate(all="ignore"):
        for j in range(1, min(len(row), MAX_COLUMNS - 1) + 1):
            f = 4.0**j
            new.append((f * new[j - 1] - row[j - 1]) / (f - 1))
    return new


def _estimate(row: list[Any], previous: list[Any], xp: Any = np) -> tuple[Any, Any]:
    """The row's last entry and its error estimate (its distance to the entries it was
    made from); `xp` is NumPy on the host, `jax.numpy` in the XLA program."""
    j = len(row) - 1
    with np.errstate(all="ignore"):
        err = xp.maximum(xp.abs(row[j] - row[j - 1]), xp.abs(row[j] - previous[j - 1]))
    return xp.asarray(row[j]), xp.where(xp.isfinite(err), err, xp.inf)


def _needs_more(best: Any, error: Any, scale: Any, h: Any, rtol: float, xp: Any = np) -> Any:
    """Elements whose estimate is above the target and above what rounding allows."""
    with np.errstate(all="ignore"):
        rounding = 64 * np.finfo(np.float64).eps * scale / xp.abs(h)
        return xp.isfinite(best) & (error > rtol * xp.abs(best) + rounding)


def _one_sided(
    at: Callable[..., np.ndarray],
    result: np.ndarray,
    bad: np.ndarray,
    x: np.ndarray,
    h: np.ndarray,
    low: float | None,
    high: float | None,
    away: np.ndarray,
) -> None:
    """Second-order one-sided differences with Richardson extrapolation (error O(h^3)),
    forward where the forward stencil stays in the domain, then backward, into `result`;
    only on the side `away` gives, where it gives one (a kink on the other side)."""
    for sign in (1.0, -1.0):
        rows = np.nonzero(bad & (away != -sign))
        if not rows[0].size:
            continue
        hs = sign * h[rows]
        xs = np.real(x[rows])
        ok = np.ones(xs.shape, dtype=bool)
        if sign > 0 and high is not None:
            ok &= xs + 2 * np.abs(hs) <= high
        if sign < 0 and low is not None:
            ok &= xs - 2 * np.abs(hs) >= low
        f0 = at(0.0, rows)
        f1, f2, f4 = at(hs / 2, rows), at(hs, rows), at(2 * hs, rows)
        with np.errstate(all="ignore"):
            coarse = (-3 * f0 + 4 * f2 - f4) / (2 * hs)
            fine = (-3 * f0 + 4 * f1 - f2) / hs
            d = (4 * fine - coarse) / 3
        d = np.broadcast_to(d, xs.shape)
        good = ok & np.isfinite(d)
        target = tuple(r[good] for r in rows)
        result[target] = d[good]
        bad[target] = False
    result[bad] = np.nan


def derivative(
    host: Callable[..., Any],
    values: Sequence[Any],
    index: Sequence[int],
    marker: numerical,
    parallel: bool = False,
) -> np.ndarray:
    """The mixed partial d^k host / d values[index[0]] ... d values[index[-1]]."""
    if len(index) == 1:
        return _first(host, values, index[0], marker, parallel)
    inner = index[1:]
    return _first(
        lambda *v: derivative(host, v, inner, marker),
        values,
        index[0],
        marker,
        parallel,
        REFINE_RTOL_OUTER,
    )


# --------------------------------------------------------------------------------------
# The same differences in the XLA program, for functions evaluated by native kernels


# Whether `numerical()` partials of native functions run as differences in the XLA
# program (`jax_derivative`, the host's algorithm element for element) rather than in the
# fused host call; formula terms, values and Piecewise formulas of native functions run
# in the program either way.
NATIVE_DIFFERENCES = True


def in_double(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (JAX differences around native calls) traced with 64-bit types whatever the
    x64 setting, as the host computes differences in float64 for any input dtype: floating
    arguments are widened, the results narrowed back to 32 bits when x64 is off (JAX's
    `enable_x64` context, inside the traced program: 64-bit values never leave it)."""

    def wrapped(*values: Any) -> Any:
        import jax
        import jax.numpy as jnp

        if jax.config.read("jax_enable_x64"):
            return fn(*values)
        arrays = [jnp.asarray(v) for v in values]
        with jax.enable_x64(True):
            wide = [
                v.astype(jnp.complex128 if jnp.iscomplexobj(v) else jnp.float64)
                if jnp.issubdtype(v.dtype, jnp.inexact)
                else v
                for v in arrays
            ]
            out = fn(*wide)
            return jax.tree.map(
                lambda o: o.astype(jnp.complex64 if jnp.iscomplexobj(o) else jnp.float32), out
            )

    return wrapped


def _stacked(f: Callable[..., Any], vals: Sequence[Any], i: int, points: Any) -> Any:
    """f at `points` (stacked on a new first axis) in argument i, the other arguments
    broadcast: one call of f for every point of a stencil."""
    import jax.numpy as jnp

    n = points.shape[0]
    moved = [jnp.broadcast_to(v, (n, *points.shape[1:])) for v in vals]
    moved[i] = points
    return f(*moved)


def jax_derivative(
    f: Callable[..., Any], values: Sequence[Any], index: Sequence[int], marker: numerical
) -> Any:
    """`derivative` computed with JAX operations around calls of `f` (a JAX-traceable
    function, here one evaluated by a native kernel): the same stencil, steps and
    one-sided fallbacks, each order's stencil in one call of f."""
    if len(index) == 1:
        return _jax_first(f, values, index[0], marker)
    inner = index[1:]
    return _jax_first(
        lambda *v: jax_derivative(f, v, inner, marker),
        values,
        index[0],
        marker,
        REFINE_RTOL_OUTER,
    )


def _jax_first(
    f: Callable[..., Any],
    values: Sequence[Any],
    i: int,
    marker: numerical,
    rtol: float | None = None,
) -> Any:
    """`_first` in JAX operations: the same steps, refinement, kinks and one-sided
    fallbacks, element for element, so that the results equal the host's."""
    import jax
    import jax.numpy as jnp

    rtol = REFINE_RTOL if rtol is None else rtol
    vals = [jnp.asarray(v) for v in values]
    shape = jnp.broadcast_shapes(*(v.shape for v in vals))
    vals = [jax.lax.stop_gradient(jnp.broadcast_to(v, shape)) for v in vals]
    x = vals[i]
    real = jnp.real(x)
    h = marker.step * jnp.maximum(1.0, jnp.abs(x))
    low, high = marker.domain if marker.domain is not None else (None, None)
    if low is not None:
        h = jnp.where(real - h < low, (real - low) / 8, h)
    if high is not None:
        h = jnp.where(real + h > high, (high - real) / 8, h)
    inside = h > 0
    h = jnp.where(inside, h, marker.step * jnp.maximum(1.0, jnp.abs(x))).astype(real.dtype)
    away = jnp.zeros(shape, real.dtype)
    if marker.kinks is not None:
        kink = jnp.broadcast_to(jnp.asarray(marker.kinks(*vals), dtype=real.dtype), shape)
        dist = jnp.abs(real - kink)
        near = jnp.isfinite(kink) & (dist < h)
        roomy = near & (dist >= h / 4)
        h = jnp.where(roomy, 0.9 * dist, h)
        away = jnp.where(near & ~roomy, jnp.where(real >= kink, 1.0, -1.0), 0.0)
    result = _jax_extrapolated(f, vals, i, h, rtol)
    bad = ~jnp.isfinite(result) | ~inside | (away != 0)

    def one_sided(central: Any) -> Any:
        # `_one_sided`: forward where the stencil stays in the domain (and no kink is
        # ahead), else backward (no kink behind), else NaN.
        hs = h / 16
        points = jnp.stack([jnp.zeros_like(hs), hs / 2, hs, 2 * hs, -hs / 2, -hs, -2 * hs])
        g = _stacked(f, vals, i, x[None] + points)
        out = jnp.full(central.shape, jnp.nan, central.dtype)
        done = ~bad
        for sign, (a, b, c) in ((1.0, (1, 2, 3)), (-1.0, (4, 5, 6))):
            step = sign * hs
            coarse = (-3 * g[0] + 4 * g[b] - g[c]) / (2 * step)
            fine = (-3 * g[0] + 4 * g[a] - g[b]) / step
            estimate = (4 * fine - coarse) / 3
            ok = away != -sign
            if sign > 0 and high is not None:
                ok &= real + 2 * hs <= high
            if sign < 0 and low is not None:
                ok &= real - 2 * hs >= low
            good = ~done & ok & jnp.isfinite(estimate)
            out = jnp.where(good, estimate, out)
            done |= good
        return jnp.where(bad, out, central).astype(central.dtype)

    # Only evaluated where needed (a branch, not a select, outside vmap).
    return jax.lax.cond(jnp.any(bad), one_sided, lambda central: central, result)


def _jax_extrapolated(
    f: Callable[..., Any], vals: Sequence[Any], i: int, h: Any, rtol: float
) -> Any:
    """`_extrapolated` in JAX operations: the three levels for every element in one call
    of f, then a loop over further levels, one call of f (the two points stacked) per
    level for the whole array, while any element still needs one; only those change."""
    import jax
    import jax.numpy as jnp

    x = vals[i]
    steps = jnp.stack([sign * h / 2**k for k in range(3) for sign in (1, -1)])
    values_at = _stacked(f, vals, i, x[None] + steps)
    row, previous, scale = _first_levels(values_at, h, values_at.shape[1:], jnp)
    best, error = _estimate(row, previous, jnp)
    active = _needs_more(best, error, scale, h / 4, rtol, jnp)

    def more(state: tuple[Any, ...]) -> Any:
        level, active = state[0], state[1]
        return (level < MAX_LEVELS) & jnp.any(active)

    def level_step(state: tuple[Any, ...]) -> tuple[Any, ...]:
        level, active, best, error, *row = state
        hk = h / 2.0**level
        pair = _stacked(f, vals, i, x[None] + jnp.stack([hk, -hk]))
        new = _next_row(row, (pair[0] - pair[1]) / (2 * hk))
        candidate, estimate = _estimate(new, row, jnp)
        # Once the estimate grows, rounding dominates: that element stops.
        better = active & (estimate < error)
        best = jnp.where(better, candidate, best)
        error = jnp.where(better, estimate, error)
        still = better & _needs_more(candidate, estimate, scale, hk, rtol, jnp)
        return (level + 1, still, best, error, *new[: MAX_COLUMNS - 1])

    # The table keeps its first MAX_COLUMNS - 1 columns (all the next row uses).
    state = (jnp.asarray(3, jnp.int32), active, best, error, *row[: MAX_COLUMNS - 1])
    return jax.lax.while_loop(more, level_step, state)[2]


# --------------------------------------------------------------------------------------
# As SymPy functions


class NumericalPartials:
    """The SymPy function classes of one host function's numerical partials.

    `hosts[k](*values)` evaluates output `k` of the host function on values in parameter
    order; `partial_of(param, k)` gives the partial of output k in `param` as an
    expression of `symbols` (zero for a non-differentiable argument; None where it is
    numerical or a callable, so the mixed derivative is computed numerically; False where
    there is none).
    """

    def __init__(
        self,
        name: str,
        params: Sequence[str],
        symbols: Sequence[Any],
        hosts: Sequence[Callable[..., Any]],
        markers: Mapping[str, numerical],
        partial_of: Callable[[str, int], Any],
        thread_safe: bool,
        jax_hosts: Sequence[Callable[..., Any]] | None = None,
        native: Callable[[], bool] | None = None,
    ):
        self.name = name
        self.params = tuple(params)
        self.symbols = tuple(symbols)
        self.hosts = list(hosts)
        self.markers = markers
        self.partial_of = partial_of
        self.thread_safe = thread_safe
        # JAX evaluators of the outputs, and whether they run natively: the differences
        # then run in the XLA program (in float64, as the host's, whatever the x64 mode).
        self.jax_hosts = list(jax_hosts) if jax_hosts is not None else None
        self.native = native
        self._classes: dict[tuple[int, tuple[int, ...]], Any] = {}
        self._lock = threading.Lock()

    def call(self, k: int, param: str, args: Sequence[Any]) -> Any:
        """d(output k)/d(param) at `args`, as a SymPy expression."""
        return self.cls(k, (self.params.index(param),))(*args)

    def cls(self, k: int, index: tuple[int, ...]) -> Any:
        index = tuple(sorted(index))
        key = (k, index)
        with self._lock:
            found = self._classes.get(key)
        if found is not None:
            return found
        # Mixed partials in arguments with different options use the first one's.
        marker = self.markers[self.params[index[0]]]
        host = self.hosts[k]

        parallel = self.thread_safe

        def impl(*values: Any) -> Any:
            return derivative(host, values, index, marker, parallel)

        impl.thread_safe = self.thread_safe  # type: ignore[attr-defined]
        jax_impl: Callable[..., Any] | None = None
        native: Callable[[], bool] | None = None
        if NATIVE_DIFFERENCES and self.jax_hosts is not None and self.native is not None:
            fjax, owner_native = self.jax_hosts[k], self.native

            @in_double
            def differences(*values: Any) -> Any:
                return jax_derivative(fjax, values, index, marker)

            nargs = len(self.params)

            def in_program() -> bool:
                return owner_native() and _kinks_traceable(marker, nargs)

            jax_impl, native = differences, in_program

        suffix = "_".join(self.params[i] for i in index)
        made = _names.function_class(
            f"{_identifier(self.name)}_d_{suffix}" + (f"_out{k}" if len(self.hosts) > 1 else ""),
            host=impl,
            jax=jax_impl,
            fdiff=lambda node, j: self._fdiff(k, index, node, j),
            nargs=len(self.params),
            native=native,
        )
        # Differentiated by SymPy (through `fdiff`), never by JAX through the differences.
        made._ac_symbolic = True
        with self._lock:
            return self._classes.setdefault(key, made)

    def _fdiff(self, k: int, index: tuple[int, ...], node: Any, argindex: int) -> Any:
        param = self.params[argindex - 1]
        symbolic = self.partial_of(param, k)
        if symbolic is False:
            return None  # not differentiable there: SymPy leaves a Derivative
        if symbolic is None:  # numerical (or a callable): a mixed numerical derivative
            return self.cls(k, (*index, argindex - 1))(*node.args)
        # d/dx_j of d^index f = d^index of df/dx_j: differentiate the formula.
        result = symbolic
        for i in index:
            result = result.diff(self.symbols[i])
        return result.xreplace(dict(zip(self.symbols, node.args, strict=True)))


def _kinks_traceable(marker: numerical, nargs: int) -> bool:
    """Whether the marker's `kinks` (if any) is a JAX-traceable function, so that the
    differences can run in the XLA program; a NumPy-only one keeps them on the host."""
    if marker.kinks is None:
        return True
    key = (marker.kinks, nargs)
    found = _TRACEABLE.get(key)
    if found is None:
        import jax

        arg = jax.ShapeDtypeStruct((), np.float32)
        try:
            jax.eval_shape(marker.kinks, *([arg] * nargs))
            found = True
        except Exception:
            found = False
        _TRACEABLE[key] = found
    return found


_TRACEABLE: dict[tuple[Any, int], bool] = {}


def _identifier(name: str) -> str:
    text = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return text if text and not text[0].isdigit() else f"f_{text}"
