"""`check`: verify a decorated function's values, transformations and derivatives."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._internal import HostFunction, Internals, internals


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
    fn: HostFunction[Any],
    name: str,
    args: Sequence[Any],
    kwargs: dict[str, Any],
    order: int,
    rtol: float | None,
    atol: float | None,
    stage: _Stage,
) -> CheckResult:
    view = internals(fn)
    try:
        static_items, dyn_values = view.parameters.bind(args, kwargs)
    except TypeError as e:
        raise TypeError(f"`check` of `{name}`: {e}") from None
    run = _Run(fn, view, dict(static_items), [jnp.asarray(v) for v in dyn_values], stage)
    run.values(1e-5 if rtol is None else rtol, atol)
    if order > 0:
        run.derivatives(order, rtol, atol)
    return run.result


class _Run:
    """One `check` of one function at one set of arguments."""

    def __init__(
        self,
        fn: HostFunction[Any],
        view: Internals,
        static: dict[str, Any],
        dyn: list[Any],
        stage: _Stage,
    ):
        self.fn, self.view, self.static, self.dyn, self.stage = fn, view, static, dyn, stage
        self.name = fn.name
        self.dyn_names = list(fn.parameters)
        self.result = CheckResult(name=fn.name)

    def call(self, *d: Any) -> Any:
        return self.view.parameters.call(self.fn, self.static, d)

    def with_args(self, indices: Sequence[int]) -> Any:
        """The function of the arguments at `indices`, the others fixed."""

        def g(*xs: Any) -> Any:
            d = list(self.dyn)
            for i, x in zip(indices, xs, strict=True):
                d[i] = x
            return self.call(*d)

        return g

    def record(self, what: str, got: Any, want: Any, tol: float, atol: float) -> None:
        for g, w in zip(_leaves(got), _leaves(want), strict=True):
            err = _rel_error(g, w)
            self.result.max_rel_error = max(self.result.max_rel_error, err)
            g_, w_ = np.asarray(g), np.asarray(w)
            if g_.shape != w_.shape:
                raise _fail(self.name, what, f"shape {g_.shape} differs from {w_.shape}")
            if not np.allclose(g_, w_, rtol=tol, atol=atol, equal_nan=True):
                raise _fail(self.name, what, f"relative error {err:.3g} exceeds rtol={tol:g}")

    def values(self, vtol: float, atol: float | None) -> None:
        """Eager values against the declaration and the raw host function; jit and vmap."""
        name, dyn, stage, call = self.name, self.dyn, self.stage, self.call
        vatol = vtol if atol is None else atol
        stage.now = "eager call"
        eager = call(*dyn)
        stage.now = "declared output"
        # Declared shapes and dtypes against the raw host function.
        expected = jax.eval_shape(call, *dyn)
        for e, s in zip(_leaves(eager), _leaves(expected), strict=True):
            if e.shape != s.shape or e.dtype != s.dtype:
                raise _fail(
                    name,
                    "declared output",
                    f"got {e.shape} {e.dtype}, declared {s.shape} {s.dtype}",
                )
        outputs = self.view.outputs
        try:
            raw = outputs.evaluate(self.static, [np.asarray(d) for d in dyn])
            if outputs.nout:
                self.record("host values", eager, raw if outputs.multi else [raw], vtol, vatol)
        except AssertionError:
            raise
        except Exception:
            pass  # host functions written for core dimensions only, etc.
        stage.now = "jit and vmap"

        # jit, and vmap over a batch of two identical copies of every argument (under the
        # same jit: one compiled program).
        def jit_and_vmap(*d: Any) -> tuple[Any, Any]:
            return call(*d), jax.vmap(call)(*[jnp.stack([x, x]) for x in d]) if d else None

        jitted, vm = jax.jit(jit_and_vmap)(*dyn)
        self.record("jit", jitted, eager, vtol, vatol)
        if dyn:
            for v, e in zip(_leaves(vm), _leaves(eager), strict=True):
                self.record("vmap", v[0], e, vtol, vatol)
                self.record("vmap", v[1], e, vtol, vatol)

    def derivatives(self, order: int, rtol: float | None, atol: float | None) -> None:
        """Derivatives of every order up to `order` against finite differences."""
        rule, dyn, dyn_names, stage = self.view.rule, self.dyn, self.dyn_names, self.stage
        differentiable = [
            i
            for i, p in enumerate(dyn_names)
            if jnp.issubdtype(dyn[i].dtype, jnp.inexact)
            and rule is not None
            and rule.differentiable(p)
        ]
        self.result.differentiated = tuple(dyn_names[i] for i in differentiable)
        if not differentiable or rule is None:
            return
        modes = ("fwd", "rev") if rule.forward else ("rev",)
        if rule.transposes_user_jvp:
            for i in differentiable:
                stage.now = f"transpose with respect to '{dyn_names[i]}'"
                _dot_product_test(self.name, self.with_args([i]), dyn[i], dyn_names[i], rtol)
            self.result.transpose = True
        # Elementwise functions get one random direction per argument (every point of a
        # batch checked as it would be alone); others one random number per element.
        uniform = self.view.outputs.elementwise

        def run(indices: Sequence[int], k: int = order) -> tuple[float, list[Any]]:
            args = tuple(dyn[i] for i in indices)
            return _derivative_checks(self.with_args(indices), args, k, modes, uniform)

        # Every derivative check of every order, in all differentiable arguments at once
        # (mixed partials included), runs as one compiled program. Only on a failure is
        # each argument checked alone, to name it.
        stage.now = "derivatives"
        try:
            err, checks = run(differentiable)
        except Exception:
            # An error while building or running the program (a host function that
            # raises, a derivative that cannot be formed at some order): find the first
            # argument and order it comes from, one at a time, and let it propagate.
            for i in differentiable:
                for k in range(1, order + 1):
                    stage.now = f"derivative of order {k} with respect to '{dyn_names[i]}'"
                    run([i], k)
            raise
        self.result.max_rel_error = max(self.result.max_rel_error, err)
        failed = _first_failure(checks, rtol, atol, uniform)
        if failed is not None:
            self._name_failure(differentiable, failed, run, rtol, atol, uniform, modes)
        self.result.grad = True
        if order >= 2:
            self.result.higher = True

    def _name_failure(
        self,
        differentiable: Sequence[int],
        failed: tuple[str, int, str],
        run: Any,
        rtol: float | None,
        atol: float | None,
        uniform: bool,
        modes: Sequence[str],
    ) -> None:
        """Raise the failure, naming the argument (each checked alone) where one fails."""
        dyn_names = self.dyn_names
        described = "forward and reverse" if "fwd" in modes else "reverse"
        for i in differentiable:
            self.stage.now = f"derivative with respect to '{dyn_names[i]}'"
            alone = _first_failure(run([i])[1], rtol, atol, uniform)
            if alone is not None:
                label, k, detail = alone
                raise _fail(
                    self.name,
                    f"derivative of order {k} with respect to '{dyn_names[i]}' "
                    f"({described} against finite differences)",
                    f"{label}: {detail}",
                )
        label, k, detail = failed
        names = ", ".join(f"'{dyn_names[i]}'" for i in differentiable)
        raise _fail(
            self.name,
            f"mixed derivative of order {k} with respect to {names} "
            f"({described} against finite differences)",
            f"{label}: {detail}",
        )


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


# As `jax.test_util.check_grads` (whose checks `_derivative_checks` reproduces): tolerances
# for derivatives against central differences of step 1e-4, by dtype.
_GRAD_TOL = {
    np.dtype(np.float32): 2e-3,
    np.dtype(np.float64): 1e-5,
    np.dtype(np.complex64): 1e-3,
    np.dtype(np.complex128): 1e-5,
}
_EPS = 1e-4


def _direction(rng: np.random.RandomState, x: Any, uniform: bool = True) -> np.ndarray:
    """A random direction for `x`: with `uniform`, one random number for all its elements
    (so that a batch of points of an elementwise function is checked exactly as each point
    alone would be, with the tangents `check_grads` draws for a scalar); otherwise one per
    element."""
    shape, dtype = np.shape(x), np.dtype(jnp.result_type(x))
    if not jnp.issubdtype(dtype, jnp.inexact):
        return np.zeros(shape, jax.dtypes.float0)
    draw = (lambda: np.full(shape, rng.randn())) if uniform else (lambda: rng.randn(*shape))
    value = draw()
    if np.issubdtype(dtype, np.complexfloating):
        value = value + 1j * draw()
    return np.asarray(value, dtype=dtype)


def _shift(xs: Any, ts: Any, scale: float) -> Any:
    return jax.tree.map(lambda x, t: x + scale * t, xs, ts)


def _central(f: Any, xs: Any, ts: Any, eps: float) -> Any:
    """Central difference of f along ts (inf - inf taken as 0, as check_grads does)."""
    up, down = f(*_shift(xs, ts, eps)), f(*_shift(xs, ts, -eps))
    return jax.tree.map(lambda a, b: jnp.where(a == b, 0, a - b) / (2 * eps), up, down)


def _inner(xs: Any, ys: Any) -> Any:
    pairs = zip(jax.tree.leaves(xs), jax.tree.leaves(ys), strict=True)
    return sum(jnp.real(jnp.vdot(x, y)) for x, y in pairs if _inexact(x) and _inexact(y))


def _conj(xs: Any) -> Any:
    return jax.tree.map(lambda x: jnp.conj(x) if _inexact(x) else x, xs)


def _derivative_checks(
    g: Any,
    xs: tuple[Any, ...],
    order: int,
    modes: Sequence[str] = ("fwd", "rev"),
    uniform: bool = True,
) -> tuple[float, list[tuple[str, int, Any, Any]]]:
    """The checks of `jax.test_util.check_grads(g, xs, order, modes)`, computed in one
    `jax.jit` program: (worst relative error of first derivatives, one per argument,
    against central differences; [(label, order, got, want)])."""
    labels: list[tuple[str, int]] = []

    def level(f: Any, args: tuple[Any, ...], k: int, what: str, out: list[Any]) -> None:
        # Forward: jvp along a random tangent against central differences.
        if "fwd" in modes:
            rng = np.random.RandomState(0)
            ts = jax.tree.map(lambda x: _direction(rng, x, uniform), args)
            jvp_what = f"JVP of {what}" if what else "JVP"
            _, tangent = jax.jvp(f, args, ts)
            labels.append((f"{jvp_what} tangent", order - k + 1))
            out.append((tangent, _central(f, args, ts, _EPS)))
            if k > 1:
                level(lambda p, t: jax.jvp(f, p, t), (args, args), k - 1, jvp_what, out)
        if "rev" not in modes:
            return
        # Reverse: the cotangent projection <t, vjp(c)> against <central difference, c>.
        rng = np.random.RandomState(0)
        ts = jax.tree.map(lambda x: _direction(rng, x, uniform), args)
        primal, vjp = jax.vjp(f, *args)
        cs = jax.tree.map(lambda x: _direction(rng, x, uniform), primal)
        back = vjp(_conj(cs))
        vjp_what = f"VJP of {what}" if what else "VJP"
        labels.append((f"{vjp_what} cotangent projection", order - k + 1))
        out.append(
            (
                _inner(ts, _conj(back)),
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
        # The error figure: each argument's derivative along a step scaled to it (in reverse
        # mode, <vjp(ones), step> against the summed differences).
        figure = []
        for i, x in enumerate(xs):
            step = 1e-6 * jnp.maximum(1.0, jnp.max(jnp.abs(x)))
            ts = tuple(jnp.where(j == i, step, 0.0) * jnp.ones_like(y) for j, y in enumerate(xs))
            fd = _central(g, xs, ts, 1.0)
            if "fwd" in modes:
                figure.append((jax.jvp(g, xs, ts)[1], fd))
            else:
                primal, vjp = jax.vjp(g, *xs)
                back = vjp(jax.tree.map(_ones_cotangent, primal))
                inexact = [f for f in jax.tree.leaves(fd) if _inexact(f)]
                figure.append((_inner(ts, back), sum(jnp.sum(jnp.real(f)) for f in inexact)))
        return out, figure

    out, figure = jax.jit(program)(*xs)
    err = 0.0
    for tangent, fd in figure:
        for t, f in zip(_leaves(tangent), _leaves(fd), strict=True):
            err = max(err, _rel_error(t, f))
    checks = [(label, k, got, want) for (label, k), (got, want) in zip(labels, out, strict=True)]
    return err, checks


def _first_failure(
    checks: list[tuple[str, int, Any, Any]],
    rtol: float | None,
    atol: float | None,
    uniform: bool,
) -> tuple[str, int, str] | None:
    """(label, order, detail) of the first check whose values differ, or None.

    The default tolerance depends on the dtypes compared (as in `check_grads`); for a
    function that is not elementwise it grows with the size of the arrays compared, as
    `check_grads` has it, while a batch of points of an elementwise function is held to
    each point's tolerance.
    """
    for label, k, got, want in checks:
        for a, b in zip(_leaves(got), _leaves(want), strict=True):
            a, b = np.asarray(a), np.asarray(b)
            if not (_inexact(a) and _inexact(b)):
                continue  # integer outputs have no derivative
            default = max(_GRAD_TOL.get(a.dtype, 1e-5), _GRAD_TOL.get(b.dtype, 1e-5))
            r = default if rtol is None else rtol
            t = r if atol is None else atol
            scale = 1 if uniform else max(a.size, 1)
            try:
                np.testing.assert_allclose(a, b, rtol=r * scale, atol=t * scale)
            except AssertionError as e:
                return label, k, _mismatch(e)
    return None


def _mismatch(e: AssertionError) -> str:
    """The lines of an `assert_allclose` failure that say what differs, and by how much."""
    msg = [m.strip() for m in str(e).strip().splitlines() if m.strip()]
    keep = [m for m in msg if "ismatch" in m or m.startswith(("Max relative", "Max absolute"))]
    return "; ".join(keep) if keep else (msg[0] if msg else "")
