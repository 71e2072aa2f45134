"""A linear solve on the host with its adjoint as the reverse-mode rule: `vjp=`.

For x = A^{-1} b and a cotangent g of x, the cotangents of the inputs are

    b_bar = A^{-T} g            (one more solve, with the transposed matrix)
    A_bar = -b_bar x^T          (an outer product)

so the reverse rule is one host solve. Written as `vjp=`, it gives `jax.grad`,
`jax.vjp` and `jax.jacrev` (under `jit` and `vmap` too); because it calls the same
decorated solve, reverse-over-reverse second derivatives work as well.

Run from the repository root: `python examples/host_linear_solve.py`.
"""

# %%
import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg

import autocallback as ac

jax.config.update("jax_enable_x64", True)
np.set_printoptions(precision=6, suppress=True)


# %%
def _solve_vjp(primals, x, g):
    a, _ = primals
    b_bar = solve(jnp.swapaxes(a, -1, -2), g)  # A^T b_bar = g, on the host
    a_bar = -b_bar[..., :, None] * x[..., None, :]  # -outer(b_bar, x)
    return a_bar, b_bar


@ac.host_function(signature="(n,n),(n)->(n)", vjp=_solve_vjp)
def solve(a, b):
    """The solution of `a @ x = b`, computed by SciPy (LU with partial pivoting)."""
    return scipy.linalg.solve(a, b)


rng = np.random.default_rng(0)
n = 5
a = jnp.asarray(rng.normal(size=(n, n)) + n * np.eye(n))
b = jnp.asarray(rng.normal(size=n))
np.testing.assert_allclose(solve(a, b), jnp.linalg.solve(a, b), rtol=1e-12)


# %% Gradients of a loss with respect to both arguments, against JAX's own solver.
def loss(solver, a, b):
    x = solver(a, b)
    return jnp.sum(x**2) + jnp.sum(jnp.cos(x))


grads = jax.grad(loss, argnums=(1, 2))(solve, a, b)
reference = jax.grad(loss, argnums=(1, 2))(jnp.linalg.solve, a, b)
for name, g, r in zip(("A", "b"), grads, reference, strict=True):
    err = float(np.max(np.abs(g - r)) / np.max(np.abs(r)))
    print(f"d loss / d {name}: relative difference from jnp.linalg.solve {err:.1e}")
    assert err <= 1e-10, err

# %% Batches: `jit(vmap(grad))` over 16 systems, one batched host call each way.
a_batch = jnp.asarray(rng.normal(size=(16, n, n)) + n * np.eye(n))
b_batch = jnp.asarray(rng.normal(size=(16, n)))
batched = jax.jit(jax.vmap(jax.grad(loss, argnums=(1, 2)), in_axes=(None, 0, 0)), static_argnums=0)
got = batched(solve, a_batch, b_batch)
want = batched(jnp.linalg.solve, a_batch, b_batch)
for g, w in zip(got, want, strict=True):
    np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)
print("jit(vmap(grad)) over 16 systems: A", got[0].shape, "b", got[1].shape)

# A shared matrix and a batch of right-hand sides.
shared = jax.vmap(jax.grad(loss, argnums=2), in_axes=(None, None, 0))(solve, a, b_batch)
np.testing.assert_allclose(
    shared,
    jax.vmap(jax.grad(loss, argnums=2), in_axes=(None, None, 0))(jnp.linalg.solve, a, b_batch),
)

# %% The Jacobian by reverse mode, and a Hessian by reverse over reverse (the reverse
# rule itself calls `solve`, whose reverse rule is this one).
np.testing.assert_allclose(jax.jacrev(solve, argnums=1)(a, b), jnp.linalg.inv(a), rtol=1e-10)
hess = jax.jacrev(jax.grad(loss, argnums=2), argnums=2)(solve, a, b)
np.testing.assert_allclose(hess, jax.hessian(loss, argnums=2)(jnp.linalg.solve, a, b), rtol=1e-9)
print("Hessian in b (reverse over reverse):\n", hess)

# %% `check` verifies the reverse rule against finite differences (forward mode is skipped:
# there is no `jvp=`).
print(ac.check(solve, a, b, order=2))

# %% Forward mode needs `jvp=`; the error says so.
try:
    jax.jvp(solve, (a, b), (a, b))
except TypeError as error:
    print("TypeError:", error)
