"""Wrapping NumPy functions that work on whole vectors and matrices: `signature=`.

A NumPy gufunc signature such as `"(n),(n)->()"` says which trailing dimensions the
host function consumes (the core dimensions). As with `numpy.vectorize`, the host
function is written for the core dimensions only; autocallback handles any leading
(loop) dimensions and `jax.vmap`.

Run from the repository root: `python examples/gufunc_signature.py`.
"""

# %%
import jax
import jax.numpy as jnp
import numpy as np
import scipy.integrate

from autocallback import host_function

np.set_printoptions(precision=5, suppress=True)

# %% [markdown]
# ## Simpson's rule: two vectors in, one number out
# `jax.scipy.integrate` has no Simpson's rule; SciPy has. The host function sees
# one curve at a time: `y` and `x` of shape `(n,)`.

# %%
seen_shapes = []


@host_function(signature="(n),(n)->()")
def simpson(y, x):
    """Integral of the samples `y` over the grid `x` by Simpson's rule."""
    seen_shapes.append(y.shape)
    return scipy.integrate.simpson(y, x=x)


x = jnp.linspace(0.0, jnp.pi, 101)
print("integral of sin over [0, pi]:", simpson(jnp.sin(x), x))  # 2.0
np.testing.assert_allclose(simpson(jnp.sin(x), x), 2.0, rtol=1e-5)

# %% A batch of curves: the integral of sin(k x) over [0, pi] is (1 - cos(k pi)) / k.
# Leading dimensions broadcast like a gufunc, and `jax.vmap` works too; `x` is shared.
ks = jnp.arange(1.0, 6.0)
curves = jnp.sin(ks[:, None] * x)  # shape (5, 101)
exact = (1 - jnp.cos(ks * jnp.pi)) / ks
print("broadcast:", simpson(curves, x))
print("vmap:     ", jax.vmap(simpson, in_axes=(0, None))(curves, x))
print("exact:    ", exact)
np.testing.assert_allclose(simpson(curves, x), exact, rtol=1e-4, atol=1e-6)
np.testing.assert_allclose(
    jax.jit(jax.vmap(simpson, in_axes=(0, None)))(curves, x), exact, rtol=1e-4, atol=1e-6
)
print("shapes the host function received:", sorted(set(seen_shapes)))
assert set(seen_shapes) == {(101,)}

# %% [markdown]
# ## A linear solve, with a derivative rule
# Formulas describe elementwise partial derivatives, so a function with core
# dimensions gets its derivative from `jvp=`: a JAX-traceable function of
# `(primals, tangents)` that returns the output tangent. For x = A^{-1} b,
# dx = A^{-1} (db - dA x).
#
# Reverse mode (`jax.grad`) transposes the JVP, and a host call cannot be transposed.
# So the rule calls host functions on the primals only (here `inv(a)` and
# `solve(a, b)`) and applies the tangents with JAX operations, which are linear.


# %%
def _inv_jvp(primals, tangents):
    (a,), (a_dot,) = primals, tangents
    a_inv = inv(a)
    return -a_inv @ a_dot @ a_inv


@host_function(signature="(n,n)->(n,n)", jvp=_inv_jvp)
def inv(a):
    """Matrix inverse, computed by NumPy."""
    return np.linalg.inv(a)


def _solve_jvp(primals, tangents):
    a, b = primals
    a_dot, b_dot = tangents
    x = solve(a, b)
    rhs = b_dot - jnp.einsum("...ij,...j->...i", a_dot, x)
    return jnp.einsum("...ij,...j->...i", inv(a), rhs)


@host_function(signature="(n,n),(n)->(n)", jvp=_solve_jvp)
def solve(a, b):
    """Solution of the linear system `a @ x = b`, computed by NumPy."""
    return np.linalg.solve(a, b)


key_a, key_b = jax.random.split(jax.random.key(0))
a = jax.random.normal(key_a, (8, 3, 3)) + 3 * jnp.eye(3)  # 8 well-conditioned systems
b = jax.random.normal(key_b, (8, 3))

x_host = jax.vmap(solve)(a, b)
np.testing.assert_allclose(x_host, jnp.linalg.solve(a, b[..., None])[..., 0], rtol=1e-4, atol=1e-5)


# %% Gradients (reverse mode, through the JVP rule) and second derivatives agree with
# JAX's own solver.
def loss(solver, a, b):
    return jnp.sum(jax.vmap(solver)(a, b) ** 2)


def jax_solve(a, b):
    return jnp.linalg.solve(a, b[:, None])[:, 0]


grads_host = jax.grad(loss, argnums=(1, 2))(solve, a, b)
grads_jax = jax.grad(loss, argnums=(1, 2))(jax_solve, a, b)
for g_host, g_jax in zip(grads_host, grads_jax, strict=True):
    np.testing.assert_allclose(g_host, g_jax, rtol=1e-3, atol=1e-4)
print("d loss / d b (host solve):", grads_host[1][0])
print("d loss / d b (jnp.linalg):", grads_jax[1][0])

hess_host = jax.hessian(loss, argnums=2)(solve, a[:2], b[:2])
hess_jax = jax.hessian(loss, argnums=2)(jax_solve, a[:2], b[:2])
np.testing.assert_allclose(hess_host, hess_jax, rtol=1e-3, atol=1e-4)
