"""The matrix exponential from SciPy, with both derivative modes from `expm_frechet`.

`scipy.linalg.expm_frechet(A, E)` computes the Frechet derivative of the matrix
exponential: the directional derivative L(A, E) of expm at A in the direction E. That is
the forward-mode rule (`jvp=`) of expm. Reverse mode needs the transpose of E -> L(A, E),
and for the exponential it is L(A^T, G): the same SciPy routine at the transposed matrix.
Giving it as `vjp=` makes `jax.grad` work, although the forward rule passes its tangent to
a host function (which JAX could not transpose by itself).

Run from the repository root: `python examples/expm_frechet.py`.
"""

# %%
import jax
import jax.numpy as jnp
import numpy as np
import scipy.linalg

import autocallback as ac

jax.config.update("jax_enable_x64", True)  # float64, to compare with finite differences
np.set_printoptions(precision=6, suppress=True)


# %% [markdown]
# ## The two host functions
# Both are written for single matrices: `signature=` handles leading dimensions and
# `jax.vmap`.


# %%
@ac.host_function(signature="(n,n),(n,n)->(n,n)")
def expm_frechet(a, e):
    """The Frechet derivative of expm at `a` in the direction `e`, computed by SciPy."""
    return scipy.linalg.expm_frechet(a, e, compute_expm=False)


def _expm_jvp(primals, tangents):
    (a,), (a_dot,) = primals, tangents
    return expm_frechet(a, a_dot)


def _expm_vjp(primals, output, cotangent):
    (a,) = primals
    # The adjoint of E -> L(A, E) is G -> L(A^T, G).
    return (expm_frechet(jnp.swapaxes(a, -1, -2), cotangent),)


@ac.host_function(signature="(n,n)->(n,n)", jvp=_expm_jvp, vjp=_expm_vjp)
def expm(a):
    """The matrix exponential, computed by SciPy."""
    return scipy.linalg.expm(a)


rng = np.random.default_rng(0)
a = jnp.asarray(rng.normal(size=(4, 4)) / 2)
np.testing.assert_allclose(expm(a), jax.scipy.linalg.expm(a), rtol=1e-12)


# %% Forward mode (`jvp=`) and reverse mode (`vjp=`) of a scalar loss.
def loss(a):
    return jnp.sum(jnp.sin(expm(a)))


value, slope = jax.jvp(loss, (a,), (jnp.ones_like(a),))
grad = jax.grad(loss)(a)
print("loss:", value)
print("gradient:\n", grad)
np.testing.assert_allclose(slope, jnp.sum(grad), rtol=1e-12)  # two modes, one derivative

# Fourth-order central differences, entry by entry (error about h**4).
h = 1e-3
fd = np.zeros(a.shape)
for i in range(a.shape[0]):
    for j in range(a.shape[1]):
        e = np.zeros(a.shape)
        e[i, j] = h
        f = [float(loss(a + k * e)) for k in (-2, -1, 1, 2)]
        fd[i, j] = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h)
rel = np.max(np.abs(grad - fd)) / np.max(np.abs(fd))
print(f"gradient against finite differences: relative error {rel:.2e}")
assert rel <= 1e-7, rel

# JAX's own expm agrees.
np.testing.assert_allclose(grad, jax.grad(lambda a: jnp.sum(jnp.sin(jax.scipy.linalg.expm(a))))(a))

# %% The full Jacobian both ways: `jacfwd` pushes 16 tangents through `jvp=`, `jacrev`
# pulls 16 cotangents through `vjp=`; they agree to rounding.
jf = jax.jacfwd(expm)(a)
jr = jax.jacrev(expm)(a)
print("jacfwd == jacrev:", np.max(np.abs(jf - jr)))
np.testing.assert_allclose(jf, jr, rtol=1e-10, atol=1e-12)

# %% Under `jit` and `vmap`: one host call per batched call, gradients included.
batch = jnp.asarray(rng.normal(size=(8, 4, 4)) / 2)
grads = jax.jit(jax.vmap(jax.grad(loss)))(batch)
for k in range(len(batch)):
    np.testing.assert_allclose(grads[k], jax.grad(loss)(batch[k]), rtol=1e-12)
print("jit(vmap(grad)) over 8 matrices:", grads.shape)

# %% `check` verifies values, jit and vmap, both modes against finite differences, and that
# the reverse rule is the transpose of the forward one (a dot-product test).
result = ac.check(expm, a, order=1)
print(result)
assert result.transpose

# %% [markdown]
# ## With one rule only
# `jvp=` alone passes the tangent to the host, so reverse mode cannot transpose it; the
# error says what to add. `vjp=` alone gives reverse mode, and forward mode says what to
# add.

# %%
expm_fwd = ac.host_function(scipy.linalg.expm, signature="(n,n)->(n,n)", jvp=_expm_jvp)
expm_rev = ac.host_function(scipy.linalg.expm, signature="(n,n)->(n,n)", vjp=_expm_vjp)
np.testing.assert_allclose(jax.jvp(expm_fwd, (a,), (a,))[1], jax.jvp(expm, (a,), (a,))[1])
np.testing.assert_allclose(jax.jacrev(expm_rev)(a), jr)
for f, transform in ((expm_fwd, jax.jacrev), (expm_rev, jax.jacfwd)):
    try:
        transform(f)(a)
    except TypeError as error:
        print(f"{transform.__name__}: TypeError: {str(error)[:110]}...")
    else:
        raise AssertionError("expected a TypeError")
