"""Native kernels against the Python host call and a bare FFI reference.

For kv, jv, stdtrit and gammaincinv (catalogue entries, float64): the cost per step of a
2,000-step `lax.scan` (the value; `grad` in the argument with a formula; `grad` in the
order/shape parameter, a `numerical()` or implicit partial), a jitted call at n = 1, and
jitted calls at n = 1e4 and 1e6. "bare FFI" is SciPy's kernel applied by the FFI handler
called directly (`jax.ffi.ffi_call`, no autocallback layer), and for the gradient in the
argument with a formula, that formula written by hand around bare calls; at n = 1e6 it
runs on one thread. The Python path is the same program with AUTOCALLBACK_NATIVE=0 (a subprocess).

Usage: python benchmarks/native.py [--quick]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

CASES = {
    # name: (fixed first argument, second argument range, which argument has a formula)
    "kv": (0.7, (0.5, 5.0)),
    "jv": (0.7, (0.5, 5.0)),
    "stdtrit": (3.5, (0.1, 0.9)),
    "gammaincinv": (1.7, (0.1, 0.9)),
}
STEPS = 2000


def _best(fn: Any, *args: Any, repeat: int) -> float:
    jax.block_until_ready(fn(*args))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        jax.block_until_ready(fn(*args))
        best = min(best, time.perf_counter() - t0)
    return best


def _scan(f: Any) -> Any:
    def run(a: Any, x0: Any) -> Any:
        def body(c: Any, _: Any) -> Any:
            return c + 1e-9 * f(a, x0 + 1e-12 * c), None

        return jax.lax.scan(body, jnp.zeros(()), None, length=STEPS)[0]

    return jax.jit(run)


def _bare_gradient(name: str, bare: Any) -> Any:
    """The derivative in the second argument written by hand around bare kernel calls
    (the fastest the gradient step can be): the same formulas as the catalogue's."""
    from jax.scipy.special import gammaln

    if name == "kv":
        return lambda v, z: -(bare(v - 1, z) + bare(v + 1, z)) / 2
    if name == "jv":
        return lambda v, z: (bare(v - 1, z) - bare(v + 1, z)) / 2

    if name == "stdtrit":

        def d_stdtrit(df: Any, p: Any) -> Any:
            t = bare(df, p)
            log_pdf = (
                gammaln((df + 1) / 2)
                - gammaln(df / 2)
                - 0.5 * jnp.log(df * jnp.pi)
                - (df + 1) / 2 * jnp.log1p(t * t / df)
            )
            return jnp.exp(-log_pdf)

        return d_stdtrit

    def d_gammaincinv(a: Any, y: Any) -> Any:
        x = bare(a, y)
        return jnp.exp(gammaln(a) + x - (a - 1) * jnp.log(x))

    return d_gammaincinv


def measure(quick: bool) -> dict[str, float]:
    from autocallback import _kernels, special

    repeat = 3 if quick else 7
    out: dict[str, float] = {}
    for name, (a, (lo, hi)) in CASES.items():
        fn = getattr(special, name)
        x0 = jnp.asarray((lo + hi) / 2)
        a0 = jnp.asarray(a)
        out[f"{name} scan value"] = _best(_scan(fn), a0, x0, repeat=repeat) / STEPS
        gx = jax.grad(fn, argnums=1)
        out[f"{name} scan grad x"] = _best(_scan(gx), a0, x0, repeat=repeat) / STEPS
        ga = jax.grad(fn, argnums=0)
        out[f"{name} scan grad order"] = _best(_scan(ga), a0, x0, repeat=repeat) / STEPS
        out[f"{name} n=1"] = _best(jax.jit(fn), a0, x0, repeat=repeat * 20)
        for n in (10**4, 10**6):
            xs = jnp.linspace(lo, hi, n)
            out[f"{name} n={n:.0e}"] = _best(jax.jit(fn), a0, xs, repeat=repeat)
        kernel = _kernels.find(_kernels.source_of(fn.__wrapped__), [np.float64] * 2)
        if kernel is None:
            continue

        def bare(x: Any, y: Any, kernel: Any = kernel) -> Any:
            return jax.ffi.ffi_call(_kernels.TARGET, jax.ShapeDtypeStruct(y.shape, y.dtype))(
                x, y, kernel=kernel.name
            )

        out[f"{name} scan bare"] = _best(_scan(bare), a0, x0, repeat=repeat) / STEPS
        grad_bare = _bare_gradient(name, bare)
        out[f"{name} scan grad x bare"] = _best(_scan(grad_bare), a0, x0, repeat=repeat) / STEPS
        out[f"{name} n=1 bare"] = _best(jax.jit(bare), a0, x0, repeat=repeat * 20)
        lib = _kernels._state.library
        lib.autocallback_set_threads(1)
        xs = jnp.linspace(lo, hi, 10**6)
        out[f"{name} n=1e+06 bare 1 thread"] = _best(jax.jit(bare), a0, xs, repeat=repeat)
        from autocallback import _config

        lib.autocallback_set_threads(_config.thread_count())
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    if "--child" in sys.argv:
        print(json.dumps(measure(quick)))
        return
    results = {}
    for label, native in (("native", "1"), ("python", "0")):
        env = {**os.environ, "AUTOCALLBACK_NATIVE": native}
        args = [sys.executable, __file__, "--child", *(["--quick"] if quick else [])]
        text = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
        results[label] = json.loads(text.strip().splitlines()[-1])
    nat, py = results["native"], results["python"]
    print("| figure | Python host call | native | bare FFI | native / bare | Python / native |")
    print("|---|---|---|---|---|---|")
    for key, t in nat.items():
        if "bare" in key:
            continue
        name = key.split()[0]
        rest = key[len(name) + 1 :]
        bare = None
        if rest == "scan value":
            bare = nat.get(f"{name} scan bare")
        elif rest == "scan grad x":
            bare = nat.get(f"{name} scan grad x bare")
        elif rest == "n=1":
            bare = nat.get(f"{name} n=1 bare")
        elif rest == "n=1e+06":
            bare = nat.get(f"{name} n=1e+06 bare 1 thread")
        cells = [f"{py[key] * 1e6:.2f} µs", f"{t * 1e6:.2f} µs"]
        cells.append(f"{bare * 1e6:.2f} µs" if bare else "–")
        cells.append(f"{t / bare:.2f}×" if bare else "–")
        cells.append(f"{py[key] / t:.1f}×")
        print(f"| {key} | " + " | ".join(cells) + " |")
    print()
    for name in CASES:
        value, order = nat[f"{name} scan value"], nat[f"{name} scan grad order"]
        print(f"{name}: order-gradient scan step / value scan step = {order / value:.1f}×")


if __name__ == "__main__":
    main()
