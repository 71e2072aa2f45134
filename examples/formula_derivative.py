"""Derivative formulas for a function of two arguments, checked against finite differences.

The Pochhammer symbol (z)_m = gamma(z + m) / gamma(z) is computed on the host by
`scipy.special.poch`. Its partial derivatives have closed forms in terms of the function
itself and the digamma function psi:

    d/dz (z)_m = (z)_m (psi(z + m) - psi(z))
    d/dm (z)_m = (z)_m psi(z + m)

Run from the repository root: `python examples/formula_derivative.py`. The figure is
written to `docs/images/poch_derivatives.png` (or to `$AUTOCALLBACK_FIGURES` when set).
"""

# %%
import os
from pathlib import Path

import jax
import matplotlib.pyplot as plt
import numpy as np
import scipy.special

import autocallback as ac

jax.config.update("jax_enable_x64", True)  # float64, to compare with finite differences
plt.switch_backend("Agg")
FIGURES = Path(
    os.environ.get("AUTOCALLBACK_FIGURES", Path(__file__).resolve().parents[1] / "docs/images")
)

# %% [markdown]
# A formula may use the function's parameters (`z`, `m`), the function's own name
# (`poch`, meaning the decorated function), and SymPy's functions (`digamma`).


# %%
@ac.host_function(
    derivatives={
        "z": "poch(z, m) * (digamma(z + m) - digamma(z))",
        "m": "poch(z, m) * digamma(z + m)",
    }
)
def poch(z, m):
    """Pochhammer symbol (z)_m = gamma(z + m) / gamma(z), computed by SciPy."""
    return scipy.special.poch(z, m)


print("poch(2.5, 1.5)           =", poch(2.5, 1.5))
print("grad wrt (z, m)          =", jax.grad(poch, argnums=(0, 1))(2.5, 1.5))

# %% The same derivatives as JAX-traceable callables with the function's parameters.
# They are the alternative to formula strings when you already have JAX code.
digamma = jax.scipy.special.digamma
poch_callable = ac.host_function(
    lambda z, m: scipy.special.poch(z, m),
    name="poch_callable",
    derivatives={
        "z": lambda z, m: poch_callable(z, m) * (digamma(z + m) - digamma(z)),
        "m": lambda z, m: poch_callable(z, m) * digamma(z + m),
    },
)
np.testing.assert_allclose(
    jax.grad(poch_callable, argnums=(0, 1))(2.5, 1.5),
    jax.grad(poch, argnums=(0, 1))(2.5, 1.5),
    rtol=1e-12,
)


# %% Central finite differences of SciPy itself, in float64.
def finite_difference(f, z, m, argnum, h=1e-6):
    step = (h, 0.0) if argnum == 0 else (0.0, h)
    return (f(z + step[0], m + step[1]) - f(z - step[0], m - step[1])) / (2 * h)


zs = np.linspace(0.3, 4.0, 200)
m = 1.5
grad_z, grad_m = jax.vmap(jax.grad(poch, argnums=(0, 1)), in_axes=(0, None))(zs, m)
fd_z = finite_difference(scipy.special.poch, zs, m, argnum=0)
fd_m = finite_difference(scipy.special.poch, zs, m, argnum=1)
print("max |d/dz - finite diff| =", np.max(np.abs(grad_z - fd_z)))
print("max |d/dm - finite diff| =", np.max(np.abs(grad_m - fd_m)))
np.testing.assert_allclose(grad_z, fd_z, rtol=1e-7, atol=1e-8)
np.testing.assert_allclose(grad_m, fd_m, rtol=1e-7, atol=1e-8)

# %% `check` does the same kind of comparison (eager, jit, vmap, forward and reverse
# derivatives up to second order) and raises AssertionError on a mismatch.
print(ac.check(poch, 2.5, 1.5))

# %% Plot the function and both partial derivatives over the finite differences.
fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
ax0.plot(zs, poch(zs, m), color="k", label=r"$(z)_m$, $m = 1.5$")
ax0.set(xlabel="$z$", ylabel="$(z)_m$", title="Pochhammer symbol (host: scipy.special.poch)")
ax0.legend()
partials = (
    (grad_z, fd_z, r"\partial (z)_m / \partial z"),
    (grad_m, fd_m, r"\partial (z)_m / \partial m"),
)
for values, fd, label in partials:
    (line,) = ax1.plot(zs, values, label=f"${label}$, jax.grad")
    ax1.plot(
        zs[::8],
        fd[::8],
        "o",
        markersize=4,
        markerfacecolor="none",
        color=line.get_color(),
        label=f"${label}$, finite differences",
    )
ax1.set(xlabel="$z$", ylabel="partial derivative", title="Partial derivatives at $m = 1.5$")
ax1.legend(fontsize="small")
FIGURES.mkdir(parents=True, exist_ok=True)
fig.savefig(FIGURES / "poch_derivatives.png", dpi=110)
print("wrote", FIGURES / "poch_derivatives.png")
