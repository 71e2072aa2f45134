"""Fresh processes for test_export.py, run as a script.

export_cases.py load ARTIFACT INPUTS   deserialize ARTIFACT with plain
                                       `jax.export.deserialize` (after importing
                                       autocallback only) and print, as JSON, its
                                       values and first derivatives at INPUTS (.npy),
                                       or the error it raised, and the autocallback
                                       modules the loading imported.
export_cases.py cache DIR KIND         run one `value_and_grad` program (KIND: jax, python,
                                       native) with JAX's persistent compilation
                                       cache in DIR; print the cache hits as JSON.
"""

from __future__ import annotations

import json
import sys


def load(artifact: str, inputs: str) -> dict:
    import jax
    import numpy as np

    import autocallback  # noqa: F401  (registers autocallback's kernels)

    before = {m for m in sys.modules if m.startswith("autocallback")}
    x = np.load(inputs)
    with open(artifact, "rb") as f:
        exp = jax.export.deserialize(bytearray(f.read()))
    try:
        value = exp.call(x)
        grad = jax.grad(lambda x: exp.call(x).sum())(x)
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}"}
    after = {m for m in sys.modules if m.startswith("autocallback")}
    return {
        "value": np.asarray(value).tolist(),
        "grad": np.asarray(grad).tolist(),
        "imported": sorted(after - before),
    }


def cache(directory: str, kind: str) -> dict:
    import jax

    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    import jax.numpy as jnp
    import numpy as np

    hits: list[str] = []
    jax.monitoring.register_event_listener(
        lambda event, **kw: (
            hits.append(event) if event == "/jax/compilation_cache/cache_hits" else None
        )
    )
    if kind == "jax":

        def f(x):
            return jnp.sum(jnp.sin(x) * jnp.exp(-x))
    elif kind == "python":
        from autocallback import host_function

        @host_function(derivatives={"x": "cos(x)"})
        def host_sin(x):
            return np.sin(x)

        def f(x):
            return jnp.sum(host_sin(x))
    else:
        from autocallback import special

        def f(x):
            return jnp.sum(special.kv(1.5, x) * special.jv(0.5, x))

    x = np.linspace(0.5, 2.0, 4, dtype=np.float32)  # NumPy input: nothing else compiles
    value, grad = jax.jit(jax.value_and_grad(f))(x)
    return {"value": float(value), "grad": np.asarray(grad).tolist(), "hits": len(hits)}


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = load(*args) if command == "load" else cache(*args)
    print(json.dumps(result))
