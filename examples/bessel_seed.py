"""The Bessel function example from JAX's "External callbacks" guide, with autocallback.

JAX's guide wraps `scipy.special.jv` by hand: a `jax.ShapeDtypeStruct`, a
`jax.pure_callback`, a `jax.custom_jvp` and a hand-written JVP rule. Here the same
function is one call to `host_function`, and the derivative is a formula string.

Run from the repository root: `python examples/bessel_seed.py`. The figure is written
to `docs/images/bessel_jv.png` (or to `$AUTOCALLBACK_FIGURES` when set).
"""

# %%
import os
from pathlib import Path

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import scipy.special

from autocallback import host_function

plt.switch_backend("Agg")
FIGURES = Path(
    os.environ.get("AUTOCALLBACK_FIGURES", Path(__file__).resolve().parents[1] / "docs/images")
)

# %% [markdown]
# The recurrence dJ_v/dz = (J_{v-1}(z) - J_{v+1}(z)) / 2 is the derivative with
# respect to `z`; the order `v` is declared non-differentiable with `None`. In the
# formula, `jv` is the decorated function itself.

# %%
jv = host_function(
    scipy.special.jv,
    derivatives={"v": None, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"},
)


def j1(z):
    return jv(1, z)


z = jnp.arange(5.0)

# %% Values: eagerly, under jit and under vmap (one host call for the whole batch).
print("j1(z)        ", j1(z))
print("jit(j1)(z)   ", jax.jit(j1)(z))
print("vmap(j1)(z)  ", jax.vmap(j1)(z))
np.testing.assert_allclose(j1(z), scipy.special.jv(1, np.arange(5.0)), rtol=1e-6)
np.testing.assert_allclose(jax.vmap(j1)(z), j1(z), rtol=1e-6)

# %% First and second derivatives. The second derivative differentiates the formula,
# which calls `jv` again, so every order works.
grad = jax.grad(j1)(2.0)
hess = jax.hessian(j1)(2.0)
print("grad(j1)(2.0)    ", grad)  # (J0(2) - J2(2)) / 2 = -0.0644716
print("hessian(j1)(2.0) ", hess)  # (J3(2) - 3 J1(2)) / 4 = -0.4003078
np.testing.assert_allclose(grad, -0.06447162, rtol=1e-5)
np.testing.assert_allclose(hess, -0.4003078, rtol=1e-5)

# %% Derivatives of a whole curve: vmap of grad, compared with central finite
# differences of SciPy itself.
zs = np.linspace(0.1, 15.0, 300)
h = 1e-5
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
for v in (0, 1, 2):
    values = jv(v, zs)
    slope = jax.vmap(jax.grad(jv, argnums=1), in_axes=(None, 0))(v, zs)
    finite_diff = (scipy.special.jv(v, zs + h) - scipy.special.jv(v, zs - h)) / (2 * h)
    np.testing.assert_allclose(slope, finite_diff, atol=1e-4)
    (line,) = ax0.plot(zs, values, label=f"$v = {v}$")
    ax1.plot(zs, slope, color=line.get_color())
    ax1.plot(zs[::12], finite_diff[::12], "o", ms=4, mfc="none", color=line.get_color())
ax0.set(xlabel="$z$", ylabel="$J_v(z)$", title="$J_v(z)$ from scipy.special.jv")
ax1.set(xlabel="$z$", ylabel="$dJ_v/dz$", title="$dJ_v/dz$", ylim=(-0.65, 0.75))
ax0.legend(loc="upper right")
ax1.legend(
    handles=[
        plt.Line2D([], [], color="0.3", label="jax.vmap(jax.grad(jv))"),
        plt.Line2D(
            [],
            [],
            color="0.3",
            marker="o",
            ms=4,
            mfc="none",
            ls="none",
            label="finite differences of SciPy",
        ),
    ],
    loc="upper right",
)
for ax in (ax0, ax1):
    ax.axhline(0.0, color="0.8", linewidth=0.8, zorder=0)

FIGURES.mkdir(parents=True, exist_ok=True)
fig.savefig(FIGURES / "bessel_jv.png", dpi=110)
print("wrote", FIGURES / "bessel_jv.png")
