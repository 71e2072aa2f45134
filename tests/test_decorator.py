"""`host_function` as a decorator: forms, signature, arguments, static arguments, caching,
and the two callback paths."""

from __future__ import annotations

import functools
import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

import autocallback as ac
from autocallback import host_function


def test_bare_and_with_arguments(x64):
    @host_function
    def bare(x, y):
        return np.hypot(x, y)

    @host_function()
    def empty_call(x, y):
        return np.hypot(x, y)

    @host_function(dtype="float")
    def with_args(x, y):
        return np.hypot(x, y)

    def plain(x, y):
        return np.hypot(x, y)

    called = host_function(plain, dtype="float")

    x, y = np.array([3.0, 5.0]), np.array([4.0, 12.0])
    for f in (bare, empty_call, with_args, called):
        assert isinstance(f, ac.HostFunction)
        out = f(x, y)
        assert isinstance(out, jax.Array)
        np.testing.assert_allclose(out, [5.0, 13.0], rtol=1e-6)
        np.testing.assert_allclose(jax.jit(f)(x, y), [5.0, 13.0], rtol=1e-6)


def test_wraps_signature_and_wrapped():
    def hyp(x, y=2.0, *, scale=1.0):
        """Scaled hypotenuse."""
        return scale * np.hypot(x, y)

    f = host_function(hyp)
    assert f.__wrapped__ is hyp
    assert f.__name__ == "hyp"
    assert f.__qualname__ == hyp.__qualname__
    assert f.__doc__ == "Scaled hypotenuse."
    assert f.__module__ == hyp.__module__
    assert inspect.signature(f) == inspect.signature(hyp)
    assert str(inspect.signature(f)) == "(x, y=2.0, *, scale=1.0)"


def test_ufunc_parameters_from_docstring():
    jv = host_function(sc.jv)
    assert jv.__wrapped__ is sc.jv
    assert list(inspect.signature(jv).parameters) == ["v", "z"]
    np.testing.assert_allclose(jv(1.0, 2.0), sc.jv(1.0, 2.0), rtol=1e-6)
    np.testing.assert_allclose(jv(v=1.0, z=2.0), sc.jv(1.0, 2.0), rtol=1e-6)


def test_defaults_and_keywords(x64):
    @host_function
    def affine(x, a=2.0, *, b=1.0):
        assert isinstance(x, np.ndarray) and isinstance(a, np.ndarray)
        assert isinstance(b, np.ndarray)
        return a * x + b

    x = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(affine(x), 2 * x + 1)
    np.testing.assert_allclose(affine(x, 3.0), 3 * x + 1)
    np.testing.assert_allclose(affine(x, b=5.0), 2 * x + 5)
    np.testing.assert_allclose(affine(x=x, a=-1.0, b=0.5), -x + 0.5)
    np.testing.assert_allclose(jax.jit(lambda x: affine(x, b=-1.0))(x), 2 * x - 1)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: 1.5, id="python-float"),
        pytest.param(lambda: 3, id="python-int"),
        pytest.param(lambda: True, id="python-bool"),
        pytest.param(lambda: np.float32(1.5), id="numpy-scalar"),
        pytest.param(lambda: np.linspace(0.0, 1.0, 4), id="numpy-array"),
        pytest.param(lambda: jnp.linspace(0.0, 1.0, 4), id="jax-array"),
        pytest.param(lambda: [0.0, 0.5, 1.0], id="list"),
    ],
)
def test_accepts_arrays_and_scalars_host_gets_ndarray(make, callback_mode):
    seen = []

    @host_function
    def shifted_exp(x):
        seen.append(type(x))
        assert isinstance(x, np.ndarray), type(x)
        return np.expm1(x.astype(np.float64))

    x = make()
    out = shifted_exp(x)
    assert isinstance(out, jax.Array)
    np.testing.assert_allclose(out, np.expm1(np.asarray(x, dtype=np.float64)), rtol=1e-6)
    out_jit = jax.jit(shifted_exp)(x) if not isinstance(x, list) else shifted_exp(x)
    np.testing.assert_allclose(out_jit, out, rtol=1e-6)
    assert seen and all(t is np.ndarray for t in seen)


