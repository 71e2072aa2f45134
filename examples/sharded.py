"""Sharded evaluation on four CPU devices.

Under `jax.jit`, an elementwise host function applied to a sharded array keeps the
input's sharding and calls the host function once per shard, with that shard's data;
nothing is gathered onto one device. The same holds for the host calls of its
derivatives. Inside `jax.shard_map` it works as usual.

Run from the repository root: `python examples/sharded.py`. The script asks XLA for four
CPU devices, which must happen before JAX is imported.
"""

# %%
import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
os.environ["JAX_PLATFORMS"] = "cpu"  # the four devices are CPU devices, even on a GPU machine

import jax
import jax.numpy as jnp
import numpy as np
import scipy.special
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from autocallback import host_function

print("devices:", jax.devices())
assert len(jax.devices()) == 4

# %% A host function that records the shape of every array it receives.
host_calls = []


@host_function(derivatives={"x": "expit(x) * (1 - expit(x))"})
def expit(x):
    """Logistic sigmoid, computed by `scipy.special.expit`."""
    host_calls.append(x.shape)
    return scipy.special.expit(x)


# %% A one-dimensional mesh over the four devices (its axis is explicit, the default of
# `jax.make_mesh`), and an array of 16 numbers split into four shards of 4.
mesh = jax.make_mesh((4,), ("x",))
sharding = NamedSharding(mesh, P("x"))
x = jax.device_put(jnp.linspace(-4.0, 4.0, 16), sharding)
print("input sharding: ", x.sharding)

y = jax.jit(expit)(x)
print("output sharding:", y.sharding)
print("host calls:     ", host_calls)
np.testing.assert_allclose(y, scipy.special.expit(np.linspace(-4.0, 4.0, 16)), rtol=1e-6)
assert y.sharding.is_equivalent_to(sharding, y.ndim)
assert host_calls == [(4,)] * 4  # once per shard, each with a quarter of the data

# %% Derivatives: the host calls of the derivative are per shard too.
host_calls.clear()
slope = jax.jit(jax.grad(lambda x: jnp.sum(expit(x))))(x)
print("gradient sharding:", slope.sharding)
print("host calls:       ", host_calls)
np.testing.assert_allclose(slope, y * (1 - y), rtol=1e-5)
assert all(shape == (4,) for shape in host_calls)

# %% The same under `jax.vmap`: the batched call keeps the sharding of its input.
host_calls.clear()
slopes = jax.jit(jax.vmap(jax.grad(expit)))(x)
print("vmap(grad) sharding:", slopes.sharding)
np.testing.assert_allclose(slopes, slope, rtol=1e-6)
assert slopes.sharding.is_equivalent_to(sharding, slopes.ndim)
assert all(shape == (4,) for shape in host_calls)


# %% Inside `jax.shard_map` each device holds a block of 4 and calls the host itself.
def block_loss(block):
    return jax.lax.psum(jnp.sum(expit(block) ** 2), "x")


host_calls.clear()
loss = jax.shard_map(block_loss, mesh=mesh, in_specs=P("x"), out_specs=P())
total = jax.jit(loss)(x)
print("sum of squares:", total, " host calls:", host_calls)
np.testing.assert_allclose(total, jnp.sum(y**2), rtol=1e-5)
assert host_calls == [(4,)] * 4

grad_total = jax.jit(jax.grad(loss))(x)
print("gradient sharding:", grad_total.sharding)
np.testing.assert_allclose(grad_total, 2 * y * y * (1 - y), rtol=1e-5)
