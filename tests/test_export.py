"""`autocallback.export` and JAX's persistent compilation cache.

Programs whose host calls are all native kernels export, serialize and load in a fresh
process (the README's install builds the native kernels; those tests skip only with
`AUTOCALLBACK_NATIVE=0`). A Python host call cannot be
exported: the `ValueError` names it, before JAX's own error.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.special as sc

import autocallback
from autocallback import host_function, special

CASES = Path(__file__).with_name("export_cases.py")
TIMEOUT_S = 300
X = np.linspace(0.6, 2.4, 5, dtype=np.float32)


def _run(*args: str) -> dict:
    env = dict(os.environ)
    for var in ("JAX_ENABLE_X64", "XLA_FLAGS", "JAX_COMPILATION_CACHE_DIR"):
        env.pop(var, None)
    result = subprocess.run(
        [sys.executable, str(CASES), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _require_native() -> None:
    # The README's install builds the native kernels: only a deliberate switch-off skips.
    if os.environ.get("AUTOCALLBACK_NATIVE", "").strip() == "0":
        pytest.skip("AUTOCALLBACK_NATIVE=0 in the environment")
    assert special.kv.native, "`autocallback.special.kv` does not run as a native kernel"


def _message(where: str, calls: str) -> str:
    return (
        f"`autocallback.export` cannot export {where}: {calls}, and Python callbacks cannot "
        f"be serialized. Use host functions that run as native kernels (on CPU, the SciPy "
        f"ufuncs of `autocallback.special` and `host_function(scipy.special.<ufunc>)`), or "
        f"keep the Python host call outside the exported program and pass its result in as "
        f"an argument."
    )


# --------------------------------------------------------------------------------------
# Python host calls cannot travel


def test_python_host_call_is_named():
    @host_function(derivatives={"x": "cos(x)"})
    def host_sin(x):
        return np.sin(x)

    @host_function(derivatives={"x": "1 - host_tanh(x) ** 2"})
    def host_tanh(x):
        return np.tanh(x)

    def model(x):
        return jnp.sum(host_sin(x) * host_tanh(x) * special.kv(0.5, x))

    message = _message("`model`", "it calls `host_sin`, `host_tanh` through Python callbacks")
    for fun in (model, jax.value_and_grad(model)):
        with pytest.raises(ValueError) as info:
            autocallback.export(fun)(X)
        assert str(info.value) == message.replace("`model`", f"`{fun.__name__}`")


def test_python_host_call_inside_transformations_is_named():
    @host_function
    def host_exp(x):
        return np.exp(x)

    def model(x):
        def body(carry, xi):
            return carry + jax.lax.cond(xi > 1, host_exp, jnp.exp, xi), None

        return jax.lax.scan(body, 0.0, jax.vmap(jax.checkpoint(jnp.sin))(x))[0]

    with pytest.raises(ValueError, match=r"it calls `host_exp` through Python callback,"):
        autocallback.export(model)(X)


def test_other_python_callback_is_refused():
    def model(x):
        return jax.pure_callback(np.sin, jax.ShapeDtypeStruct(x.shape, x.dtype), x)

    with pytest.raises(ValueError) as info:
        autocallback.export(model)(X)
    assert str(info.value) == _message("`model`", "it contains a Python callback")


def test_python_host_call_in_a_derivative_is_named():
    # The primal is pure JAX; its derivative calls a Python host function.
    @host_function
    def host_cos(x):
        return np.cos(x)

    @jax.custom_jvp
    def g(x):
        return jnp.sin(x)

    @g.defjvp
    def g_jvp(primals, tangents):
        return g(primals[0]), host_cos(primals[0]) * tangents[0]

    exp = autocallback.export(g)(X)
    np.testing.assert_allclose(
        jax.export.deserialize(exp.serialize()).call(X), np.sin(X), rtol=1e-6
    )
    message = _message(
        "the derivative of order 1 of `g`", "it calls `host_cos` through Python callback"
    )
    with pytest.raises(ValueError) as info:
        exp.serialize(vjp_order=1)
    assert str(info.value) == message
    with pytest.raises(ValueError, match="derivative of order 1 of `g`"):
        exp.vjp()


# --------------------------------------------------------------------------------------
# Programs without host calls: `jax.export` semantics, nothing waived


def test_pure_jax_program_round_trips(tmp_path):
    def model(x):
        return jnp.sin(x) * jnp.exp(-x)

    exp = autocallback.export(model)(jax.ShapeDtypeStruct(X.shape, X.dtype))
    assert isinstance(exp, jax.export.Exported)
    assert exp.fun_name == "model"
    assert exp.disabled_safety_checks == ()
    artifact, inputs = tmp_path / "model.bin", tmp_path / "x.npy"
    artifact.write_bytes(exp.serialize(vjp_order=1))
    np.save(inputs, X)
    loaded = _run("load", str(artifact), str(inputs))
    np.testing.assert_allclose(loaded["value"], model(X), rtol=1e-6)
    grad = jax.grad(lambda x: model(x).sum())(X)
    np.testing.assert_allclose(loaded["grad"], grad, rtol=1e-6)
    assert loaded["imported"] == []


def test_keyword_arguments_and_jitted_functions():
    @jax.jit
    def scaled(x, *, scale):
        return jnp.sin(x) * scale

    exp = autocallback.export(scaled)(X, scale=np.float32(3.0))
    loaded = jax.export.deserialize(exp.serialize())
    np.testing.assert_allclose(loaded.call(X, scale=np.float32(3.0)), 3 * np.sin(X), rtol=1e-6)


def _ffi_model(target):
    def model(x):
        call = jax.ffi.ffi_call(target, jax.ShapeDtypeStruct(x.shape, x.dtype))
        return call(x) * 2

    return model


def test_only_own_targets_are_waived():
    # Exporting does not compile: an unregistered target shows what is waived.
    exp = autocallback.export(_ffi_model("autocallback_test_target"))(X)
    assert [str(c) for c in exp.disabled_safety_checks] == ["custom_call:autocallback_test_target"]
    loaded = jax.export.deserialize(exp.serialize())
    assert [str(c) for c in loaded.disabled_safety_checks] == [
        "custom_call:autocallback_test_target"
    ]
    with pytest.raises(ValueError, match=r"^Cannot serialize code with custom calls"):
        autocallback.export(_ffi_model("other_test_target"))(X)


def test_own_target_found_only_when_lowered(monkeypatch):
    # A target of ours that neither the traced program nor the backend lists: JAX's
    # refusal names it, and it is waived.
    from autocallback import _export

    monkeypatch.setattr(_export, "_own_targets", lambda jaxpr, platforms: [])
    exp = autocallback.export(_ffi_model("autocallback_test_target"))(X)
    assert [str(c) for c in exp.disabled_safety_checks] == ["custom_call:autocallback_test_target"]


# --------------------------------------------------------------------------------------
# Native programs travel (the README's install builds the kernels: required, not skipped)


def _catalogue_model(x):
    return (
        special.kv(1.5, x)
        + special.jv(0.5, x)
        + special.stdtr(3.0, x)
        + special.stdtrit(3.0, x / 3)
        + special.gammaincinv(2.0, x / 3)
    )


def _reference(x):
    x = np.asarray(x, np.float64)
    return (
        sc.kv(1.5, x)
        + sc.jv(0.5, x)
        + sc.stdtr(3.0, x)
        + sc.stdtrit(3.0, x / 3)
        + sc.gammaincinv(2.0, x / 3)
    )


def test_native_program_round_trips(tmp_path):
    _require_native()
    exp = autocallback.export(_catalogue_model)(X)
    waived = [str(c) for c in exp.disabled_safety_checks]
    assert waived and all("custom_call:autocallback_" in c for c in waived), waived
    artifact, inputs = tmp_path / "model.bin", tmp_path / "x.npy"
    artifact.write_bytes(exp.serialize(vjp_order=1))
    np.save(inputs, X)
    loaded = _run("load", str(artifact), str(inputs))
    assert "error" not in loaded, loaded
    np.testing.assert_allclose(loaded["value"], _catalogue_model(X), rtol=1e-6)
    np.testing.assert_allclose(loaded["value"], _reference(X), rtol=1e-5)
    grad = jax.grad(lambda x: _catalogue_model(x).sum())(X)
    np.testing.assert_allclose(loaded["grad"], grad, rtol=1e-6)
    step, x64 = 1e-6, X.astype(np.float64)  # the step in float64 (in float32 it rounds)
    central = (_reference(x64 + step) - _reference(x64 - step)) / (2 * step)
    np.testing.assert_allclose(loaded["grad"], central, rtol=1e-3)
    # Loading resolved kernels among those the process registered: it imported nothing
    # of autocallback's (not even the catalogue).
    assert loaded["imported"] == []


def test_missing_kernel_is_named(tmp_path):
    _require_native()
    import dataclasses

    from jax._src.export import _export as jax_export_internals
    from jax._src.interpreters import mlir
    from jax._src.lib.mlir import ir

    exp = autocallback.export(lambda x: special.kv(1.5, x))(X)
    text = exp.mlir_module()
    calls = [
        line for line in text.splitlines() if '"autocallback_' in line or "@autocallback_" in line
    ]
    names = {s for line in calls for s in re.findall(r'"([^"]*kv[^"]*)"', line)}
    assert len(names) == 1, calls
    (kernel,) = names
    with mlir.make_ir_context():
        module = ir.Module.parse(text.replace(f'"{kernel}"', '"no_such_kernel"'))
        serialized = jax_export_internals._module_to_bytecode(module)
    artifact, inputs = tmp_path / "model.bin", tmp_path / "x.npy"
    artifact.write_bytes(dataclasses.replace(exp, mlir_module_serialized=serialized).serialize())
    np.save(inputs, X)
    loaded = _run("load", str(artifact), str(inputs))
    assert "no_such_kernel" in loaded.get("error", ""), loaded


# --------------------------------------------------------------------------------------
# The persistent compilation cache


def _cache_entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*-cache"))


def _two_processes(directory: Path, kind: str) -> tuple[dict, dict]:
    first = _run("cache", str(directory), kind)
    entries = _cache_entries(directory)
    second = _run("cache", str(directory), kind)
    assert first["hits"] == 0
    assert len(entries) == 1, entries
    assert _cache_entries(directory) == entries
    assert second["hits"] == 1
    assert second["grad"] == first["grad"]
    return first, second


def test_persistent_cache_pure_jax(tmp_path):
    # The harness itself: a program without host calls is stored once and reused.
    first, _ = _two_processes(tmp_path, "jax")
    x = np.linspace(0.5, 2.0, 4, dtype=np.float32)
    np.testing.assert_allclose(first["grad"], np.exp(-x) * (np.cos(x) - np.sin(x)), rtol=1e-5)


def test_persistent_cache_native(tmp_path):
    _require_native()
    first, _ = _two_processes(tmp_path, "native")
    x = np.linspace(0.5, 2.0, 4, dtype=np.float64)
    h = 1e-6
    f = lambda x: sc.kv(1.5, x) * sc.jv(0.5, x)  # noqa: E731
    np.testing.assert_allclose(first["grad"], (f(x + h) - f(x - h)) / (2 * h), rtol=1e-3)
