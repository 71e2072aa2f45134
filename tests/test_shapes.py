"""Output inference: elementwise broadcasting and dtypes, ufunc type resolution, `dtype=`,
gufunc signatures, `out=` pytrees and callables, probing, x64 canonicalisation, and the
errors for host results that do not match the declaration."""

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

SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DTYPES_32 = ["bool", "int32", "float32", "complex64"]
DTYPES_64 = ["int64", "float64", "complex128"]


def expected_elementwise_dtype(dtypes: list[np.dtype], x64: bool) -> np.dtype:
    """The promised output dtype, written out by hand (not via jnp.result_type): complex if
    any argument is complex, else floating; the precision is the widest floating precision
    among the inexact arguments (integers and booleans do not widen floats in JAX), or the
    default floating precision when there is none; 32-bit with x64 off."""
    kind = "c" if any(d.kind == "c" for d in dtypes) else "f"
    bits = [d.itemsize * 8 // (2 if d.kind == "c" else 1) for d in dtypes if d.kind in "fc"]
    precision = max(bits) if bits else 64
    if not x64:
        precision = 32
    return np.dtype(f"{kind}{(precision // 8) * (2 if kind == 'c' else 1)}")


def _sample(shape, dtype, rng):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype.kind in "iu":
        return rng.integers(-3, 4, size=shape).astype(dtype)
    if dtype.kind == "c":
        return (rng.normal(size=shape) + 1j * rng.normal(size=shape)).astype(dtype)
    return rng.normal(size=shape).astype(dtype)


@SETTINGS
@given(data=st.data())
def test_elementwise_broadcast_and_promotion(x64, data):
    n = data.draw(st.integers(1, 3), label="nargs")
    shapes = data.draw(
        hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=3, max_side=3),
        label="shapes",
    )
    pool = DTYPES_32 + (DTYPES_64 if x64 else [])
    dtypes = [
        np.dtype(d) for d in data.draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    ]
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed"))
    args = [_sample(s, d, rng) for s, d in zip(shapes.input_shapes, dtypes, strict=True)]

    seen = []

    def combine(*xs):
        total = np.zeros((), dtype=np.float64)
        for i, x in enumerate(xs):
            x = np.asarray(x)
            total = total + (i + 1) * x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
        return total

    def host(*xs):
        seen.append(tuple(type(x) for x in xs))
        return combine(*xs)

    f = _nary(host, n)
    out = f(*args)
    reference = combine(*args)
    assert out.shape == np.broadcast_shapes(*shapes.input_shapes) == shapes.result_shape
    assert out.dtype == expected_elementwise_dtype(dtypes, x64), (dtypes, out.dtype)
    rtol = 1e-5 if out.dtype in (np.float32, np.complex64) else 1e-12
    np.testing.assert_allclose(out, reference, rtol=rtol, atol=rtol)
    assert all(t is np.ndarray for ts in seen for t in ts)


def _nary(host, n):
    """Decorate `host` as a function of exactly `n` named parameters."""
    if n == 1:

        def f1(a):
            return host(a)

        return host_function(f1)
    if n == 2:

        def f2(a, b):
            return host(a, b)

        return host_function(f2)

    def f3(a, b, c):
        return host(a, b, c)

    return host_function(f3)


@pytest.mark.parametrize(
    ("value", "expected32", "expected64"),
    [
        (3, "float32", "float64"),
        (np.int32(3), "float32", "float64"),
        (np.arange(3, dtype=np.int8), "float32", "float64"),
        (True, "float32", "float64"),
        (np.float32(1.5), "float32", "float32"),
        (2.5, "float32", "float64"),
        (np.float64(2.5), "float32", "float64"),
        (1 + 2j, "complex64", "complex128"),
        (np.complex64(1 + 2j), "complex64", "complex64"),
    ],
)
def test_elementwise_dtype_table(x64, value, expected32, expected64):
    @host_function
    def half(x):
        return x / 2

    out = half(value)
    assert out.dtype == np.dtype(expected64 if x64 else expected32)
    np.testing.assert_allclose(out, np.asarray(value) / 2, rtol=1e-6)


