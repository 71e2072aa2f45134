"""`vmap`: values for any `in_axes` (nested, with unbatched operands whose length equals the
batch size), one host call per batched call, "sequential" for `out=`/probe, the
`vmap_method` override, and host functions inside `scan`/`fori_loop`/`checkpoint`."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autocallback import host_function

RNG = np.random.default_rng(1234)


def _np_vmap(f, in_axes, *args):
    """Reference vmap by a Python loop (numpy)."""
    sizes = {a.shape[ax] for a, ax in zip(args, in_axes, strict=True) if ax is not None}
    (n,) = sizes
    outs = []
    for i in range(n):
        sl = [
            a if ax is None else np.take(a, i, axis=ax) for a, ax in zip(args, in_axes, strict=True)
        ]
        outs.append(f(*sl))
    return np.stack(outs)


@pytest.mark.parametrize(
    "in_axes",
    [(0, 0), (0, None), (None, 0), (1, 0), (1, None), (None, 1), (0, 1), (1, 1)],
)
def test_elementwise_values_any_in_axes(in_axes, x64, counted):
    def weighted(x, y):
        return np.sin(x) * 2 + y**2

    c = counted(weighted)
    f = host_function(c.wrapper)
    # B == L == 3: the unbatched operand has the batch size as its length.
    x = RNG.normal(size=(3, 3))
    y = RNG.normal(size=(3, 3)) if None not in in_axes else RNG.normal(size=(3,))
    if in_axes == (0, None):
        args = (x, y)
    elif in_axes == (None, 0):
        args = (y, x)
    elif in_axes == (1, None):
        args = (x, y)
    elif in_axes == (None, 1):
        args = (y, x)
    else:
        args = (x, y)
    got = jax.vmap(f, in_axes=in_axes)(*args)
    want = _np_vmap(weighted, in_axes, *args)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert c.count == 1  # one host call for the whole batch


def test_b_equals_l_trap_explicit():
    """An unbatched operand of shape (L,) next to a batch of size B == L: the per-example
    function sees x[i] of shape (L,) and y of shape (L,), elementwise; not y[i]."""

    @host_function
    def sub(x, y):
        return x - y

    L = 4
    x = np.arange(L * L, dtype=np.float32).reshape(L, L)
    y = 100 * np.arange(L, dtype=np.float32)
    got = jax.vmap(sub, in_axes=(0, None))(x, y)
    np.testing.assert_allclose(got, x - y[None, :])
    got = jax.vmap(sub, in_axes=(None, 0))(y, x)
    np.testing.assert_allclose(got, y[None, :] - x)
    got = jax.vmap(sub, in_axes=(1, None))(x, y)
    np.testing.assert_allclose(got, x.T - y[None, :])
    # Scalar per example against a vector operand.
    got = jax.vmap(sub, in_axes=(0, None))(y, y)
    np.testing.assert_allclose(got, y[:, None] - y[None, :])


def test_nested_vmap_outer_product(counted):
    def sub(x, y):
        return x - y

    c = counted(sub)
    f = host_function(c.wrapper)
    x = np.arange(3.0)
    y = 10 * np.arange(4.0)
    got = jax.vmap(jax.vmap(f, in_axes=(None, 0)), in_axes=(0, None))(x, y)
    np.testing.assert_allclose(got, np.subtract.outer(x, y))
    got = jax.vmap(jax.vmap(f, in_axes=(0, None)), in_axes=(None, 0))(x, y)
    np.testing.assert_allclose(got, np.subtract.outer(x, y).T)
    assert c.count == 2  # one host call per vmapped call, however deeply nested


def test_nested_vmap_three_levels_mixed_axes():
    jv = host_function(sc.jv)
    v = np.array([0.0, 1.0])
    z = RNG.uniform(0.5, 5.0, size=(3, 4, 2))  # axes: [a, b, i]
    f = jax.vmap(jax.vmap(jax.vmap(jv, in_axes=(None, 0)), in_axes=(0, 1)), in_axes=(None, 0))
    got = f(v, z)
    assert got.shape == (3, 2, 4)
    want = np.stack([np.stack([sc.jv(v[i], z[a, :, i]) for i in range(2)]) for a in range(3)])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_vmap_of_jit_and_jit_of_vmap(counted):
    def f(x, y):
        return x * y + 1

    c = counted(f)
    g = host_function(c.wrapper)
    x = RNG.normal(size=(5, 2)).astype(np.float32)
    y = RNG.normal(size=(2,)).astype(np.float32)
    a = jax.vmap(jax.jit(g), in_axes=(0, None))(x, y)
    b = jax.jit(jax.vmap(g, in_axes=(0, None)))(x, y)
    np.testing.assert_allclose(a, x * y + 1, rtol=1e-6)
    np.testing.assert_allclose(b, x * y + 1, rtol=1e-6)
    assert c.count == 2


@pytest.mark.parametrize("in_axes", [(0, None), (None, 0), (1, None), (0, 0), (None, 1)])
def test_signature_values_any_in_axes(in_axes, host_calls):
    @host_function(signature="(n),(n)->()")
    def sig_dot(a, b):
        return np.dot(a, b)

    # B == n == 3 again.
    A = RNG.normal(size=(3, 3))
    b = RNG.normal(size=(3,))
    args = {
        (0, None): (A, b),
        (None, 0): (b, A),
        (1, None): (A, b),
        (0, 0): (A, A.T.copy()),
        (None, 1): (b, A),
    }[in_axes]
    got = jax.vmap(sig_dot, in_axes=in_axes)(*args)
    want = _np_vmap(np.dot, in_axes, *args)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert host_calls.count("sig_dot") == 1


def test_signature_nested_vmap_matvec(host_calls):
    @host_function(signature="(m,n),(n)->(m)")
    def matvec(a, v):
        return a @ v

    M = RNG.normal(size=(2, 3, 4))
    V = RNG.normal(size=(5, 4))
    got = jax.vmap(jax.vmap(matvec, in_axes=(None, 0)), in_axes=(0, None))(M, V)
    np.testing.assert_allclose(got, np.einsum("kmn,jn->kjm", M, V), rtol=1e-5, atol=1e-6)
    got = jax.vmap(matvec, in_axes=(None, 1))(M[0], V.T)
    np.testing.assert_allclose(got, (M[0] @ V.T).T, rtol=1e-5, atol=1e-6)
    assert host_calls.count("matvec") == 2


def test_multi_output_all_scalar_signature_vmap(counted):
    def airy4(x):
        return sc.airy(x)

    c = counted(airy4)
    airy = host_function(c.wrapper, signature="()->(),(),(),()")
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    out = jax.vmap(airy, in_axes=1)(x)
    for got, want in zip(out, sc.airy(x.T), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert c.count == 1


def test_out_and_probe_default_to_sequential(counted):
    def total(x):
        assert x.shape == (3,), x.shape  # written for one example
        return np.sum(x)

    c = counted(total)
    f = host_function(c.wrapper, out=lambda x: jax.ShapeDtypeStruct((), x.dtype))
    assert f.vmap_method == "sequential"
    x = RNG.normal(size=(4, 3)).astype(np.float32)
    np.testing.assert_allclose(jax.vmap(f)(x), x.sum(1), rtol=1e-5)
    assert c.count == 4  # B host calls

    c2 = counted(total)
    p = host_function(c2.wrapper, out="probe")
    assert p.vmap_method == "sequential"
    np.testing.assert_allclose(jax.vmap(p)(x), x.sum(1), rtol=1e-5)
    assert c2.count == 1 + 4  # one probe (on one example) + B host calls


def test_vmap_method_override(counted):
    def rowsum(x):
        return np.sum(x, axis=-1)  # batches along leading axes

    c = counted(rowsum)
    f = host_function(
        c.wrapper,
        out=lambda x: jax.ShapeDtypeStruct(x.shape[:-1], x.dtype),
        vmap_method="expand_dims",
    )
    assert f.vmap_method == "expand_dims"
    x = RNG.normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_allclose(jax.vmap(f)(x), x.sum(1), rtol=1e-5)
    assert c.count == 1

    c2 = counted(lambda x, y: x + y, name="add")
    seq = host_function(c2.wrapper, vmap_method="sequential")
    np.testing.assert_allclose(jax.vmap(seq)(x, x), 2 * x)
    assert c2.count == 5


def test_vmap_with_static_argument(counted):
    def power(x, k):
        return x**k

    c = counted(power)
    f = host_function(c.wrapper, static_argnames="k")
    x = RNG.normal(size=(4, 2))
    np.testing.assert_allclose(jax.vmap(lambda x: f(x, 3))(x), x**3, rtol=1e-5)
    assert c.count == 1


def test_scan_body(counted):
    def step(c, x):
        return np.cos(c) + x

    cnt = counted(step)
    f = host_function(cnt.wrapper)

    def body(carry, x):
        new = f(carry, x)
        return new, new * 2

    xs = np.linspace(0, 1, 6).astype(np.float32)
    carry, ys = jax.lax.scan(body, jnp.float32(0.5), xs)
    ref_c, ref = 0.5, []
    for x in xs:
        ref_c = np.cos(ref_c) + x
        ref.append(2 * ref_c)
    np.testing.assert_allclose(carry, ref_c, rtol=1e-5)
    np.testing.assert_allclose(ys, ref, rtol=1e-5)
    assert cnt.count == 6


def test_fori_loop_body_with_grad(enable_x64):
    @host_function(derivatives={"x": "-sin(x)"})
    def cosine(x):
        return np.cos(x)

    def iterate(x0):
        return jax.lax.fori_loop(0, 4, lambda i, x: cosine(x) * 0.9 + 0.1, x0)

    def ref(x0):
        for _ in range(4):
            x0 = np.cos(x0) * 0.9 + 0.1
        return x0

    np.testing.assert_allclose(iterate(0.3), ref(0.3), rtol=1e-12)
    eps = 1e-6
    fd = (ref(0.3 + eps) - ref(0.3 - eps)) / (2 * eps)
    np.testing.assert_allclose(jax.grad(iterate)(0.3), fd, rtol=1e-6)
    # scan under vmap
    xs = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(jax.vmap(iterate)(xs), [ref(x) for x in xs], rtol=1e-12)


def test_checkpoint(enable_x64, counted):
    def square(x):
        return x * x

    c = counted(square)
    f = host_function(c.wrapper, derivatives={"x": "2*x"})
    g = jax.checkpoint(lambda x: f(f(x)) + jnp.sin(x))
    np.testing.assert_allclose(g(1.5), 1.5**4 + np.sin(1.5))
    np.testing.assert_allclose(jax.grad(g)(1.5), 4 * 1.5**3 + np.cos(1.5), rtol=1e-12)
    np.testing.assert_allclose(
        jax.vmap(jax.grad(g))(np.array([0.5, 1.5])),
        4 * np.array([0.5, 1.5]) ** 3 + np.cos([0.5, 1.5]),
        rtol=1e-12,
    )


def test_vmap_of_grad_one_host_call_per_order(enable_x64, host_calls):
    def jv(v, z):
        return sc.jv(v, z)

    jv = host_function(jv, derivatives={"v": None, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"})
    z = np.linspace(0.5, 4.0, 7)
    g = jax.jit(jax.vmap(jax.grad(lambda z: jv(1.0, z))))
    np.testing.assert_allclose(g(z), (sc.jv(0, z) - sc.jv(2, z)) / 2, rtol=1e-12)
    # the primal is dead code under grad: one host call for the derivative only
    assert host_calls.count() == 1
    assert host_calls.calls[0][1][-1] == (7,)  # the whole batch at once


def test_b_equals_l_trap_in_derivatives(enable_x64, counted):
    def sinxy(x, y):
        return np.sin(x * y)

    c = counted(sinxy)
    f = host_function(c.wrapper, derivatives={"x": "y*cos(x*y)", "y": "x*cos(x*y)"})
    X = np.arange(1.0, 10.0).reshape(3, 3) / 10
    y = np.array([1.0, 2.0, 3.0])  # unbatched, length == batch size

    def tangent_x(x, y):
        return jax.jvp(f, (x, y), (jnp.ones_like(x), jnp.zeros_like(y)))[1]

    got = jax.vmap(tangent_x, in_axes=(0, None))(X, y)
    np.testing.assert_allclose(got, y * np.cos(X * y), rtol=1e-13)
    jac = jax.vmap(jax.jacrev(f, argnums=1), in_axes=(0, None))(X, y)
    want = np.stack([np.diag(X[i] * np.cos(X[i] * y)) for i in range(3)])
    np.testing.assert_allclose(jac, want, rtol=1e-13, atol=1e-15)


# --------------------------------------------------------------------------------------
# Property: any elementwise call under vmap agrees with a NumPy loop over the batch.


def _combine(*xs):
    """An elementwise host function of any number of arguments of any dtype."""
    total = np.zeros((), np.float64)
    for i, x in enumerate(xs):
        x = np.asarray(x)
        total = total + (i + 1.5) * x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    return total


def _host_of(n, vmap_method):
    def f1(a):
        return _combine(a)

    def f2(a, b):
        return _combine(a, b)

    def f3(a, b, c):
        return _combine(a, b, c)

    return host_function((f1, f2, f3)[n - 1], vmap_method=vmap_method)


_HOSTS = {
    (n, m): _host_of(n, m)
    for n in (1, 2, 3)
    for m in ("expand_dims", "broadcast_all", "sequential")
}


def _draw_value(data, shape, dtype, label):
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label=f"seed {label}"))
    if dtype.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype.kind in "iu":
        return rng.integers(-3, 4, size=shape).astype(dtype)
    if dtype.kind == "c":
        return (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(dtype)
    return rng.normal(size=shape).astype(dtype)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_vmap_elementwise_property(x64, data):
    n = data.draw(st.integers(1, 3), label="nargs")
    batch = data.draw(st.integers(1, 4), label="batch")
    # Per-example shapes broadcasting to a result whose sides may equal the batch size, so
    # that an unbatched operand can have the batch's length.
    sides = st.sampled_from([1, 2, 3, batch])
    result = data.draw(st.lists(sides, min_size=0, max_size=3).map(tuple), label="result")
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=n, base_shape=result, max_dims=3),
        label="shapes",
    ).input_shapes
    pool = ["bool", "int32", "float32", "complex64"] + (
        ["int64", "float64", "complex128"] if x64 else []
    )
    dtypes = data.draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n), label="dtypes")
    axes = [
        data.draw(st.one_of(st.none(), st.integers(0, len(s))), label=f"in_axes[{i}]")
        for i, s in enumerate(shapes)
    ]
    if all(a is None for a in axes):
        axes[0] = 0
    method = data.draw(st.sampled_from(["expand_dims", "broadcast_all", "sequential"]))
    jit = data.draw(st.booleans(), label="jit")

    examples = [
        [_draw_value(data, s, d, f"{i}.{b}") for b in range(batch)]
        for i, (s, d) in enumerate(zip(shapes, dtypes, strict=True))
    ]
    args = [
        ex[0] if ax is None else np.moveaxis(np.stack(ex), 0, ax)
        for ex, ax in zip(examples, axes, strict=True)
    ]
    f = _HOSTS[(n, method)]
    g = jax.vmap(f, in_axes=tuple(axes))
    out = (jax.jit(g) if jit else g)(*args)

    want = np.stack(
        [
            _combine(
                *[ex[0] if ax is None else ex[b] for ex, ax in zip(examples, axes, strict=True)]
            )
            for b in range(batch)
        ]
    )
    assert out.shape == want.shape, (out.shape, want.shape)
    assert out.dtype == f(*[ex[0] for ex in examples]).dtype  # as without vmap
    tol = 1e-5 if out.dtype in (np.float32, np.complex64) else 1e-12
    np.testing.assert_allclose(np.asarray(out), want.astype(out.dtype), rtol=tol, atol=tol)
