"""Ship a model that uses the catalogue, and its gradient, to another process.

`autocallback.export` exports a function as `jax.export` does; the serialized bytes,
with derivatives up to the order asked for, load in any process that has imported
autocallback, with plain `jax.export.deserialize`. Here the loading process is a second
Python started by this script: it computes the model's values and gradient, and they are
compared with this process's.

Only programs whose host calls are native kernels can be exported: on CPU the catalogue
runs as SciPy's compiled kernels, so this one can.

Run from the repository root: `python examples/deploy_export.py`.
"""

# %%
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import autocallback
from autocallback import special


# %% [markdown]
# A model of Bessel functions and Student's t and gamma distributions.
# %%
def model(x):
    return (
        special.kv(1.5, x)
        + special.jv(0.5, x)
        + special.stdtr(3.0, x)
        + special.stdtrit(3.0, x / 3)
        + special.gammaincinv(2.0, x / 3)
    )


x = np.linspace(0.6, 2.4, 5, dtype=np.float32)

# %% [markdown]
# Export it; `vjp_order=1` serializes its first derivative too.
# %%
# On CPU the catalogue runs as native kernels (`special.kv.native`); a build without
# them (or `AUTOCALLBACK_NATIVE=0`) would make `autocallback.export` raise a `ValueError`
# naming the Python host calls.
exported = autocallback.export(model)(x)
print("waived custom-call checks:", [str(c) for c in exported.disabled_safety_checks])

# %% [markdown]
# Load it in a second process, which imports autocallback (its kernels) and nothing of
# the model: `jax.export.deserialize`, then the values and the gradient.
# %%
LOADER = """
import json, sys
import jax, numpy as np
import autocallback  # registers autocallback's native kernels

exported = jax.export.deserialize(bytearray(open(sys.argv[1], "rb").read()))
x = np.load(sys.argv[2])
value = exported.call(x)
grad = jax.grad(lambda x: exported.call(x).sum())(x)
print(json.dumps({"value": value.tolist(), "grad": grad.tolist()}))
"""

with tempfile.TemporaryDirectory() as folder:
    artifact, inputs = Path(folder) / "model.jax", Path(folder) / "x.npy"
    artifact.write_bytes(exported.serialize(vjp_order=1))
    np.save(inputs, x)
    result = subprocess.run(
        [sys.executable, "-c", LOADER, str(artifact), str(inputs)],
        capture_output=True,
        text=True,
        check=True,
    )
loaded = json.loads(result.stdout)

# %% [markdown]
# The same values and gradient as here.
# %%
value = model(x)
grad = jax.grad(lambda x: jnp.sum(model(x)))(x)
np.testing.assert_allclose(loaded["value"], value, rtol=1e-6)
np.testing.assert_allclose(loaded["grad"], grad, rtol=1e-6)
print("values in the second process:", np.round(loaded["value"], 5))
print("gradient in the second process:", np.round(loaded["grad"], 5))