def test_ufunc_resolve_dtypes_hankel1(x64):
    h1 = host_function(sc.hankel1)
    z32 = np.float32(2.5)
    out = h1(1.0, z32)
    assert out.dtype == np.complex64
    np.testing.assert_allclose(out, sc.hankel1(1.0, 2.5), rtol=1e-5)
    out = h1(1.0, np.array([0.5, 2.5]))  # float64 input
    assert out.dtype == (np.complex128 if x64 else np.complex64)
    np.testing.assert_allclose(out, sc.hankel1(1.0, [0.5, 2.5]), rtol=1e-5 if not x64 else 1e-13)
    # A real ufunc stays real.
    jv = host_function(sc.jv)
    assert jv(1.0, z32).dtype == np.float32
    assert jv(1, 2).dtype == (np.float64 if x64 else np.float32)


def test_ufunc_integer_output_kind():
    # A ufunc that returns a boolean keeps that kind.
    isfinite = host_function(np.isfinite)
    out = isfinite(np.array([1.0, np.inf, np.nan]))
    assert out.dtype == np.bool_
    np.testing.assert_array_equal(out, [True, False, False])


def test_dtype_override(x64):
    def square(x):
        return x * x

    as_complex = host_function(square, dtype="complex")
    assert as_complex(np.float32(2.0)).dtype == np.complex64
    assert as_complex(np.array([2.0])).dtype == (np.complex128 if x64 else np.complex64)
    np.testing.assert_allclose(as_complex(np.array([2.0])), [4.0])

    @host_function(dtype="float")
    def modulus(z):
        return np.abs(z)

    out = modulus(np.array([3 + 4j], dtype=np.complex64))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [5.0])
    out = modulus(np.array([3 + 4j]))
    assert out.dtype == (np.float64 if x64 else np.float32)

    @host_function(dtype=np.int32)
    def floor_int(x):
        return np.floor(x).astype(np.int32)

    out = floor_int(np.array([1.5, -0.5]))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [1, -1])

    as64 = host_function(square, dtype=np.float64)
    assert as64(np.float32(3.0)).dtype == (np.float64 if x64 else np.float32)


def test_dtype_override_on_signature(x64):
    @host_function(signature="(n)->()", dtype="complex")
    def first_root(c):
        return np.roots(c)[0] if len(c) > 1 else 0j

    out = first_root(np.array([1.0, 0.0, 1.0]))  # x**2 + 1
    assert out.dtype == (np.complex128 if x64 else np.complex64)
    assert abs(abs(complex(out)) - 1.0) < 1e-6


def test_signature_dot_loop_dims_broadcast(x64, counted):
    def dot(a, b):
        assert a.ndim == 1 and b.ndim == 1  # written for the core dimensions only
        return np.dot(a, b)

    c = counted(dot)
    f = host_function(c.wrapper, signature="(n),(n)->()")
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 1, 4))
    b = rng.normal(size=(2, 4))
    out = f(a, b)
    assert out.shape == (3, 2)
    assert out.dtype == (np.float64 if x64 else np.float32)
    np.testing.assert_allclose(out, np.einsum("ikn,jn->ij", a, b), rtol=1e-5)
    assert all(s == ((4,), (4,)) for s in c.calls)
    # Core only: called directly.
    np.testing.assert_allclose(f(a[0, 0], b[0]), a[0, 0] @ b[0], rtol=1e-5)


