"""Memory figures of decorate-call-drop cycles, measured in a fresh process.

Run as a script by test_resources.py, `resource_cases.py cycles` and `resource_cases.py
formulas` side by side; each prints one JSON object with some of:
- `alive`: functions still alive after being dropped and `gc.collect()` (one of each
  kind, and the 400 below);
- `cycles_mb`: resident memory growth over 300 decorate-call-drop cycles, half of them
  raising an exception on the host;
- `formulas_mb`: resident memory growth over 400 functions with distinct derivative
  formulas, each decorated, differentiated under `jit` and dropped;
- `caches`: the sizes of the bounded caches afterwards, and their bounds.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import weakref
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import scipy.special as sc

import autocallback as ac
from autocallback import _fused, _host_call


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def dropped_kinds() -> list[weakref.ref[ac.HostFunction]]:
    """One function of each kind, used and dropped."""
    x = jnp.linspace(0.5, 1.5, 4)
    sin = ac.host_function(np.sin, derivatives={"x": "cos(x)"})
    exp = ac.host_function(lambda x: np.exp(x), expr="exp(x)")
    cumsum = ac.host_function(lambda x: np.cumsum(x), out="probe")
    dot = ac.host_function(lambda a, b: a @ b, signature="(n),(n)->()")
    jv = ac.host_function(sc.jv, derivatives={"v": None, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"})
    sin(x)
    jax.grad(lambda t: sin(t).sum())(x)
    jax.jit(jax.hessian(exp))(1.0)
    cumsum(x)
    jax.vmap(dot)(x[None], x[None])
    jax.grad(lambda z: jv(1.0, z))(1.5)
    return [weakref.ref(f) for f in (sin, exp, cumsum, dot, jv)]


def cycle(i: int) -> None:
    def f(x):
        if i % 2:
            raise ValueError(f"host failure {i}")
        return np.sin(x) + i

    g = ac.host_function(f, derivatives={"x": "cos(x)"})
    x = jnp.linspace(0.0, 1.0, 16)
    with contextlib.suppress(ValueError):
        g(x)


def formula(i: int) -> weakref.ref[ac.HostFunction]:
    g = ac.host_function(
        sc.jv,
        derivatives={"v": None, "z": f"(jv(v - 1, z) - jv(v + 1, z)) / 2 * jv(0, z / {i + 2})"},
    )
    # Traced, not compiled: the formula caches fill at trace time.
    jax.make_jaxpr(jax.grad(lambda z: g(1.0, z)))(1.5)
    return weakref.ref(g)


def measure_cycles() -> dict[str, Any]:
    refs = dropped_kinds()
    gc.collect()
    alive = sum(r() is not None for r in refs)
    for i in range(20):  # warm up JAX's and NumPy's own one-time allocations
        cycle(i)
    gc.collect()
    start = rss_mb()
    for i in range(300):
        cycle(i)
    gc.collect()
    return {"alive": alive, "cycles_mb": rss_mb() - start}


def measure_formulas() -> dict[str, Any]:
    for i in range(10):
        formula(10_000 + i)
    gc.collect()
    start = rss_mb()
    refs = [formula(i) for i in range(400)]
    gc.collect()
    return {"alive": sum(r() is not None for r in refs), "formulas_mb": rss_mb() - start}


def main() -> None:
    figures = measure_cycles() if sys.argv[1:] == ["cycles"] else measure_formulas()
    figures["caches"] = {
        "expr_functions": [len(_fused.ExprFunction._cache), _fused.EXPR_FUNCTIONS],
        "plans": [len(_fused._plans), _fused.PLANS],
        "errors": [len(_host_call._recent_errors), _host_call._recent_errors.maxlen],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
