"""Fitting a model whose loss calls a SciPy special function, with `jax.grad`.

The screened potential of a line charge in two dimensions is y(r) = A K_0(r / L), with
K_0 the modified Bessel function of the second kind (not in `jax.scipy.special`). We fit
the amplitude A and the screening length L to noisy measurements by plain gradient
descent, using `autocallback.special.kv`: the loss and its gradient are one jitted JAX
function, with SciPy evaluating K_0 and its derivative on the host.

Run from the repository root: `python examples/fit_model.py`.
"""

# %%
import jax
import jax.numpy as jnp
import numpy as np

from autocallback.special import kv

# %% Synthetic measurements with 2% noise. True parameters: A = 2.0, L = 1.5.
true_amplitude, true_length = 2.0, 1.5
r = jnp.linspace(0.2, 6.0, 60)
noise = 1 + 0.02 * jax.random.normal(jax.random.key(0), r.shape)
y = true_amplitude * kv(0, r / true_length) * noise


# %% The parameters are log A and log L, which keeps both positive.
def model(params, r):
    log_amplitude, log_length = params
    return jnp.exp(log_amplitude) * kv(0, r / jnp.exp(log_length))


def loss(params):
    return jnp.mean((model(params, r) - y) ** 2) / jnp.mean(y**2)


loss_and_grad = jax.jit(jax.value_and_grad(loss))

# %% Plain gradient descent from A = 1, L = 1.
params = jnp.array([0.0, 0.0])
learning_rate = 0.5

history = []
for step in range(151):
    value, gradient = loss_and_grad(params)
    history.append(float(value))
    if step in (0, 5, 10, 20, 40, 80, 150):
        amplitude, length = np.exp(params)
        print(f"step {step:3d}  loss {value:.3e}  A = {amplitude:.4f}  L = {length:.4f}")
    params = params - learning_rate * gradient

amplitude, length = np.exp(params)
print(f"fitted A = {amplitude:.3f} (true {true_amplitude}), L = {length:.3f} (true {true_length})")
assert history[-1] < 1e-2 * history[0]
# 2% noise on 60 points: the fit is within a few percent of the truth.
np.testing.assert_allclose([amplitude, length], [true_amplitude, true_length], rtol=0.05)

# %% Second derivatives work through `kv` too (its derivative formula calls `kv` again).
# Near the minimum, gradient descent is stable for step sizes below 2 / (largest
# eigenvalue of the Hessian of the loss).
curvature = jnp.linalg.eigvalsh(jax.hessian(loss)(params))
print("Hessian eigenvalues at the fit:", curvature, " stable step sizes below", 2 / curvature.max())
assert learning_rate < 2 / curvature.max()
