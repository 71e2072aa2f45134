"""A SciPy root finder inside JAX, differentiated by the implicit function theorem.

The steady state u of the nonlinear diffusion equation

    -u'' + k u^3 = s   on (0, 1),   u(0) = u(1) = 0,

discretised on n interior points, is the root of F(u, s, k) = L u + k u^3 - s, where L is
the second-difference matrix. `scipy.optimize.root` finds it on the host. JAX cannot
differentiate through SciPy's iterations, and does not need to: at the root, F(u, s, k) =
0 for all (s, k), so the implicit function theorem gives the derivative of the solution,

    du = -(dF/du)^{-1} (dF/ds ds + dF/dk dk),

and, for a cotangent g of u, the cotangents of the parameters are

    w = (dF/du)^{-T} g,   s_bar = -(dF/ds)^T w,   k_bar = -(dF/dk)^T w.

That is the `vjp=` rule below. It never calls the host: F is written once, for both NumPy
(the solver) and JAX (the rule), and JAX differentiates it.

Run from the repository root: `python examples/root_finder.py`.
"""

# %%
import functools

import jax
import jax.numpy as jnp
import numpy as np
import scipy.optimize

import autocallback as ac

jax.config.update("jax_enable_x64", True)
np.set_printoptions(precision=5, suppress=True)


# %%
def residual(u, s, k, xp=jnp):
    """F(u, s, k) = L u + k u^3 - s, for NumPy (`xp=np`) or JAX arrays."""
    h = 1.0 / (u.shape[-1] + 1)
    padded = xp.pad(u, 1)  # the boundary values u(0) = u(1) = 0
    second_difference = (2 * u - padded[2:] - padded[:-2]) / h**2
    return second_difference + k * u**3 - s


# Written for one system; `jnp.vectorize` loops it over leading dimensions.
@functools.partial(jnp.vectorize, signature="(n),(),(n),(n)->(n),()")
def _implicit_vjp(s, k, u, g):
    dF_du = jax.jacobian(residual)(u, s, k)
    w = jnp.linalg.solve(dF_du.T, g)
    _, pullback = jax.vjp(lambda s, k: residual(u, s, k), s, k)
    s_bar, k_bar = pullback(w)
    return -s_bar, -k_bar


def _steady_state_vjp(primals, u, g):
    s, k = primals
    return _implicit_vjp(s, k, u, g)


@ac.host_function(signature="(n),()->(n)", vjp=_steady_state_vjp)
def steady_state(s, k):
    """The root u of F(u, s, k) = 0, found by SciPy's hybrid Powell method."""
    n = s.shape[-1]
    lap = (2 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)) * (n + 1) ** 2

    def jacobian(u, s, k, xp):
        return lap + np.diag(3 * k * u**2)

    sol = scipy.optimize.root(
        residual, np.zeros_like(s), args=(s, k, np), jac=jacobian, method="hybr", tol=1e-13
    )
    if np.max(np.abs(residual(sol.x, s, k, np))) > 1e-9 * (1 + np.max(np.abs(s))):
        raise RuntimeError(f"steady_state: the root finder did not converge: {sol.message}")
    return sol.x


n = 31
x = np.linspace(0.0, 1.0, n + 2)[1:-1]
s = jnp.asarray(50.0 * np.exp(-30.0 * (x - 0.4) ** 2))  # a source near x = 0.4
k = 20.0
u = steady_state(s, k)
print("max u:", float(u.max()), " |F(u)|:", float(jnp.max(jnp.abs(residual(u, s, k)))))
assert jnp.max(jnp.abs(residual(u, s, k))) < 1e-8


# %% The gradient of a quantity of interest (the mean of u) with respect to the source
# and to the coefficient k, against central differences of the host solver.
def mean_u(s, k):
    return jnp.mean(steady_state(s, k))


g_s, g_k = jax.grad(mean_u, argnums=(0, 1))(s, k)
eps = 1e-5
fd_k = (mean_u(s, k + eps) - mean_u(s, k - eps)) / (2 * eps)
i = n // 2
e = jnp.zeros(n).at[i].set(eps)
fd_s = (mean_u(s + e, k) - mean_u(s - e, k)) / (2 * eps)
print(f"d mean / d k   : {float(g_k):.8f}  (finite differences {float(fd_k):.8f})")
print(f"d mean / d s[{i}]: {float(g_s[i]):.8f}  (finite differences {float(fd_s):.8f})")
np.testing.assert_allclose(g_k, fd_k, rtol=1e-6)
np.testing.assert_allclose(g_s[i], fd_s, rtol=1e-6)

# %% Many problems at once: `jit(vmap(grad))` over a batch of sources and coefficients.
sources = jnp.stack([s, 2 * s, 0.5 * s, s[::-1]])
ks = jnp.array([20.0, 5.0, 40.0, 10.0])
grads = jax.jit(jax.vmap(jax.grad(mean_u, argnums=(0, 1))))(sources, ks)
for j in range(len(ks)):
    np.testing.assert_allclose(grads[1][j], jax.grad(mean_u, argnums=1)(sources[j], ks[j]))
print("d mean / d k for the batch:", grads[1])

# %% Second derivatives by reverse over reverse: the rule is JAX code of u, and u has
# this same rule.
d2_k = jax.grad(jax.grad(mean_u, argnums=1), argnums=1)(s, k)
gk = jax.grad(mean_u, argnums=1)
fd2_k = (gk(s, k + 1e-3) - gk(s, k - 1e-3)) / 2e-3
print(f"d2 mean / dk2 : {float(d2_k):.8f}  (finite differences {float(fd2_k):.8f})")
np.testing.assert_allclose(d2_k, fd2_k, rtol=1e-5)

# %% `check`: values, jit, vmap and the reverse rule against finite differences.
print(ac.check(steady_state, s, k, order=1))
