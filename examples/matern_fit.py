"""Learning a Matérn kernel's smoothness ν together with its length scale.

The Matérn covariance of a Gaussian process,

    k(r) = 2^(1-ν) / Γ(ν) · (√(2ν) r / ℓ)^ν · K_ν(√(2ν) r / ℓ),

depends on ν through the order of the modified Bessel function K_ν, whose derivative in
its order has no closed form. `autocallback.special.kv` differentiates it in ν
numerically on the host (`autocallback.numerical()`), in the same host call as its
z-derivative, so the smoothness is learnt by gradient descent like any other
hyperparameter. We fit ℓ and ν to noisy samples of a Matérn covariance, then compare
dK_ν/dν against central differences of SciPy. The plot is written to
`docs/images/matern_fit.png` (or to `$AUTOCALLBACK_FIGURES` when set).

Run from the repository root: `python examples/matern_fit.py`.
"""

# %%
import os
from pathlib import Path

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import scipy.special as sc

from autocallback.special import kv

jax.config.update("jax_enable_x64", True)
FIGURES = Path(
    os.environ.get("AUTOCALLBACK_FIGURES", Path(__file__).resolve().parents[1] / "docs/images")
)


def matern(r, length, nu):
    """The Matérn covariance with unit variance (k(0) = 1)."""
    scaled = jnp.sqrt(2 * nu) * jnp.maximum(r, 1e-12) / length
    return 2 ** (1 - nu) / jnp.exp(jax.scipy.special.gammaln(nu)) * scaled**nu * kv(nu, scaled)


# %% Noisy samples of the covariance, true ℓ = 1.3 and ν = 1.7.
true_length, true_nu = 1.3, 1.7
r = jnp.linspace(0.05, 4.0, 80)
noise = 0.005 * jax.random.normal(jax.random.key(0), r.shape)
target = matern(r, true_length, true_nu) + noise


# %% Gradient descent on log ℓ and log ν (both stay positive).
def loss(params):
    length, nu = jnp.exp(params)
    return jnp.mean((matern(r, length, nu) - target) ** 2)


loss_and_grad = jax.jit(jax.value_and_grad(loss))
params = jnp.log(jnp.array([0.6, 0.6]))  # start from ℓ = 0.6, ν = 0.6
learning_rate, momentum = 2.0, 0.8
velocity = jnp.zeros(2)
history = []
for step in range(301):
    value, gradient = loss_and_grad(params)
    assert np.all(np.isfinite(gradient)) and gradient[1] != 0  # no silent zero in ν
    history.append(float(value))
    if step % 50 == 0:
        length, nu = np.exp(params)
        print(f"step {step:3d}  loss {value:.3e}  length {length:.4f}  nu {nu:.4f}")
    velocity = momentum * velocity - learning_rate * gradient
    params = params + velocity

length, nu = np.exp(params)
print(f"fitted length {length:.3f} (true {true_length}), nu {nu:.3f} (true {true_nu})")
assert history[-1] < 1e-2 * history[0]
np.testing.assert_allclose([length, nu], [true_length, true_nu], rtol=0.1)

# %% dK_ν/dν against central differences of SciPy.
nus = np.linspace(0.3, 4.0, 60)
z = 1.5
grad_nu = jax.jit(jax.vmap(jax.grad(kv, argnums=0), in_axes=(0, None)))(nus, z)
eps = 1e-5
central = (sc.kv(nus + eps, z) - sc.kv(nus - eps, z)) / (2 * eps)
np.testing.assert_allclose(grad_nu, central, rtol=1e-6)
print(
    f"dK_nu/dnu vs central differences: max relative difference "
    f"{np.max(np.abs(grad_nu / central - 1)):.1e}"
)

# %% The plot: the loss during the fit, and dK_ν/dν.
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
left.semilogy(history)
left.set_xlabel("gradient step")
left.set_ylabel("mean squared error")
left.set_title("Fitting ℓ and ν of a Matérn kernel")
right.plot(nus, grad_nu, label="jax.grad(kv, argnums=0)")
right.plot(nus[::4], central[::4], "o", markersize=4, label="central differences (SciPy)")
right.set_xlabel("ν")
right.set_ylabel(f"dK_ν({z})/dν")
right.set_title("Derivative in the order, numerically on the host")
right.legend()
fig.tight_layout()
FIGURES.mkdir(parents=True, exist_ok=True)
fig.savefig(FIGURES / "matern_fit.png", dpi=110)
print(f"wrote {FIGURES / 'matern_fit.png'}")