def test_static_argnames_get_python_values(x64):
    seen = []

    @host_function(static_argnames=("mode", "k"))
    def scaled(x, mode="double", k=1):
        seen.append((type(mode), type(k), mode, k))
        assert isinstance(x, np.ndarray)
        return x * (2 if mode == "double" else 3) * k

    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(scaled(x), 2 * x)
    np.testing.assert_allclose(scaled(x, "triple"), 3 * x)
    np.testing.assert_allclose(scaled(x, mode="triple", k=4), 12 * x)
    np.testing.assert_allclose(jax.jit(lambda x: scaled(x, "triple", 5))(x), 15 * x)
    assert all(t is str and kt is int for t, kt, _, _ in seen)
    assert {(m, k) for _, _, m, k in seen} == {
        ("double", 1),
        ("triple", 1),
        ("triple", 4),
        ("triple", 5),
    }
    assert scaled.static_argnames == ("mode", "k")
    assert scaled.parameters == ("x",)


def test_static_argname_as_string_and_tuple_value():
    @host_function(static_argnames="axes")
    def total(x, axes):
        assert isinstance(axes, tuple)
        return np.full(np.shape(x), float(sum(axes)))

    np.testing.assert_allclose(total(np.zeros(3), (1, 2)), [3.0, 3.0, 3.0])


def test_static_arguments_are_part_of_the_cache_key():
    @host_function(static_argnames="power")
    def pw(x, power):
        return x**power

    x = np.array([2.0, 3.0])
    np.testing.assert_allclose(pw(x, 2), [4.0, 9.0])
    np.testing.assert_allclose(pw(x, 3), [8.0, 27.0])
    np.testing.assert_allclose(pw(x, 2), [4.0, 9.0])


def test_unhashable_static_raises_typeerror():
    @host_function(static_argnames="opts")
    def f(x, opts):
        return x

    with pytest.raises(TypeError, match=r"`f`: static argument 'opts' must be hashable, got list"):
        f(1.0, [1, 2])
    with pytest.raises(TypeError, match=r"hashable, got dict"):
        f(1.0, {"a": 1})


def test_unknown_static_name_raises_valueerror():
    def f(x, y):
        return x + y

    with pytest.raises(
        ValueError,
        match=r"`host_function` for `f`: static_argnames names 'z', which is not a parameter",
    ):
        host_function(f, static_argnames="z")


@pytest.mark.parametrize(
    ("args", "kwargs", "pattern"),
    [
        ((1.0,), {}, r"missing a required argument: 'y'"),
        ((1.0, 2.0, 3.0), {}, r"too many positional arguments"),
        ((1.0,), {"z": 2.0}, r"(unexpected keyword argument 'z'|missing a required argument)"),
        ((1.0, 2.0), {"x": 2.0}, r"multiple values for argument 'x'"),
    ],
)
def test_wrong_arity_raises_typeerror(args, kwargs, pattern):
    @host_function
    def add(x, y):
        return x + y

    with pytest.raises(TypeError, match=pattern) as info:
        add(*args, **kwargs)
    assert "`add`" in str(info.value)


@pytest.mark.parametrize("bad", ["abc", None, {"a": 1}, object(), np.array(["a", "b"])])
def test_non_array_argument_names_argument_and_suggests_static(bad):
    @host_function
    def add(x, y):
        return x + y

    with pytest.raises(TypeError, match=r"`add`: argument 'y' got \w+") as info:
        add(1.0, bad)
    assert "static_argnames" in str(info.value)


def test_eager_calls_do_not_retrace():
    traces = []

    def spec(x):
        traces.append(x.shape)
        return jax.ShapeDtypeStruct(x.shape, jnp.float32)

    @host_function(out=spec)
    def double(x):
        return 2 * x

    x = np.arange(3.0, dtype=np.float32)
    for _ in range(3):
        np.testing.assert_allclose(double(x), 2 * x)
    assert traces == [(3,)]
    double(np.arange(4.0, dtype=np.float32))  # a new shape traces once more
    double(np.arange(4.0, dtype=np.float32))
    assert traces == [(3,), (4,)]


