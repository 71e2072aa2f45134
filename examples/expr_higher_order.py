"""`expr=`: give the value as a formula and let SymPy derive every derivative.

With `expr=`, autocallback differentiates the formula with SymPy when the function is
decorated. The host function still computes the values; the formula only supplies the
derivatives, to any order: `jax.hessian`, nested `jax.grad`, `jax.jacfwd` of
`jax.jacrev`.

Run from the repository root: `python examples/expr_higher_order.py`. The figure is
written to `docs/images/kv_derivatives.png` (or to `$AUTOCALLBACK_FIGURES` when set).
"""

# %%
import os
from pathlib import Path

import jax
import matplotlib.pyplot as plt
import numpy as np
import scipy.special
import scipy.stats

from autocallback import host_function

jax.config.update("jax_enable_x64", True)  # float64, to compare with finite differences
plt.switch_backend("Agg")
FIGURES = Path(
    os.environ.get("AUTOCALLBACK_FIGURES", Path(__file__).resolve().parents[1] / "docs/images")
)

# %% [markdown]
# ## A function of three arguments
# The normal cumulative distribution function, computed by SciPy. SymPy derives the
# partial derivatives with respect to `x`, `mu` and `sigma` from `expr`; JAX's own
# `jax.scipy.stats.norm.cdf` serves as the reference.


# %%
@host_function(expr="(1 + erf((x - mu) / (sigma * sqrt(2)))) / 2")
def normal_cdf(x, mu, sigma):
    """Normal cumulative distribution function, computed by `scipy.stats.norm`."""
    return scipy.stats.norm.cdf(x, loc=mu, scale=sigma)


def reference(x, mu, sigma):
    return jax.scipy.stats.norm.cdf(x, loc=mu, scale=sigma)


args = (0.3, -0.2, 1.7)
hessian = jax.hessian(normal_cdf, argnums=(0, 1, 2))(*args)
hessian_ref = jax.hessian(reference, argnums=(0, 1, 2))(*args)
print("hessian wrt (x, mu, sigma):\n", np.array(hessian))
np.testing.assert_allclose(np.array(hessian), np.array(hessian_ref), rtol=1e-10, atol=1e-14)

# %% Third derivative in x (the second derivative of the normal density) by nested grad,
# and forward-over-reverse with jacfwd(jacrev(...)).
d3 = jax.grad(jax.grad(jax.grad(normal_cdf)))(*args)
d3_ref = jax.grad(jax.grad(jax.grad(reference)))(*args)
print("d^3/dx^3:", d3, "reference:", d3_ref)
np.testing.assert_allclose(d3, d3_ref, rtol=1e-10)
np.testing.assert_allclose(
    jax.jacfwd(jax.jacrev(normal_cdf))(*args), jax.hessian(reference)(*args), rtol=1e-10
)

# %% [markdown]
# ## The head of `expr` stands for the function itself
# In `expr="besselk(v, z)"` the head `besselk` is called with exactly the function's
# parameters, so it means the decorated function. SymPy's derivative in `z`,
# `-besselk(v - 1, z)/2 - besselk(v + 1, z)/2`, therefore calls SciPy again, and the
# derivatives of that formula give every higher order. SymPy has no closed form for the
# derivative in the order `v`, which is declared non-differentiable with
# `derivatives={"v": None}` (entries in `derivatives` take precedence over `expr`).

# %%
kv = host_function(scipy.special.kv, expr="besselk(v, z)", derivatives={"v": None})

dkv = jax.grad(kv, argnums=1)
d2kv = jax.grad(dkv, argnums=1)
d3kv = jax.grad(d2kv, argnums=1)
print(
    "K_1(2), K_1'(2), K_1''(2), K_1'''(2):",
    kv(1.0, 2.0),
    dkv(1.0, 2.0),
    d2kv(1.0, 2.0),
    d3kv(1.0, 2.0),
)
np.testing.assert_allclose(dkv(1.0, 2.0), scipy.special.kvp(1.0, 2.0, 1), rtol=1e-12)
np.testing.assert_allclose(d2kv(1.0, 2.0), scipy.special.kvp(1.0, 2.0, 2), rtol=1e-12)
np.testing.assert_allclose(d3kv(1.0, 2.0), scipy.special.kvp(1.0, 2.0, 3), rtol=1e-12)

# %% Plot K_1 and its first two derivatives, with finite differences of SciPy's values.
zs = np.linspace(0.5, 4.0, 200)
h = 1e-4
k = scipy.special.kv(1.0, zs)
fd1 = (scipy.special.kv(1.0, zs + h) - scipy.special.kv(1.0, zs - h)) / (2 * h)
fd2 = (scipy.special.kv(1.0, zs + h) - 2 * k + scipy.special.kv(1.0, zs - h)) / h**2
first = jax.vmap(dkv, in_axes=(None, 0))(1.0, zs)
second = jax.vmap(d2kv, in_axes=(None, 0))(1.0, zs)
np.testing.assert_allclose(first, fd1, rtol=1e-6)
np.testing.assert_allclose(second, fd2, rtol=1e-5)

fig, ax = plt.subplots(figsize=(8, 4.5), constrained_layout=True)
curves = (
    (kv(1.0, zs), k, "$K_1(z)$"),
    (first, fd1, "$K_1'(z)$, jax.grad"),
    (second, fd2, "$K_1''(z)$, jax.grad of jax.grad"),
)
for values, fd, label in curves:
    (line,) = ax.plot(zs, values, label=label)
    ax.plot(zs[::8], fd[::8], "o", ms=4, mfc="none", color=line.get_color())
ax.plot([], [], "o", ms=4, mfc="none", color="0.3", label="finite differences of SciPy")
ax.set(
    xlabel="$z$",
    ylabel="value",
    ylim=(-3, 5),
    title='kv = host_function(scipy.special.kv, expr="besselk(v, z)"), $v = 1$',
)
ax.axhline(0.0, color="0.8", linewidth=0.8, zorder=0)
ax.legend()
FIGURES.mkdir(parents=True, exist_ok=True)
fig.savefig(FIGURES / "kv_derivatives.png", dpi=110)
print("wrote", FIGURES / "kv_derivatives.png")
