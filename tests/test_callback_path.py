"""The choice between the zero-copy buffer path and `jax.pure_callback`."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

from autocallback import _host_call, _threads, host_function

# The Python host call (SciPy's ufuncs are native on CPU unless switched off).
pytestmark = pytest.mark.usefixtures("python_path")


@pytest.mark.parametrize(
    ("backend", "expected"), [("cpu", "buffer"), ("gpu", "pure"), ("tpu", "pure")]
)
def test_backend_choice(monkeypatch, backend, expected):
    # GPU/TPU buffers cannot be handed to NumPy: only CPU may take the zero-copy path.
    monkeypatch.setattr(jax, "default_backend", lambda: backend)
    monkeypatch.setattr(_host_call, "_mode", "auto")
    assert _host_call.callback_mode() == expected


def test_forced_modes(monkeypatch):
    monkeypatch.setattr(_host_call, "_mode", "auto")
    try:
        _host_call.set_callback_mode("pure")
        assert _host_call.callback_mode() == "pure"
        _host_call.set_callback_mode("buffer")
        assert _host_call.callback_mode() == "buffer"
        with pytest.raises(ValueError, match="callback mode must be one of"):
            _host_call.set_callback_mode("fast")
    finally:
        _host_call.set_callback_mode("auto")


def test_gpu_backend_lowers_through_pure_callback(monkeypatch):
    """With a non-CPU default backend, the traced program holds a pure_host_call."""
    monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
    erf = host_function(sc.erf)
    text = str(jax.make_jaxpr(erf)(jnp.ones(3)))
    assert "pure_callback" in text and "buffer_callback" not in text
    monkeypatch.undo()
    erf_cpu = host_function(sc.erf)
    text = str(jax.make_jaxpr(erf_cpu)(jnp.ones(3)))
    assert "buffer_callback" in text


@pytest.mark.parametrize("mode", ["buffer", "pure"])
def test_both_paths_same_values(mode):
    _host_call.set_callback_mode(mode)
    try:
        jv = host_function(sc.jv, derivatives={"v": None, "z": "jv(v - 1, z) - v / z * jv(v, z)"})
        z = np.linspace(0.5, 4.0, 7, dtype=np.float32)
        np.testing.assert_allclose(jax.jit(jv)(1.5, z), sc.jv(1.5, z), rtol=1e-6)
        np.testing.assert_allclose(
            jax.grad(lambda t: jv(1.5, t).sum())(z), sc.jvp(1.5, z), rtol=1e-5
        )
    finally:
        _host_call.set_callback_mode("auto")


@pytest.mark.parametrize(
    ("v_shape", "z_shape"),
    [((), (300_000,)), ((3, 1), (3, 100_000)), ((2, 1), (1, 150_000)), ((1,), (70_000,))],
)
def test_large_ufunc_calls_split_over_threads_give_identical_values(monkeypatch, v_shape, z_shape):
    monkeypatch.setattr(_threads, "_THREADS", 4)
    monkeypatch.setattr(_threads, "_MIN_BLOCK", 1000)
    calls = []
    real = _threads.ufunc_into

    def spy(ufunc, arrays, outs):
        calls.append(outs[0].shape)
        return real(ufunc, arrays, outs)

    monkeypatch.setattr(_threads, "ufunc_into", spy)
    _host_call.set_callback_mode("buffer")
    try:
        jv = host_function(sc.jv)
        rng = np.random.default_rng(0)
        v = rng.uniform(0, 3, v_shape).astype(np.float32)
        z = rng.uniform(0.1, 30, z_shape).astype(np.float32)
        np.testing.assert_array_equal(jax.jit(jv)(v, z), sc.jv(v, z))
        assert calls  # the ufunc path was taken
    finally:
        _host_call.set_callback_mode("auto")


def test_thread_split_rows():
    """Blocks follow the first axis; broadcast (size-1) leading dimensions stay whole."""
    out = np.empty((5, 4))
    a = np.arange(20.0).reshape(5, 4)
    b = np.ones((1, 4))
    old = (_threads._THREADS, _threads._MIN_BLOCK)
    _threads._THREADS, _threads._MIN_BLOCK = 3, 1
    try:
        _threads.ufunc_into(np.add, [a, b], [out])
    finally:
        _threads._THREADS, _threads._MIN_BLOCK = old
    np.testing.assert_array_equal(out, a + 1)


def test_fused_derivative_evaluation_split_over_threads(monkeypatch):
    monkeypatch.setattr(_threads, "_THREADS", 3)
    monkeypatch.setattr(_threads, "_MIN_BLOCK", 1000)
    seen = []
    real = _threads.map_row_blocks

    def spy(compute, arrays, shape):
        seen.append(_threads._row_edges(shape))
        return real(compute, arrays, shape)

    monkeypatch.setattr(_threads, "map_row_blocks", spy)
    jv = host_function(sc.jv, derivatives={"v": None, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"})
    z = np.linspace(0.5, 30.0, 3 * 20_000).reshape(3, 20_000)
    v = np.array([[0.5], [1.5], [2.5]])
    with jax.enable_x64(True):
        got = jax.jit(jax.grad(lambda t: jv(v, t).sum()))(z)
    np.testing.assert_allclose(got, sc.jvp(v, z), rtol=1e-12, atol=1e-15)
    assert any(edges is not None and len(edges) == 4 for edges in seen)


def test_user_host_code_in_formulas_stays_on_one_thread():
    from autocallback._fused import ExprFunction

    @host_function(derivatives={"x": "(square(x + 1) - square(x - 1)) / 2"})  # Python host
    def square(x):
        return x * x

    @host_function(derivatives={"x": "3 * x**2 - besselj(1, x)"})
    def cube(x):
        return x**3 + sc.jv(0, x)

    with jax.enable_x64(True):
        np.testing.assert_allclose(jax.grad(lambda t: square(t).sum())(np.full(4, 3.0)), 6.0)
        np.testing.assert_allclose(
            jax.grad(lambda t: cube(t).sum())(np.full(4, 2.0)), 12.0 - sc.jv(1, 2.0)
        )
    programs = {str(f.exprs): f.program for f in list(ExprFunction._cache.values())}
    calls_square = [p for text, p in programs.items() if "square(x + 1)" in text]
    pure_numpy = [p for text, p in programs.items() if text == "(besselj(1, x),)"]
    assert calls_square and not any(p.thread_safe for p in calls_square)
    assert pure_numpy and all(p.thread_safe for p in pure_numpy)