def test_eager_elementwise_calls_do_not_reprobe_or_recompile(counted):
    c = counted(lambda x: np.sqrt(x), name="root")
    f = host_function(c.wrapper, out="probe")
    x = np.array([1.0, 4.0, 9.0], dtype=np.float32)
    f(x)
    first = c.count  # the probe + one evaluation
    assert first == 2
    for _ in range(3):
        np.testing.assert_allclose(f(x), [1.0, 2.0, 3.0])
    assert c.count == first + 3  # one host call per call, no re-probing


def test_both_callback_paths_give_identical_values(x64):
    from autocallback import _host_call

    z = np.linspace(0.1, 8.0, 17)
    v = np.array([[0.0], [1.5], [3.0]])
    results = {}
    try:
        for mode in ("buffer", "pure"):
            _host_call.set_callback_mode(mode)

            @host_function
            def pyfun(v, z):
                return sc.jv(v, z) * np.exp(-z)

            ufunc = host_function(sc.jv)
            results[mode] = (
                np.asarray(pyfun(v, z)),
                np.asarray(jax.jit(ufunc)(v, z)),
                np.asarray(jax.vmap(ufunc, in_axes=(0, None))(v[:, 0], z)),
            )
    finally:
        _host_call.set_callback_mode("auto")
    for a, b in zip(results["buffer"], results["pure"], strict=True):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    np.testing.assert_allclose(results["pure"][1], sc.jv(v, z), rtol=1e-5, atol=1e-7)


def test_callable_object_and_method():
    class Scaler:
        def __init__(self, k):
            self.k = k

        def __call__(self, x):
            return self.k * x

    scaled = host_function(Scaler(3.0), name="scaled")
    np.testing.assert_allclose(scaled(np.array([1.0, 2.0])), [3.0, 6.0])

    def mul(k, x):
        return k * x

    partial = host_function(functools.partial(mul, 4.0), name="times4")
    np.testing.assert_allclose(partial(np.array([1.0, 2.0])), [4.0, 8.0])


def test_repr_names_function():
    @host_function
    def cube(x):
        return x**3

    assert "cube" in repr(cube)


def test_lambda_without_name():
    f = host_function(lambda x: np.sin(x))
    np.testing.assert_allclose(f(np.array([0.5])), np.sin([0.5]), rtol=1e-6)
    np.testing.assert_allclose(jax.jit(f)(0.5), np.sin(0.5), rtol=1e-6)
    g = host_function(lambda x: np.sin(x), derivatives={"x": lambda x: jnp.cos(x)})
    np.testing.assert_allclose(jax.grad(g)(0.5), np.cos(0.5), rtol=1e-6)
    h = host_function(lambda x: np.sin(x), name="sine", derivatives={"x": "cos(x)"})
    np.testing.assert_allclose(jax.grad(h)(0.5), np.cos(0.5), rtol=1e-6)


def test_keyword_only_parameters_reach_every_callable():
    """The host, an `out=` callable and a derivative callable all receive a keyword-only
    parameter by keyword."""

    def spec(x, *, scale):
        assert scale == 3.0
        return jax.ShapeDtypeStruct(x.shape, x.dtype)

    @host_function(out=spec, static_argnames="scale", jvp=lambda p, t: (3.0 * t[0],))
    def scaled(x, *, scale):
        return np.asarray(x * scale, dtype=x.dtype)

    np.testing.assert_allclose(scaled(np.ones(2, np.float32), scale=3.0), [3.0, 3.0])

    @host_function(
        derivatives={"x": lambda x, *, scale: scale * jnp.ones_like(x)}, static_argnames="scale"
    )
    def times(x, *, scale):
        return x * scale

    np.testing.assert_allclose(jax.grad(lambda x: times(x, scale=2.0))(1.5), 2.0)
