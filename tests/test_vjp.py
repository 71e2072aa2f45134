"""`vjp=`: reverse mode from a user rule, alone or with `jvp=`; the errors of the missing
mode; every output mode; `check`'s dot-product test."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg
from jax.test_util import check_grads

import autocallback as ac
from autocallback import FormulaError, host_function


def _t(a):
    return jnp.swapaxes(a, -1, -2)


def _mv(a, x):
    return jnp.einsum("...ij,...j->...i", a, x)


def make_expm(*, jvp=True, vjp=True, bad_vjp=False):
    """`scipy.linalg.expm` with `expm_frechet` for forward (L(A, E)) and reverse
    (L(A^T, G)) mode."""

    @host_function(signature="(n,n),(n,n)->(n,n)")
    def expm_frechet(a, e):
        return scipy.linalg.expm_frechet(a, e, compute_expm=False)

    def _jvp(primals, tangents):
        return expm_frechet(primals[0], tangents[0])

    def _vjp(primals, output, cotangent):
        a = primals[0] if bad_vjp else _t(primals[0])
        return (expm_frechet(a, cotangent),)

    @host_function(signature="(n,n)->(n,n)", jvp=_jvp if jvp else None, vjp=_vjp if vjp else None)
    def expm(a):
        return scipy.linalg.expm(a)

    return expm


def make_solve(*, jvp=False, vjp=True):
    """`scipy.linalg.solve` with its adjoint as `vjp=` (and optionally `jvp=`); both rules
    call the function itself, so every order works."""

    def _vjp(primals, x, g):
        a, _ = primals
        b_bar = solve(_t(a), g)
        return -b_bar[..., :, None] * x[..., None, :], b_bar

    def _jvp(primals, tangents):
        a, b = primals
        da, db = tangents
        return solve(a, db - _mv(da, solve(a, b)))

    @host_function(signature="(n,n),(n)->(n)", jvp=_jvp if jvp else None, vjp=_vjp if vjp else None)
    def solve(a, b):
        return scipy.linalg.solve(a, b)

    return solve


def _matrices(dtype, *shape, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(*shape, 3, 3)) / 2).astype(dtype)


def _system(seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(4, 4)) + 4 * np.eye(4), rng.normal(size=4)


def _loss(f):
    return lambda a: jnp.sum(jnp.sin(f(a)))


EXPM = jax.scipy.linalg.expm


# --------------------------------------------------------------------------------------
# jvp= and vjp= together


def test_expm_both_modes(x64):
    expm = make_expm()
    dtype = jnp.float64 if x64 else jnp.float32
    tol = dict(rtol=1e-10, atol=1e-12) if x64 else dict(rtol=2e-4, atol=2e-5)
    a = _matrices(dtype)
    np.testing.assert_allclose(expm(a), EXPM(a), **tol)
    _, tangent = jax.jvp(expm, (a,), (a,))
    np.testing.assert_allclose(tangent, jax.jvp(EXPM, (a,), (a,))[1], **tol)
    grad = jax.grad(_loss(expm))(a)
    assert grad.dtype == dtype
    np.testing.assert_allclose(grad, jax.grad(_loss(EXPM))(a), **tol)
    np.testing.assert_allclose(jax.jacfwd(expm)(a), jax.jacrev(expm)(a), **tol)
    batch = _matrices(dtype, 3, seed=1)
    np.testing.assert_allclose(
        jax.jit(jax.vmap(jax.grad(_loss(expm))))(batch),
        jax.vmap(jax.grad(_loss(EXPM)))(batch),
        **tol,
    )


def test_expm_grad_matches_finite_differences(enable_x64):
    expm = make_expm()
    a = _matrices(jnp.float64)
    loss = _loss(expm)
    grad = np.asarray(jax.grad(loss)(a))
    h = 1e-3
    fd = np.zeros(a.shape)
    for i, j in np.ndindex(*a.shape):
        e = np.zeros(a.shape)
        e[i, j] = h
        f = [float(loss(a + k * e)) for k in (-2, -1, 1, 2)]
        fd[i, j] = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h)
    assert np.max(np.abs(grad - fd)) / np.max(np.abs(fd)) <= 1e-7


def test_expm_transformations(enable_x64):
    expm = make_expm()
    tol = dict(rtol=1e-10, atol=1e-12)
    batch = _matrices(np.float64, 4)
    a = batch[0]
    loss, ref = _loss(expm), _loss(EXPM)

    def jvp_of(f):
        return lambda a: jax.jvp(f, (a,), (jnp.ones_like(a),))[1]

    np.testing.assert_allclose(jax.vmap(jvp_of(expm))(batch), jax.vmap(jvp_of(EXPM))(batch), **tol)
    np.testing.assert_allclose(
        jax.jit(jax.vmap(jax.jacfwd(expm)))(batch), jax.vmap(jax.jacrev(expm))(batch), **tol
    )
    np.testing.assert_allclose(jax.grad(loss)(batch), jax.grad(ref)(batch), **tol)  # loop dims
    np.testing.assert_allclose(
        jax.grad(lambda b: jnp.sum(jax.vmap(expm)(b) ** 2))(batch),
        jax.grad(lambda b: jnp.sum(jax.vmap(EXPM)(b) ** 2))(batch),
        **tol,
    )

    # An unbatched matrix with batched cotangent weights, and the other way round.
    def weighted(f):
        return lambda a, w: jax.grad(lambda a: jnp.sum(f(a) * w))(a)

    np.testing.assert_allclose(
        jax.vmap(weighted(expm), in_axes=(None, 0))(a, batch),
        jax.vmap(weighted(EXPM), in_axes=(None, 0))(a, batch),
        **tol,
    )


def test_both_modes_host_calls(enable_x64, host_calls):
    expm = make_expm()
    a = _matrices(jnp.float64)
    grad = jax.jit(jax.grad(_loss(expm)))
    grad(a)
    host_calls.reset()
    grad(a)
    assert host_calls.count("expm") == 1
    assert host_calls.count("expm_frechet") == 1
    batched = jax.jit(jax.vmap(jax.grad(_loss(expm))))
    batched(_matrices(jnp.float64, 5))
    host_calls.reset()
    batched(_matrices(jnp.float64, 5))
    assert host_calls.count("expm") == 1
    assert host_calls.count("expm_frechet") == 1


def test_both_modes_second_order(enable_x64):
    solve = make_solve(jvp=True, vjp=True)
    a, b = _system()

    def loss(f):
        return lambda a, b: jnp.sum(jnp.sin(f(a, b)))

    ref = loss(jnp.linalg.solve)
    wants = [jax.hessian(ref, argnum)(a, b) for argnum in (0, 1)]
    for argnum, second in (
        (0, jax.hessian),
        (1, lambda f, n: jax.jacfwd(jax.jacfwd(f, n), n)),
        (1, lambda f, n: jax.jacrev(jax.jacrev(f, n), n)),
        (0, lambda f, n: jax.jacrev(jax.jacfwd(f, n), n)),
    ):
        got = second(loss(solve), argnum)(a, b)
        np.testing.assert_allclose(got, wants[argnum], rtol=1e-9, atol=1e-12)
    bs = np.stack([b, 2 * b])
    np.testing.assert_allclose(
        jax.jit(jax.vmap(jax.hessian(loss(solve), 1), (None, 0)))(a, bs),
        jax.vmap(jax.hessian(ref, 1), (None, 0))(a, bs),
        rtol=1e-9,
        atol=1e-12,
    )
    check_grads(solve, (a, b), order=2, modes=("fwd", "rev"))


# --------------------------------------------------------------------------------------
# vjp= alone


def test_solve_vjp_matches_jnp(enable_x64):
    solve = make_solve()
    a, b = _system()

    def loss(f, a, b):
        x = f(a, b)
        return jnp.sum(x**2) + jnp.sum(jnp.cos(x))

    got = jax.grad(loss, argnums=(1, 2))(solve, a, b)
    want = jax.grad(loss, argnums=(1, 2))(jnp.linalg.solve, a, b)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(jax.jacrev(solve, argnums=1)(a, b), np.linalg.inv(a), rtol=1e-10)
    rng = np.random.default_rng(2)
    a_batch = rng.normal(size=(6, 4, 4)) + 4 * np.eye(4)
    b_batch = rng.normal(size=(6, 4))
    batched = jax.jit(jax.vmap(jax.grad(loss, argnums=(1, 2)), (None, 0, 0)), static_argnums=0)
    for g, w in zip(
        batched(solve, a_batch, b_batch), batched(jnp.linalg.solve, a_batch, b_batch), strict=True
    ):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-14)
    # Leading loop dimensions instead of vmap.
    g = jax.grad(lambda b: loss(solve, a_batch, b))(b_batch)
    np.testing.assert_allclose(
        g, jax.grad(lambda b: loss(jax.vmap(jnp.linalg.solve), a_batch, b))(b_batch), rtol=1e-10
    )


def test_vjp_float32():
    previous = jax.config.read("jax_enable_x64")
    jax.config.update("jax_enable_x64", False)
    try:
        solve = make_solve()
        a, b = (jnp.asarray(v, jnp.float32) for v in _system())
        g = jax.grad(lambda b: jnp.sum(solve(a, b) ** 2))(b)
        assert g.dtype == jnp.float32
        np.testing.assert_allclose(
            g, jax.grad(lambda b: jnp.sum(jnp.linalg.solve(a, b) ** 2))(b), rtol=1e-4
        )
    finally:
        jax.config.update("jax_enable_x64", previous)


def test_vjp_reverse_over_reverse(enable_x64):
    solve = make_solve()
    a, b = _system()

    def loss(f):
        return lambda a, b: jnp.sum(jnp.sin(f(a, b)))

    for argnum in (0, 1):
        got = jax.jacrev(jax.grad(loss(solve), argnum), argnum)(a, b)
        np.testing.assert_allclose(
            got, jax.hessian(loss(jnp.linalg.solve), argnum)(a, b), rtol=1e-9, atol=1e-12
        )
    check_grads(solve, (a, b), order=2, modes=("rev",))


def test_vjp_under_control_flow(x64):
    sin = host_function(np.sin, name="sin", vjp=lambda p, out, g: (g * jnp.cos(p[0]),))
    x = jnp.linspace(0.1, 1.0, 5)

    def body(c, _):
        return sin(c), None

    want = jax.grad(lambda c: jnp.sin(jnp.sin(jnp.sin(c))).sum())(x)
    tol = dict(rtol=1e-12) if x64 else dict(rtol=1e-6)
    np.testing.assert_allclose(
        jax.grad(lambda c: jax.lax.scan(body, c, None, length=3)[0].sum())(x), want, **tol
    )
    np.testing.assert_allclose(
        jax.grad(lambda c: jax.lax.fori_loop(0, 3, lambda i, c: sin(c), c).sum())(x), want, **tol
    )
    np.testing.assert_allclose(
        jax.grad(jax.checkpoint(lambda c: sin(sin(sin(c))).sum()))(x), want, **tol
    )


def test_vjp_elementwise_broadcast_and_integer(x64):
    @host_function(vjp=lambda p, out, g: (g * p[1], jnp.sum(g * p[0])))
    def scale(x, c):
        return x * c

    x = jnp.arange(1.0, 4.0)
    gx, gc = jax.grad(lambda x, c: scale(x, c).sum(), argnums=(0, 1))(x, 2.0)
    np.testing.assert_allclose(gx, [2.0, 2.0, 2.0])
    np.testing.assert_allclose(gc, 6.0)
    np.testing.assert_allclose(jax.vmap(jax.grad(scale), (0, None))(x, 2.0), [2.0, 2.0, 2.0])

    @host_function(vjp=lambda p, out, g: (g * p[1], None))
    def times(x, k):
        return x * k

    np.testing.assert_allclose(jax.grad(lambda x: times(x, 3).sum())(x), [3.0, 3.0, 3.0])


def test_vjp_several_outputs(x64):
    def _vjp(primals, output, cotangent):
        (v,) = primals
        g_total, g_copy = cotangent
        return (2 * g_total[..., None] * v + g_copy,)

    @host_function(signature="(n)->(),(n)", vjp=_vjp)
    def square_sum_and_copy(v):
        return np.sum(v**2), v.copy()

    v = jnp.arange(1.0, 4.0)
    f = lambda v: square_sum_and_copy(v)[0] + 3 * square_sum_and_copy(v)[1].sum()  # noqa: E731
    np.testing.assert_allclose(jax.grad(f)(v), 2 * v + 3)
    np.testing.assert_allclose(jax.vmap(jax.grad(f))(jnp.stack([v, 2 * v])), [2 * v + 3, 4 * v + 3])
    jac = jax.jacrev(square_sum_and_copy)(v)
    np.testing.assert_allclose(jac[0], 2 * v)
    np.testing.assert_allclose(jac[1], np.eye(3))


def test_vjp_pytree_out_and_probe(x64):
    def _stats_vjp(primals, output, cotangent):
        assert set(output) == {"total", "double"}
        return (cotangent["total"] + 2 * cotangent["double"],)

    @host_function(
        out=lambda v: {"total": jax.ShapeDtypeStruct((), v.dtype), "double": v}, vjp=_stats_vjp
    )
    def stats(v):
        return {"total": np.sum(v), "double": 2 * v}

    v = jnp.arange(1.0, 4.0)
    np.testing.assert_allclose(
        jax.grad(lambda v: stats(v)["total"] + 5 * stats(v)["double"][0])(v), [11.0, 1.0, 1.0]
    )
    jac = jax.jacrev(stats)(v)
    np.testing.assert_allclose(jac["total"], np.ones(3))
    np.testing.assert_allclose(jac["double"], 2 * np.eye(3))
    np.testing.assert_allclose(
        jax.jit(jax.vmap(jax.grad(lambda v: stats(v)["total"])))(jnp.stack([v, v])), np.ones((2, 3))
    )

    @host_function(out="probe", vjp=lambda p, out, g: jnp.cumsum(g[::-1])[::-1])
    def cumsum(v):
        return np.cumsum(v)

    np.testing.assert_allclose(jax.jacrev(cumsum)(v), np.tril(np.ones((3, 3))))
    np.testing.assert_allclose(
        jax.jit(jax.vmap(jax.grad(lambda v: cumsum(v)[-1])))(jnp.stack([v, v])), np.ones((2, 3))
    )
    np.testing.assert_allclose(jax.grad(lambda v: cumsum(v).sum())(jnp.zeros((0,))), np.zeros(0))


def test_vjp_with_static_argument():
    @host_function(signature="(n)->(n)", static_argnames="k", vjp=lambda p, out, g: (3.0 * g,))
    def times(v, k):
        return v * k

    np.testing.assert_allclose(jax.grad(lambda v: times(v, k=3).sum())(jnp.ones(2)), [3.0, 3.0])


# --------------------------------------------------------------------------------------
# The missing mode


FORWARD_ERROR = (
    r"^`expm`: forward-mode differentiation \(`jax.jvp`, `jax.jacfwd`, `jax.hessian`\) needs "
    r"a forward rule, but `expm` has only `vjp=`\. Pass `jvp=` as well: a JAX-traceable "
    r"jvp\(primals, tangents\) -> tangents_out\.(\n|$)"
)
REVERSE_ERROR = (
    r"^`expm`: reverse-mode differentiation \(`jax.grad`, `jax.vjp`, `jax.jacrev`\) "
    r"transposes the tangent map of `jvp=`, which cannot be transposed \(it passes a tangent "
    r"to a host function, and a host call cannot be transposed\)\. Pass `vjp=`: a "
    r"JAX-traceable vjp\(primals, output, cotangent\) -> cotangents \(or call host "
    r"functions in `jvp=` on the primals only\)\.(\n|$)"
)


def test_vjp_alone_forward_mode_names_jvp():
    expm = make_expm(jvp=False)
    a = _matrices(jnp.float32)
    batch = _matrices(jnp.float32, 2)
    for attempt in (
        lambda: jax.jvp(expm, (a,), (a,)),
        lambda: jax.jit(lambda a: jax.jvp(expm, (a,), (a,)))(a),
        lambda: jax.jacfwd(expm)(a),
        lambda: jax.hessian(_loss(expm))(a),
        lambda: jax.vmap(jax.jacfwd(expm))(batch),
    ):
        with pytest.raises(TypeError, match=FORWARD_ERROR):
            attempt()
    jax.grad(_loss(expm))(a)  # reverse mode works


def test_jvp_alone_reverse_mode_names_vjp():
    expm = make_expm(vjp=False)
    a = _matrices(jnp.float32)
    batch = _matrices(jnp.float32, 2)
    for attempt in (
        lambda: jax.grad(_loss(expm))(a),
        lambda: jax.jit(jax.grad(_loss(expm)))(a),
        lambda: jax.jacrev(expm)(a),
        lambda: jax.vjp(expm, a)[1](a),
        lambda: jax.jit(jax.vmap(jax.grad(_loss(expm))))(batch),
    ):
        with pytest.raises(TypeError, match=REVERSE_ERROR):
            attempt()
    jax.jacfwd(expm)(a)  # forward mode works
    jax.vmap(jax.jacfwd(expm))(batch)


def test_jvp_alone_with_jax_tangent_map_keeps_reverse_mode(enable_x64):
    # Host calls on the primals only: JAX transposes the tangent map, at every order.
    @host_function(signature="(n,n)->(n,n)", jvp=lambda p, t: -inv(p[0]) @ t[0] @ inv(p[0]))
    def inv(a):
        return np.linalg.inv(a)

    a, _ = _system()
    np.testing.assert_allclose(
        jax.grad(lambda a: jnp.sum(inv(a) ** 2))(a),
        jax.grad(lambda a: jnp.sum(jnp.linalg.inv(a) ** 2))(a),
        rtol=1e-10,
    )
    check_grads(inv, (a,), order=2, modes=("fwd", "rev"))
    np.testing.assert_allclose(
        jax.jit(jax.vmap(jax.hessian(lambda a: jnp.sum(jnp.sin(inv(a))))))(np.stack([a, 2 * a])),
        jax.vmap(jax.hessian(lambda a: jnp.sum(jnp.sin(jnp.linalg.inv(a)))))(np.stack([a, 2 * a])),
        rtol=1e-9,
        atol=1e-12,
    )


def test_jvp_alone_nonlinear_tangent_map_names_vjp():
    f = host_function(
        lambda x: np.sum(x), name="total", signature="(n)->()", jvp=lambda p, t: jnp.sum(t[0] ** 2)
    )
    with pytest.raises(TypeError, match=r"^`total`: reverse-mode differentiation .* Pass `vjp=`"):
        jax.grad(f)(jnp.ones(3))


# --------------------------------------------------------------------------------------
# Messages


def one(x):
    return x


def test_vjp_and_formulas_messages():
    with pytest.raises(
        ValueError,
        match=r"^`host_function` for `one`: pass `vjp=` or `derivatives=`/`expr=`, not both "
        r"\(formulas already give reverse mode\)\.(\n|$)",
    ):
        host_function(one, vjp=lambda p, o, g: (g,), derivatives={"x": "1"})
    with pytest.raises(ValueError, match=r"pass `vjp=` or `derivatives=`/`expr=`, not both"):
        host_function(one, vjp=lambda p, o, g: (g,), expr="x")
    with pytest.raises(
        TypeError,
        match=r"^`host_function` for `one`: vjp= must be a callable "
        r"vjp\(primals, output, cotangent\)\.(\n|$)",
    ):
        host_function(one, vjp="x")


def test_vjp_result_messages():
    def total(x, y):
        return np.sum(x) + np.sum(y)

    x = jnp.ones(3)
    f = host_function(total, signature="(n),(n)->()", vjp=lambda p, o, g: (g,))
    with pytest.raises(
        TypeError,
        match=r"^`total`: vjp= returned 1 cotangent\(s\); expected a tuple of 2 cotangent\(s\), "
        r"one per non-static argument \(x, y\), None for an argument without one\.(\n|$)",
    ):
        jax.grad(f)(x, x)
    g = host_function(total, signature="(n),(n)->()", vjp=lambda p, o, g: (g, None))
    with pytest.raises(
        ValueError,
        match=r"^`total`: vjp= returned a cotangent of shape \(\) for argument 'x', which "
        r"has shape \(3,\)\.(\n|$)",
    ):
        jax.grad(g)(x, x)
    h = host_function(total, signature="(n),(n)->()", vjp=lambda p, o, g: g)
    with pytest.raises(
        TypeError, match=r"^`total`: vjp= returned an array; expected a tuple of 2 cotangent\(s\)"
    ):
        jax.grad(h)(x, x)
    # None: no cotangent (zeros); a bare array for a function of one argument.
    k = host_function(total, signature="(n),(n)->()", vjp=lambda p, o, g: (g * jnp.ones(3), None))
    np.testing.assert_allclose(jax.grad(k, argnums=(0, 1))(x, x)[1], np.zeros(3))
    s = host_function(
        lambda x: np.sum(x), name="s", signature="(n)->()", vjp=lambda p, o, g: g * jnp.ones(3)
    )
    np.testing.assert_allclose(jax.grad(s)(x), np.ones(3))


def test_formulas_next_to_vjp_on_non_elementwise_still_formula_error():
    with pytest.raises(FormulaError, match="not elementwise"):
        host_function(
            lambda x: np.sum(x), name="total", signature="(n)->()", derivatives={"x": "1"}
        )


# --------------------------------------------------------------------------------------
# check


def test_check_both_rules():
    expm = make_expm()
    result = ac.check(expm, _matrices(np.float64), order=1)
    assert result.grad and result.transpose
    assert result.max_rel_error < 1e-6


def test_check_vjp_alone_skips_forward_mode():
    solve = make_solve()
    a, b = _system()
    result = ac.check(solve, a, b, order=2)
    assert result.grad and result.higher
    assert result.transpose is None
    assert result.differentiated == ("a", "b")


def test_check_finds_a_wrong_transpose():
    a = _matrices(np.float64)
    with pytest.raises(
        AssertionError,
        match=r"^check of `expm` failed: transpose of order 1 with respect to 'a' \(dot-product "
        r"test of vjp= against jvp=\): <ct, jvp\(t\)> = \S+ but <vjp\(ct\), t> = \S+: relative "
        r"error \S+ exceeds rtol=1e-06(\n|$)",
    ):
        ac.check(make_expm(bad_vjp=True), a, order=1)
    with pytest.raises(
        AssertionError,
        match=r"^check of `expm` failed: derivative of order 1 with respect to 'a' \(reverse "
        r"against finite differences\)",
    ):
        ac.check(make_expm(jvp=False, bad_vjp=True), a, order=1)
