"""Multi-device cases, run by test_multidevice.py in a subprocess with 4 CPU devices.

Each case prints one line "OK <name>" or raises; the test parses the output.
"""

import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"

import threading

import jax
import jax.numpy as jnp
import numpy as np
import scipy.special as sc
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

import autocallback as ac

assert jax.device_count() == 4, jax.devices()
lock = threading.Lock()
calls: list[tuple[int, ...]] = []


def counted(v, z):
    with lock:
        calls.append(np.shape(z))
    return sc.jv(v, z)


jv = ac.host_function(
    counted, name="jv", derivatives={"v": None, "z": "jv(v - 1, z) - v / z * jv(v, z)"}
)


def run(fn, *args):
    calls.clear()
    out = fn(*args)
    jax.block_until_ready(out)
    return out, list(calls)


for kind in ("Explicit", "Auto"):
    mesh = jax.make_mesh((4,), ("x",), axis_types=(getattr(jax.sharding.AxisType, kind),))
    x = jax.device_put(jnp.linspace(0.5, 3.0, 8), NamedSharding(mesh, P("x")))
    ref = sc.jv(1.5, np.asarray(x))

    y, c = run(jax.jit(lambda z: jv(1.5, z)), x)
    np.testing.assert_allclose(y, ref, rtol=1e-5)
    assert c == [(2,)] * 4, c  # one host call per shard, with that shard's data
    assert y.sharding.spec == P("x"), y.sharding
    print(f"OK {kind} value per shard")

    g, c = run(jax.jit(jax.grad(lambda z: jv(1.5, z).sum())), x)
    dref = sc.jvp(1.5, np.asarray(x))
    np.testing.assert_allclose(g, dref, rtol=1e-4)
    assert c and all(s == (2,) for s in c), c  # derivative host calls per shard too
    assert g.sharding.spec == P("x"), g.sharding
    print(f"OK {kind} grad per shard")

    g3, c = run(jax.jit(jax.vmap(jax.grad(lambda z: jv(1.5, z)))), x)
    np.testing.assert_allclose(g3, dref, rtol=1e-4)
    assert c and all(s == (2,) for s in c), c
    assert g3.sharding.spec == P("x"), g3.sharding
    y3, c = run(jax.jit(jax.vmap(lambda z: jv(1.5, z))), x)
    assert c == [(2,)] * 4, c
    assert y3.sharding.spec == P("x"), y3.sharding
    print(f"OK {kind} vmap keeps sharding")

    xr = jax.device_put(jnp.linspace(0.5, 3.0, 8), NamedSharding(mesh, P()))
    y, c = run(jax.jit(lambda z: jv(1.5, z)), xr)
    np.testing.assert_allclose(y, ref, rtol=1e-5)
    assert sum(int(np.prod(s)) for s in c) == 8, c  # host work never repeated per device
    print(f"OK {kind} replicated input, work done once")

    xo = jax.device_put(jnp.linspace(0.5, 3.0, 7), NamedSharding(mesh, P()))
    y, c = run(jax.jit(lambda z: jv(1.5, z)), xo)
    np.testing.assert_allclose(y, sc.jv(1.5, np.asarray(xo)), rtol=1e-5)
    assert c == [(7,)], c  # nothing divides: one call, not four
    print(f"OK {kind} indivisible size, one call")

    x2 = jax.device_put(jnp.full((8, 3), 1.25), NamedSharding(mesh, P("x", None)))
    y, c = run(jax.jit(lambda z, v: jv(v, z)), x2, jnp.arange(3.0))
    np.testing.assert_allclose(y, sc.jv(np.arange(3.0), np.asarray(x2)), rtol=1e-5)
    assert c == [(2, 3)] * 4, c
    print(f"OK {kind} broadcasting operand")

    f = jax.shard_map(
        lambda z: jax.grad(lambda q: jv(1.5, q).sum())(z),
        mesh=mesh,
        in_specs=P("x"),
        out_specs=P("x"),
    )
    g2, c = run(jax.jit(f), x)
    np.testing.assert_allclose(g2, dref, rtol=1e-4)
    assert c and all(s == (2,) for s in c), c
    print(f"OK {kind} grad inside shard_map")

# A 2x2 mesh: every sharded dimension is kept, on explicit and on automatic axes (where
# the sharding is not visible while tracing), eagerly and under jit, values and grads.
for kind in ("Explicit", "Auto"):
    types = (getattr(jax.sharding.AxisType, kind),) * 2
    mesh = jax.sharding.Mesh(np.array(jax.devices()).reshape(2, 2), ("a", "b"), axis_types=types)
    x = jax.device_put(jnp.linspace(0.5, 3.0, 16).reshape(4, 4), NamedSharding(mesh, P("a", "b")))
    value = lambda z: jv(1.5, z)  # noqa: E731
    grad = jax.grad(lambda z: jv(1.5, z).sum())
    for label, fn in (("eager", value), ("jit", jax.jit(value)), ("grad", jax.jit(grad))):
        y, c = run(fn, x)
        assert y.sharding.spec == P("a", "b"), (kind, label, y.sharding)
        assert c and all(s == (2, 2) for s in c), (kind, label, c)
    np.testing.assert_allclose(y, sc.jvp(1.5, np.asarray(x)), rtol=1e-4)
    y, c = run(jax.jit(jax.vmap(value)), x)
    assert y.sharding.spec == P("a", "b"), (kind, y.sharding)
    assert c == [(2, 2)] * 4, c
    print(f"OK {kind} 2x2 mesh keeps P('a', 'b')")

# Concurrent callbacks from 4 devices, hundreds of calls: values, jit and grad.
mesh = jax.make_mesh((4,), ("x",))
xs = jax.device_put(jnp.linspace(0.5, 3.0, 64), NamedSharding(mesh, P("x")))
value = jax.jit(lambda z: jv(2.5, z))
grad = jax.jit(jax.grad(lambda z: jv(2.5, z).sum()))
first_v, first_g = np.asarray(value(xs)), np.asarray(grad(xs))
errors: list[BaseException] = []


def worker():
    try:
        for _ in range(50):
            assert np.array_equal(np.asarray(value(xs)), first_v)
            assert np.array_equal(np.asarray(grad(xs)), first_g)
    except BaseException as e:
        errors.append(e)


threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert not errors, errors
print("OK concurrent calls")

# User rules (`jvp=` alone, `vjp=` alone) differentiated inside shard_map: the tangent
# maps keep the inputs' varying manual axes.
norm = ac.host_function(
    lambda x: np.linalg.norm(x, axis=-1),
    name="norm",
    signature="(n)->()",
    jvp=lambda p, t: jnp.sum(p[0] * t[0], -1) / norm(p[0]),
)
square = ac.host_function(
    lambda x: x**2, name="square", signature="(n)->(n)", vjp=lambda p, out, g: (2 * g * p[0],)
)
values = np.arange(1.0, 33.0, dtype=np.float32).reshape(8, 4)
rows = jax.device_put(values, NamedSharding(mesh, P("x")))
for fn, want in (
    (lambda x: norm(x).sum(), values / np.linalg.norm(values, axis=-1, keepdims=True)),
    (lambda x: square(x).sum(), 2 * values),
):
    sharded = jax.shard_map(jax.grad(fn), mesh=mesh, in_specs=P("x"), out_specs=P("x"))
    np.testing.assert_allclose(jax.jit(sharded)(rows), want, rtol=1e-6)
print("OK user rules inside shard_map")
