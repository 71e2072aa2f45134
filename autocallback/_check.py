"""`check`: verify a decorated function's values, transformations and derivatives."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._host_function import HostFunction

__all__ = ["CheckResult", "check"]


@dataclasses.dataclass
class CheckResult:
    """What `check` verified for one function at one set of arguments.

    Attributes:
        name: the function's name.
        jit: eager and `jax.jit` agree.
        vmap: `jax.vmap` over a batch of two agrees with eager calls.
        grad: first-order forward and reverse derivatives match finite differences, for
            every differentiable argument (None when no argument has a derivative).
        higher: derivatives of order 2..`order` match (None when not checked).
        max_rel_error: worst relative error seen: values against the raw host function,
            jit and vmap against eager, first derivatives against central differences.
        differentiated: the arguments whose derivatives were checked.
    """

    name: str
    jit: bool = True
    vmap: bool = True
    grad: bool | None = None
    higher: bool | None = None
    max_rel_error: float = 0.0
    differentiated: tuple[str, ...] = ()


def _fail(name: str, what: str, detail: str) -> AssertionError:
    return AssertionError(f"check of `{name}` failed: {what}: {detail}")


def _rel_error(a: Any, b: Any) -> float:
    a = np.asarray(a, dtype=np.complex128)
    b = np.asarray(b, dtype=np.complex128)
    a, b = np.broadcast_arrays(a, b)
    both_nan = np.isnan(a) & np.isnan(b)
    same_inf = np.isinf(a) & (a == b)
    ok = both_nan | same_inf
    if a.size == 0 or ok.all():
        return 0.0
    if (
        np.isnan(a[~ok]).any()
        or np.isnan(b[~ok]).any()
        or np.isinf(a[~ok]).any()
        or np.isinf(b[~ok]).any()
    ):
        return float("inf")
    err = np.abs(a[~ok] - b[~ok]) / np.maximum(np.abs(b[~ok]), 1e-300)
    small = np.abs(b[~ok]) < 1e-8
    if small.any():  # near zero, compare absolutely
        err = np.where(small, np.abs(a[~ok] - b[~ok]), err)
    return float(np.max(err))


def _leaves(x: Any) -> list[Any]:
    return jax.tree.leaves(x)


def check(
    fn: Any,
    *args: Any,
    order: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    **kwargs: Any,
) -> CheckResult:
    """Verify a decorated function at the given arguments.

    Checks that eager, `jax.jit` and `jax.vmap` calls agree; that the host output matches
    the declared shapes and dtypes (and the raw host function's values); and that forward
    and reverse derivatives of every argument that has one match finite differences, for
    every order up to `order`. Derivatives are checked in float64.

    Args:
        fn: a function decorated with `host_function`.
        *args: its arguments (static ones included), as for a call.
        order: highest derivative order to check (0 skips derivatives).
        rtol: relative tolerance (default: 1e-5 for values in float64, JAX's gradient
            tolerance for derivatives).
        atol: absolute tolerance (default: `rtol`).
        **kwargs: keyword arguments of the call.

    Returns:
        A `CheckResult` summarising what was verified.

    Raises:
        AssertionError: a check failed; the message names the function, the check, the
            argument, the order and the error found.
        TypeError: `fn` is not a decorated host function.

    Example:
        ```python
        import scipy.special, autocallback as ac

        jv = ac.host_function(scipy.special.jv,
                              derivatives={"v": None, "z": "jv(v - 1, z) - v / z * jv(v, z)"})
        ac.check(jv, 1.5, 0.7)
        ```
    """
    if not isinstance(fn, HostFunction):
        raise TypeError(
            f"`check` verifies functions decorated with `host_function`, got {type(fn).__name__}."
        )
    name = fn.name
    if order < 0:
        raise ValueError(f"`check`: order must be >= 0, got {order}.")
    with jax.enable_x64(True):
        return _check(fn, name, args, kwargs, order, rtol, atol)


def _check(
    fn: Any,
    name: str,
    args: Sequence[Any],
    kwargs: dict[str, Any],
    order: int,
    rtol: float | None,
    atol: float | None,
) -> CheckResult:
    params = fn._params
    try:
        static_items, dyn_values = params.bind(args, kwargs)
    except TypeError as e:
        raise TypeError(f"`check` of `{name}`: {e}") from None
    static = dict(static_items)
    dyn_names = list(fn.parameters)
    dyn = [jnp.asarray(v) for v in dyn_values]
    vtol = 1e-5 if rtol is None else rtol
    vatol = vtol if atol is None else atol

    def call(*d: Any) -> Any:
        return params.call(fn, static, d)

    result = CheckResult(name=name)

    def record(what: str, got: Any, want: Any, tol: float, atol_: float) -> None:
        for g, w in zip(_leaves(got), _leaves(want), strict=True):
            err = _rel_error(g, w)
            result.max_rel_error = max(result.max_rel_error, err)
            g_, w_ = np.asarray(g), np.asarray(w)
            if g_.shape != w_.shape:
                raise _fail(name, what, f"shape {g_.shape} differs from {w_.shape}")
            if not np.allclose(g_, w_, rtol=tol, atol=atol_, equal_nan=True):
                raise _fail(name, what, f"relative error {err:.3g} exceeds rtol={tol:g}")

    eager = call(*dyn)
    # Declared shapes and dtypes against the raw host function.
    expected = jax.eval_shape(call, *dyn)
    for e, s in zip(_leaves(eager), _leaves(expected), strict=True):
        if e.shape != s.shape or e.dtype != s.dtype:
            raise _fail(
                name, "declared output", f"got {e.shape} {e.dtype}, declared {s.shape} {s.dtype}"
            )
    outputs = fn._outputs
    try:
        raw = outputs.call_host(static, [np.asarray(d) for d in dyn])
        if outputs.nout:
            record("host values", eager, raw if outputs.multi else [raw], vtol, vatol)
    except AssertionError:
        raise
    except Exception:
        pass  # host functions written for core dimensions only, etc.

    # jit, and vmap over a batch of two identical copies of every argument (under the same
    # jit: one compiled program).
    def jit_and_vmap(*d: Any) -> tuple[Any, Any]:
        return call(*d), jax.vmap(call)(*[jnp.stack([x, x]) for x in d]) if d else None

    jitted, vm = jax.jit(jit_and_vmap)(*dyn)
    record("jit", jitted, eager, vtol, vatol)
    if dyn:
        for v, e in zip(_leaves(vm), _leaves(eager), strict=True):
            record("vmap", v[0], e, vtol, vatol)
            record("vmap", v[1], e, vtol, vatol)

    if order == 0:
        return result
    differentiable = []
    for i, p in enumerate(dyn_names):
        if not jnp.issubdtype(dyn[i].dtype, jnp.inexact):
            continue
        if fn._rule is not None and fn._rule.differentiable(p):
            differentiable.append(i)
    result.differentiated = tuple(dyn_names[i] for i in differentiable)
    if not differentiable:
        return result
    grad_rtol = _GRAD_TOL if rtol is None else rtol
    grad_atol = grad_rtol if atol is None else atol

    def run(indices: Sequence[int]) -> tuple[float, list[tuple[str, int, Any, Any]]]:
        def g(*xs: Any) -> Any:
            d = list(dyn)
            for i, x in zip(indices, xs, strict=True):
                d[i] = x
            return call(*d)

        return _derivative_checks(g, tuple(dyn[i] for i in indices), order)

    # Every derivative check of every order, in all differentiable arguments at once
    # (mixed partials included), runs as one compiled program. Only on a failure is each
    # argument checked alone, to name it.
    err, checks = run(differentiable)
    result.max_rel_error = max(result.max_rel_error, err)
    failed = _first_failure(checks, grad_rtol, grad_atol)
    if failed is not None:
        for i in differentiable:
            alone = _first_failure(run([i])[1], grad_rtol, grad_atol)
            if alone is not None:
                label, k, detail = alone
                raise _fail(
                    name,
                    f"derivative of order {k} with respect to '{dyn_names[i]}' "
                    f"({label} against finite differences)",
                    detail,
                )
        label, k, detail = failed
        names = ", ".join(f"'{dyn_names[i]}'" for i in differentiable)
        raise _fail(
            name,
            f"mixed derivative of order {k} with respect to {names} "
            f"({label} against finite differences)",
            detail,
        )
    result.grad = True
    if order >= 2:
        result.higher = True
    return result


# As `jax.test_util.check_grads` (whose checks `_derivative_checks` reproduces): the
# tolerance for float64 derivatives against central differences of step 1e-4.
_GRAD_TOL = 1e-5
_EPS = 1e-4


def _random_like(rng: np.random.RandomState, x: Any) -> np.ndarray:
    """A random direction for `x`: one random number for all its elements, so that a
    batch of points is checked exactly as each point alone would be (with the tangents
    `check_grads` draws for a scalar)."""
    shape, dtype = np.shape(x), np.dtype(jnp.result_type(x))
    value = rng.randn()
    if np.issubdtype(dtype, np.complexfloating):
        value = value + 1j * rng.randn()
    return np.full(shape, value, dtype=dtype)


def _shift(xs: Any, ts: Any, scale: float) -> Any:
    return jax.tree.map(lambda x, t: x + scale * t, xs, ts)


def _central(f: Any, xs: Any, ts: Any, eps: float) -> Any:
    """Central difference of f along ts (inf - inf taken as 0, as check_grads does)."""
    up, down = f(*_shift(xs, ts, eps)), f(*_shift(xs, ts, -eps))
    return jax.tree.map(lambda a, b: jnp.where(a == b, 0, a - b) / (2 * eps), up, down)


def _inner(xs: Any, ys: Any) -> Any:
    parts = jax.tree.map(lambda x, y: jnp.real(jnp.vdot(x, y)), xs, ys)
    return sum(jax.tree.leaves(parts))


def _derivative_checks(
    g: Any, xs: tuple[Any, ...], order: int
) -> tuple[float, list[tuple[str, int, Any, Any]]]:
    """The checks of `jax.test_util.check_grads(g, xs, order, modes=("fwd", "rev"))`,
    computed in one `jax.jit` program: (worst relative error of first derivatives, one
    per argument, against central differences; [(label, order, got, want)])."""
    labels: list[tuple[str, int]] = []

    def level(f: Any, args: tuple[Any, ...], k: int, what: str, out: list[Any]) -> None:
        # Forward: jvp along a random tangent against central differences.
        rng = np.random.RandomState(0)
        ts = jax.tree.map(lambda x: _random_like(rng, x), args)
        jvp_what = f"JVP of {what}" if what else "JVP"
        _, tangent = jax.jvp(f, args, ts)
        labels.append((f"{jvp_what} tangent", order - k + 1))
        out.append((tangent, _central(f, args, ts, _EPS)))
        if k > 1:
            level(lambda p, t: jax.jvp(f, p, t), (args, args), k - 1, jvp_what, out)
        # Reverse: the cotangent projection <t, vjp(c)> against <central difference, c>.
        rng = np.random.RandomState(0)
        ts = jax.tree.map(lambda x: _random_like(rng, x), args)
        primal, vjp = jax.vjp(f, *args)
        cs = jax.tree.map(lambda x: _random_like(rng, x), primal)
        back = vjp(jax.tree.map(jnp.conj, cs))
        vjp_what = f"VJP of {what}" if what else "VJP"
        labels.append((f"{vjp_what} cotangent projection", order - k + 1))
        out.append(
            (
                _inner(ts, jax.tree.map(jnp.conj, back)),
                _inner(_central(f, args, ts, _EPS), cs),
            )
        )
        if k > 1:

            def f_vjp(*a: Any) -> Any:
                p, v = jax.vjp(f, *a)
                return v(p)

            level(f_vjp, args, k - 1, vjp_what, out)

    def program(*xs: Any) -> tuple[list[Any], list[Any]]:
        out: list[Any] = []
        level(g, xs, order, "", out)
        # The error figure: each argument's derivative along a step scaled to it.
        figure = []
        for i, x in enumerate(xs):
            step = 1e-6 * jnp.maximum(1.0, jnp.max(jnp.abs(x)))
            ts = tuple(jnp.where(j == i, step, 0.0) * jnp.ones_like(y) for j, y in enumerate(xs))
            _, tangent = jax.jvp(g, xs, ts)
            figure.append((tangent, _central(g, xs, ts, 1.0)))
        return out, figure

    out, figure = jax.jit(program)(*xs)
    err = 0.0
    for tangent, fd in figure:
        for t, f in zip(_leaves(tangent), _leaves(fd), strict=True):
            err = max(err, _rel_error(t, f))
    checks = [(label, k, got, want) for (label, k), (got, want) in zip(labels, out, strict=True)]
    return err, checks


def _first_failure(
    checks: list[tuple[str, int, Any, Any]], rtol: float, atol: float
) -> tuple[str, int, str] | None:
    """(label, order, detail) of the first check whose values differ, or None."""
    for label, k, got, want in checks:
        for a, b in zip(_leaves(got), _leaves(want), strict=True):
            a, b = np.asarray(a), np.asarray(b)
            try:
                np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
            except AssertionError as e:
                return label, k, _mismatch(e)
    return None


def _mismatch(e: AssertionError) -> str:
    """The lines of an `assert_allclose` failure that say what differs, and by how much."""
    msg = [m.strip() for m in str(e).strip().splitlines() if m.strip()]
    keep = [m for m in msg if "ismatch" in m or m.startswith(("Max relative", "Max absolute"))]
    return "; ".join(keep) if keep else (msg[0] if msg else "")