def test_signature_two_outputs_tuple(x64):
    @host_function(signature="(n)->(),(n)")
    def norm_and_unit(x):
        r = np.linalg.norm(x)
        return r, x / r

    x = np.array([[3.0, 4.0], [6.0, 8.0], [1.0, 0.0]])
    r, u = norm_and_unit(x)
    assert isinstance((r, u), tuple)
    assert r.shape == (3,) and u.shape == (3, 2)
    np.testing.assert_allclose(r, [5.0, 10.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(u, x / np.linalg.norm(x, axis=1, keepdims=True), rtol=1e-6)
    r2, u2 = jax.jit(norm_and_unit)(x)
    np.testing.assert_allclose(r2, r)
    np.testing.assert_allclose(u2, u)


def test_signature_matrix_vector(x64):
    @host_function(signature="(m,n),(n)->(m)")
    def matvec(a, v):
        assert a.ndim == 2 and v.ndim == 1
        return a @ v

    rng = np.random.default_rng(1)
    a = rng.normal(size=(5, 2, 3))
    v = rng.normal(size=(4, 1, 3))
    out = matvec(a, v)
    assert out.shape == (4, 5, 2)
    np.testing.assert_allclose(
        out, np.einsum("kmn,jkn->jkm", a, np.broadcast_to(v, (4, 5, 3))), rtol=1e-5
    )

    # Fixed core sizes in the signature.
    @host_function(signature="(3),(3)->(3)")
    def cross(a, b):
        return np.cross(a, b)

    e = np.eye(3)
    np.testing.assert_allclose(cross(e[0], e[1]), e[2])


def test_all_scalar_signature_airy(x64):
    airy = host_function(sc.airy, signature="()->(),(),(),()")
    x = np.linspace(-2.0, 2.0, 7).reshape(7, 1) * np.ones((1, 2))
    out = airy(x)
    assert isinstance(out, tuple) and len(out) == 4
    for got, want in zip(out, sc.airy(x), strict=True):
        assert got.shape == x.shape
        assert got.dtype == (np.float64 if x64 else np.float32)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_all_scalar_signature_calls_host_on_whole_arrays(counted):
    def sum_and_diff(x, y):
        return x + y, x - y

    c = counted(sum_and_diff)
    f = host_function(c.wrapper, signature="(),()->(),()")
    s, d = f(np.ones((2, 3)), np.arange(3.0))
    np.testing.assert_allclose(s, 1 + np.arange(3.0) * np.ones((2, 3)))
    np.testing.assert_allclose(d, 1 - np.arange(3.0) * np.ones((2, 3)))
    assert c.count == 1 and len(c.calls[0][0]) == 2  # one call on the broadcast arrays


def test_out_shape_dtype_struct():
    @host_function(out=jax.ShapeDtypeStruct((2,), jnp.float32))
    def ends(x):
        return np.array([x[0], x[-1]])

    out = ends(np.arange(5.0))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [0.0, 4.0])


def test_out_tuple_and_dict_pytrees(x64):
    @host_function(
        out=(jax.ShapeDtypeStruct((), jnp.float32), jax.ShapeDtypeStruct((3,), jnp.int32))
    )
    def stats(x):
        return np.float32(x.sum()), np.argsort(x).astype(np.int32)

    total, order = stats(np.array([3.0, 1.0, 2.0]))
    np.testing.assert_allclose(total, 6.0)
    np.testing.assert_array_equal(order, [1, 2, 0])
    assert order.dtype == np.int32

    @host_function(
        out=lambda x: {
            "mean": jax.ShapeDtypeStruct((), x.dtype),
            "parts": (jax.ShapeDtypeStruct(x.shape, x.dtype), jax.ShapeDtypeStruct((), jnp.int32)),
        }
    )
    def summary(x):
        return {"mean": x.mean(), "parts": (x - x.mean(), np.int32(x.size))}

    x = np.array([1.0, 2.0, 6.0])
    res = summary(x)
    assert set(res) == {"mean", "parts"}
    np.testing.assert_allclose(res["mean"], 3.0)
    np.testing.assert_allclose(res["parts"][0], x - 3.0)
    assert int(res["parts"][1]) == 3
    assert res["mean"].dtype == (np.float64 if x64 else np.float32)
    res_jit = jax.jit(summary)(x)
    np.testing.assert_allclose(res_jit["parts"][0], x - 3.0)


def test_out_callable_receives_structs_and_static_values():
    seen = []

    def spec(x, k):
        seen.append((type(x), k))
        return jax.ShapeDtypeStruct((*x.shape[:-1], k), x.dtype)

    @host_function(out=spec, static_argnames="k")
    def head(x, k):
        return x[..., :k]

    out = head(np.arange(12.0, dtype=np.float32).reshape(3, 4), 2)
    np.testing.assert_allclose(out, np.arange(12.0).reshape(3, 4)[:, :2])
    assert seen[0][0] is jax.ShapeDtypeStruct and seen[0][1] == 2


def test_out_probe_and_its_cache(x64, counted):
    def moments(x):
        return {"sum": np.sum(x), "sq": x**2}

    c = counted(moments)
    f = host_function(c.wrapper, out="probe")
    x = np.arange(4.0)
    res = f(x)
    np.testing.assert_allclose(res["sum"], 6.0)
    np.testing.assert_allclose(res["sq"], x**2)
    assert res["sq"].dtype == (np.float64 if x64 else np.float32)
    probes = [s for s in c.calls]
    assert c.count == 2  # one probe + one evaluation
    # A new trace (jit of a wrapper) with the same shapes does not probe again.
    jax.jit(lambda x: f(x)["sum"] + 1)(x)
    assert c.count == 3, probes
    # New shapes probe once more.
    f(np.arange(5.0))
    assert c.count == 5


def test_probe_cache_key_includes_static_values(counted):
    def reps(x, n):
        return np.tile(x, n)

    c = counted(reps)
    f = host_function(c.wrapper, out="probe", static_argnames="n")
    np.testing.assert_allclose(f(np.arange(2.0), 2), [0, 1, 0, 1])
    np.testing.assert_allclose(f(np.arange(2.0), 3), [0, 1, 0, 1, 0, 1])
    assert c.count == 4


def test_x64_off_canonicalises_float64_host_results():
    previous = jax.config.read("jax_enable_x64")
    jax.config.update("jax_enable_x64", False)
    try:

        @host_function
        def wide(x):
            return np.asarray(x, dtype=np.float64) * 3

        out = wide(np.float32(2.0))
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, 6.0)

        @host_function(out="probe")
        def probed(x):
            return np.asarray(x, dtype=np.float64).sum(), np.arange(3, dtype=np.int64)

        s, r = probed(np.ones(3, dtype=np.float32))
        assert s.dtype == np.float32 and r.dtype == np.int32
        np.testing.assert_array_equal(r, [0, 1, 2])

        @host_function(out=jax.ShapeDtypeStruct((2,), np.float64))
        def declared64(x):
            return np.array([1.0, 2.0], dtype=np.float64)

        out = declared64(1.0)
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, [1.0, 2.0])
    finally:
        jax.config.update("jax_enable_x64", previous)


