"""The hand-written "docs pattern" that autocallback replaces.

This is the recipe of JAX's guide "External callbacks" (pure_callback + custom_jvp for
`scipy.special.jv`), as one would write it on current JAX: `vectorized=True` no longer
exists, so it passes `vmap_method="broadcast_all"`, which is what `vectorized=True` meant.
Nothing else is changed, so the timings show what a careful user gets without autocallback.

`scipy.special` functions are looked up at call time (as in the guide), so the benchmarks
can count SciPy evaluations by replacing the module attribute.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import scipy.special

__all__ = ["erf", "jv"]


def jv(v, z):
    v, z = jnp.asarray(v), jnp.asarray(z)

    # Require the order v to be integer type: this simplifies the JVP rule below.
    assert jnp.issubdtype(v.dtype, jnp.integer)

    # Promote the input to inexact (float/complex).
    # Note that jnp.result_type() accounts for the enable_x64 flag.
    z = z.astype(jnp.result_type(float, z.dtype))

    # Wrap scipy function to return the expected dtype.
    _scipy_jv = lambda v, z: scipy.special.jv(v, z).astype(z.dtype)  # noqa: E731

    # Define the expected shape & dtype of output.
    result_shape_dtype = jax.ShapeDtypeStruct(
        shape=jnp.broadcast_shapes(v.shape, z.shape), dtype=z.dtype
    )

    # scipy.special.jv handles broadcasted inputs ("vectorized=True" in the guide).
    return jax.pure_callback(_scipy_jv, result_shape_dtype, v, z, vmap_method="broadcast_all")


jv = jax.custom_jvp(jv)


@jv.defjvp
def _jv_jvp(primals, tangents):
    v, z = primals
    _, z_dot = tangents  # Note: v_dot is always 0 because v is integer.
    jv_minus_1, jv_plus_1 = jv(v - 1, z), jv(v + 1, z)
    djv_dz = jnp.where(v == 0, -jv_plus_1, 0.5 * (jv_minus_1 - jv_plus_1))
    return jv(v, z), z_dot * djv_dz


def erf(x):
    """The same pattern for `scipy.special.erf` (no derivative rule needed for timing)."""
    x = jnp.asarray(x)
    x = x.astype(jnp.result_type(float, x.dtype))
    _scipy_erf = lambda x: scipy.special.erf(x).astype(x.dtype)  # noqa: E731
    result_shape_dtype = jax.ShapeDtypeStruct(shape=x.shape, dtype=x.dtype)
    return jax.pure_callback(_scipy_erf, result_shape_dtype, x, vmap_method="broadcast_all")
