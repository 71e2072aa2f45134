"""Resources: dropped functions are freed, caches are bounded, settings are validated.

Memory is measured in fresh processes (resource_cases.py) as resident-set growth, with
bounds far above what the process needs and far below what it needed when dropped
functions were kept alive (about 1.5 MB per function and its compiled programs).
"""

from __future__ import annotations

import gc
import json
import os
import pathlib
import subprocess
import sys
import weakref
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import autocallback as ac
from autocallback import _cache, _config, _fused, _host_call, _outputs

CASES = pathlib.Path(__file__).with_name("resource_cases.py")
ROOT = pathlib.Path(__file__).resolve().parents[1]
linux_only = pytest.mark.skipif(
    not os.path.exists("/proc/self/status"), reason="reads VmRSS from /proc"
)


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    """The figures of both measurements, run side by side in two fresh processes."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    env.pop("XLA_FLAGS", None)
    procs = [
        subprocess.Popen(
            [sys.executable, str(CASES), part],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for part in ("cycles", "formulas")
    ]
    merged: dict[str, Any] = {"alive": 0, "caches": []}
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, out + err
        got = json.loads(out.strip().splitlines()[-1])
        merged["alive"] += got.pop("alive")
        merged["caches"] += [(name, *sizes) for name, sizes in got.pop("caches").items()]
        merged.update(got)
    return merged


@linux_only
def test_dropped_functions_are_freed(figures):
    assert figures["alive"] == 0, figures


@linux_only
def test_decorate_call_drop_cycles_memory(figures):
    # 300 cycles, half raising on the host: about 440 MB when functions were kept.
    assert figures["cycles_mb"] < 100, figures


@linux_only
def test_distinct_formulas_memory(figures):
    assert figures["formulas_mb"] < 150, figures


@linux_only
def test_caches_stay_within_their_bounds(figures):
    for name, size, bound in figures["caches"]:
        assert size <= bound, (name, size, bound)


def _use(f: ac.HostFunction) -> None:
    x = jnp.linspace(0.0, 1.0, 3)
    f(x)
    jax.jit(jax.grad(lambda t: f(t).sum()))(x)


def test_freed_without_waiting_for_the_cycle_collector():
    # No reference cycle through JAX's caches: dropping the last reference frees it.
    f = ac.host_function(np.sin, derivatives={"x": "cos(x)"})
    _use(f)
    ref = weakref.ref(f)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del f
        assert ref() is None
    finally:
        if enabled:
            gc.enable()


def test_registered_function_is_kept_by_the_registry(fresh_name):
    name = fresh_name()
    ac.register(name, ac.host_function(np.sin, derivatives={"x": "cos(x)"}))
    gc.collect()
    g = ac.host_function(lambda x: np.sin(np.sin(x)), derivatives={"x": f"cos({name}(x)) * cos(x)"})
    np.testing.assert_allclose(jax.grad(g)(1.0), np.cos(np.sin(1.0)) * np.cos(1.0), rtol=1e-5)
    # Second order: the registered function's own derivative, through its formula class.
    want = -np.sin(np.sin(1.0)) * np.cos(1.0) ** 2 - np.cos(np.sin(1.0)) * np.sin(1.0)
    np.testing.assert_allclose(jax.grad(jax.grad(g))(1.0), want, rtol=1e-4)


def test_function_kept_by_the_formulas_that_call_it(fresh_name):
    name = fresh_name()
    inner = ac.host_function(np.sin, derivatives={"x": "cos(x)"})
    ac.register(name, inner)
    g = ac.host_function(lambda x: np.sin(x) ** 2, derivatives={"x": f"2 * {name}(x) * cos(x)"})
    ref = weakref.ref(inner)
    ac.register(name, ac.host_function(np.cos), replace=True)
    del inner
    gc.collect()
    assert ref() is not None  # `g`'s formula still calls it
    np.testing.assert_allclose(jax.grad(g)(1.0), np.sin(2.0), rtol=1e-5)
    del g
    gc.collect()
    assert ref() is None


def test_lru_cache_keeps_the_most_recently_used():
    cache: _cache.LruCache[int, str] = _cache.LruCache(3)
    for k in range(3):
        cache.get(k, lambda k=k: str(k))
    cache.get(0, lambda: "new")  # a hit: 0 becomes the most recent
    cache.get(3, lambda: "3")  # evicts 1, the least recently used
    assert len(cache) == 3
    assert cache.get(1, lambda: "made again") == "made again"
    assert cache.get(0, lambda: "new") == "0"


def test_cache_bounds_are_documented():
    text = (ROOT / "docs" / "guides" / "performance.md").read_text()
    bounds = (_fused.EXPR_FUNCTIONS, _fused.PLANS, _outputs.PROBE_CACHE_SIZE)
    for bound in (*bounds, _host_call._recent_errors.maxlen):
        assert f"| {bound}" in text, bound


# --------------------------------------------------------------------------------------
# Settings from the environment: invalid values warn, naming the variable, and the
# import still succeeds.


def test_invalid_environment_settings_do_not_break_the_import():
    code = (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    import autocallback\n"
        "    from autocallback import _host_call, _threads\n"
        "for x in w:\n"
        "    if x.category is RuntimeWarning:\n"
        "        print(x.message)\n"
        "print(_host_call.callback_mode(), _threads._THREADS)\n"
    )
    env = dict(
        os.environ, PYTHONPATH=str(ROOT), AUTOCALLBACK_THREADS="many", AUTOCALLBACK_CALLBACK="fast"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    *warned, state = proc.stdout.strip().splitlines()
    assert any("AUTOCALLBACK_THREADS='many' is not valid" in w for w in warned), warned
    assert any("AUTOCALLBACK_CALLBACK='fast' is not valid" in w for w in warned), warned
    mode, threads = state.split()
    assert mode in ("buffer", "pure")
    assert int(threads) >= 1


@pytest.mark.parametrize(
    ("variable", "value", "read", "expected"),
    [
        ("AUTOCALLBACK_THREADS", "-2", _config.thread_count, None),
        ("AUTOCALLBACK_THREADS", "2.5", _config.thread_count, None),
        ("AUTOCALLBACK_THREADS", "3", _config.thread_count, 3),
        ("AUTOCALLBACK_THREADS", " 1 ", _config.thread_count, 1),
        ("AUTOCALLBACK_CALLBACK", "Pure", _config.callback_mode_setting, "auto"),
        ("AUTOCALLBACK_CALLBACK", "pure", _config.callback_mode_setting, "pure"),
        ("AUTOCALLBACK_CALLBACK", "", _config.callback_mode_setting, "auto"),
    ],
)
def test_environment_setting(monkeypatch, variable, value, read, expected):
    monkeypatch.setenv(variable, value)
    if expected is None or (value.strip() and str(expected) != value.strip()):
        with pytest.warns(RuntimeWarning, match=f"environment variable {variable}="):
            got = read()
    else:
        got = read()
    if expected is None:
        assert got == _default_threads()
    else:
        assert got == expected


def _default_threads() -> int:
    return min(os.cpu_count() or 1, 8)