def test_host_result_converted_to_declared_dtype(x64):
    @host_function
    def as_int(x):
        return np.ones(np.shape(x), dtype=np.int16)  # same kind promotion to float

    out = as_int(np.zeros(2, dtype=np.float32))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [1.0, 1.0])


def test_wrong_host_shape_names_function_and_shapes(callback_mode):
    @host_function
    def wrong_shape(x):
        return np.zeros(3)

    with pytest.raises(Exception, match=r"`wrong_shape`[\s\S]*\(3,\)[\s\S]*\(2,\)"):
        wrong_shape(np.ones(2))
    with pytest.raises(Exception, match=r"`wrong_shape`[\s\S]*\(3,\)[\s\S]*\(2,\)"):
        jax.jit(wrong_shape)(np.ones(2))


def test_wrong_host_structure_raises(callback_mode):
    @host_function(out=(jax.ShapeDtypeStruct((), jnp.float32),) * 2)
    def wrong_structure(x):
        return x

    with pytest.raises(Exception, match=r"`wrong_structure`"):
        wrong_structure(1.0)


def test_host_exception_reaches_caller(callback_mode):
    @host_function
    def explodes(x):
        raise ArithmeticError("negative radius not supported: r=-1")

    with pytest.raises(Exception) as info:
        explodes(np.ones(2))
    assert "explodes" in str(info.value)
    assert "negative radius not supported: r=-1" in str(info.value)
    with pytest.raises(Exception, match=r"negative radius not supported"):
        jax.jit(lambda x: explodes(x) + 1)(np.ones(2))


def test_complex_host_result_for_real_output_raises(callback_mode):
    @host_function
    def sneaky(x):
        return x + 1j

    with pytest.raises(
        Exception, match=r"`sneaky` returned complex values[\s\S]*dtype=\"complex\""
    ):
        sneaky(np.ones(2, dtype=np.float32))

    @host_function
    def harmless(x):
        return x + 0j  # zero imaginary part converts

    np.testing.assert_allclose(harmless(np.ones(2, dtype=np.float32)), [1.0, 1.0])


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0)])
def test_zero_size_inputs_give_zero_size_outputs(x64, shape, callback_mode):
    @host_function
    def twice(x, y):
        return 2 * x + y

    out = twice(np.ones(shape), 1.0)
    assert out.shape == shape
    assert out.dtype == (np.float64 if x64 else np.float32)
    assert jax.jit(twice)(np.ones(shape), np.ones(shape[-1:])).shape == shape

    @host_function(signature="(n)->()")
    def total(x):
        return np.sum(x)

    out = total(np.ones(shape))
    assert out.shape == shape[:-1]
    if out.size:
        np.testing.assert_allclose(out, 0.0)

    airy = host_function(sc.airy, signature="()->(),(),(),()")
    assert all(o.shape == shape for o in airy(np.ones(shape)))


def test_broadcasting_mismatch_raises():
    @host_function
    def add(x, y):
        return x + y

    with pytest.raises(
        ValueError, match=r"`add`: argument shapes x=\(2,\), y=\(3,\) do not broadcast"
    ):
        add(np.ones(2), np.ones(3))
