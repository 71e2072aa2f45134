"""`check`: verify a decorated function's values, transformations and derivatives."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.test_util import check_grads

from ._host_function import HostFunction
from ._rules import UserRule

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
        transpose: with both `jvp=` and `vjp=`, the reverse rule is the transpose of the
            forward one (a dot-product test; None when not checked).
        max_rel_error: worst relative error seen: values against the raw host function,
            jit and vmap against eager, first derivatives against central differences.
        differentiated: the arguments whose derivatives were checked.
    """

    name: str
    jit: bool = True
    vmap: bool = True
    grad: bool | None = None
    higher: bool | None = None
    transpose: bool | None = None
    max_rel_error: float = 0.0
    differentiated: tuple[str, ...] = ()


def _fail(name: str, what: str, detail: str) -> AssertionError:
    return AssertionError(f"check of `{name}` failed: {what}: {detail}")


class _Stage:
    """The check under way, for the message when something other than a comparison
    fails (the host raising, a declared output not matching, ...)."""

    now: str | None = None


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
    every order up to `order` (reverse only for a function with `vjp=` alone). With both
    `jvp=` and `vjp=`, a dot-product test also checks that the reverse rule is the
    transpose of the forward one: <vjp(ct), t> = <ct, jvp(t)> for random `t` and `ct`.
    Derivatives are checked in float64.

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
        AssertionError: a check failed (exceptions raised on the host and host outputs
            that do not match the declaration included); the message names the function,
            the check, the argument, the order and the error found.
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
    stage = _Stage()
    try:
        with jax.enable_x64(True):
            return _check(fn, name, args, kwargs, order, rtol, atol, stage)
    except AssertionError:
        raise
    except Exception as e:
        if stage.now is None:
            raise
        raise _fail(name, stage.now, f"{type(e).__name__}: {e}") from e


def _check(
    fn: Any,
    name: str,
    args: Sequence[Any],
    kwargs: dict[str, Any],
    order: int,
    rtol: float | None,
    atol: float | None,
    stage: _Stage,
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

    stage.now = "eager call"
    eager = call(*dyn)
    stage.now = "declared output"
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
    stage.now = "jit"
    record("jit", jax.jit(call)(*dyn), eager, vtol, vatol)
    stage.now = "vmap"
    # vmap over a batch of two identical copies of every argument.
    batched = [jnp.stack([d, d]) for d in dyn]
    vm = jax.vmap(call)(*batched) if dyn else eager
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
    rule = fn._rule
    user = rule if isinstance(rule, UserRule) else None
    forward = user is None or user.jvp is not None
    modes = ("fwd", "rev") if forward else ("rev",)
    described = "forward and reverse" if forward else "reverse"
    for i in differentiable:

        def g(x: Any, i: int = i) -> Any:
            d = list(dyn)
            d[i] = x
            return call(*d)

        x = dyn[i]
        stage.now = f"derivative with respect to '{dyn_names[i]}'"
        # First order against central differences, for the error figure.
        eps = 1e-6 * max(1.0, float(np.max(np.abs(np.asarray(x)))) if np.size(x) else 1.0)
        fd = jax.tree.map(lambda a, b, eps=eps: (a - b) / (2 * eps), g(x + eps), g(x - eps))
        if forward:
            _, tan = jax.jvp(g, (x,), (jnp.ones_like(x),))
            for t, f in zip(_leaves(tan), _leaves(fd), strict=True):
                err = _rel_error(t, f)
                result.max_rel_error = max(result.max_rel_error, err)
        else:
            # Reverse only: <vjp(ones), ones> against the sum of the differences.
            out, pullback = jax.vjp(g, x)
            (ct,) = pullback(jax.tree.map(_ones_cotangent, out))
            got = np.sum(np.asarray(ct))
            want = sum(np.sum(np.asarray(f)) for f in _leaves(fd) if _inexact(f))
            result.max_rel_error = max(result.max_rel_error, _rel_error(got, want))
        if user is not None and user.jvp is not None and user.vjp is not None:
            _dot_product_test(name, g, x, dyn_names[i], rtol)
            result.transpose = True
        for k in range(1, order + 1):
            stage.now = f"derivative of order {k} with respect to '{dyn_names[i]}'"
            try:
                check_grads(g, (x,), order=k, modes=modes, rtol=rtol, atol=atol)
            except AssertionError as e:
                msg = str(e).strip().splitlines()
                detail = next(
                    (m for m in msg if "Mismatch" in m or "mismatch" in m), msg[0] if msg else ""
                )
                raise _fail(
                    name,
                    f"derivative of order {k} with respect to '{dyn_names[i]}' ({described} against finite differences)",
                    detail,
                ) from None
        if order >= 1:
            result.grad = True
        if order >= 2:
            result.higher = True
    return result


def _inexact(x: Any) -> bool:
    return jnp.issubdtype(jnp.result_type(x), jnp.inexact)


def _ones_cotangent(x: Any) -> Any:
    if _inexact(x):
        return jnp.ones_like(x)
    return np.zeros(np.shape(x), jax.dtypes.float0)


def _random_like(rng: np.random.Generator, x: Any) -> Any:
    x = np.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.inexact):
        return np.zeros(x.shape, jax.dtypes.float0)
    r = rng.standard_normal(x.shape)
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        r = r + 1j * rng.standard_normal(x.shape)
    return jnp.asarray(r, x.dtype)


def _dot_product_test(name: str, g: Any, x: Any, arg: str, rtol: float | None) -> None:
    """<vjp(ct), t> = <ct, jvp(t)> for random `t` and `ct`: `vjp=` transposes `jvp=`."""
    rng = np.random.default_rng(0)
    t = _random_like(rng, x)
    out, tan = jax.jvp(g, (x,), (t,))
    ct = jax.tree.map(lambda o: _random_like(rng, o), out)
    (back,) = jax.vjp(g, x)[1](ct)
    pairs = [(c, j) for c, j in zip(_leaves(ct), _leaves(tan), strict=True) if _inexact(j)]
    forward = complex(sum(np.sum(np.asarray(c) * np.asarray(j)) for c, j in pairs))
    reverse = complex(np.sum(np.asarray(back) * np.asarray(t)))
    scale = float(
        np.sqrt(sum(np.sum(np.abs(np.asarray(c)) ** 2) for c, _ in pairs))
        * np.sqrt(sum(np.sum(np.abs(np.asarray(j)) ** 2) for _, j in pairs))
    )
    err = abs(forward - reverse) / max(scale, 1e-300)
    double = jnp.result_type(x) in (jnp.float64, jnp.complex128)
    tol = (1e-6 if double else 1e-3) if rtol is None else rtol
    if err > tol:
        raise _fail(
            name,
            f"transpose of order 1 with respect to '{arg}' (dot-product test of vjp= against jvp=)",
            f"<ct, jvp(t)> = {_show(forward)} but <vjp(ct), t> = {_show(reverse)}: relative "
            f"error {err:.3g} exceeds rtol={tol:g}",
        )


def _show(z: complex) -> str:
    return f"{z.real:.6g}" if z.imag == 0 else f"{z:.6g}"
