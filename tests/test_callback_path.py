"""The choice between the zero-copy buffer path and `jax.pure_callback`."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

from autocallback import _callback, host_function


@pytest.mark.parametrize(
    ("backend", "expected"), [("cpu", "buffer"), ("gpu", "pure"), ("tpu", "pure")]
)
def test_backend_choice(monkeypatch, backend, expected):
    # GPU/TPU buffers cannot be handed to NumPy: only CPU may take the zero-copy path.
    monkeypatch.setattr(jax, "default_backend", lambda: backend)
    monkeypatch.setattr(_callback, "_mode", "auto")
    assert _callback.callback_mode() == expected


def test_forced_modes(monkeypatch):
    monkeypatch.setattr(_callback, "_mode", "auto")
    try:
        _callback.set_callback_mode("pure")
        assert _callback.callback_mode() == "pure"
        _callback.set_callback_mode("buffer")
        assert _callback.callback_mode() == "buffer"
        with pytest.raises(ValueError, match="callback mode must be one of"):
            _callback.set_callback_mode("fast")
    finally:
        _callback.set_callback_mode("auto")


def test_gpu_backend_lowers_through_pure_callback(monkeypatch):
    """With a non-CPU default backend, the traced program holds a pure_callback."""
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
    _callback.set_callback_mode(mode)
    try:
        jv = host_function(sc.jv, derivatives={"v": None, "z": "jv(v - 1, z) - v / z * jv(v, z)"})
        z = np.linspace(0.5, 4.0, 7, dtype=np.float32)
        np.testing.assert_allclose(jax.jit(jv)(1.5, z), sc.jv(1.5, z), rtol=1e-6)
        np.testing.assert_allclose(
            jax.grad(lambda t: jv(1.5, t).sum())(z), sc.jvp(1.5, z), rtol=1e-5
        )
    finally:
        _callback.set_callback_mode("auto")
