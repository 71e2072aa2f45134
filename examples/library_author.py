"""A library author extends JAX with SciPy functions: `host_function` plus `register`.

The first half is what a small library module (say `mystats/_special.py`) would contain:
wrapped functions with derivative formulas, registered under names that later formulas,
in this library or in its users' code, may call. The second half is the user's side.

Run from the repository root: `python examples/library_author.py`.
"""

# %%
import jax
import jax.numpy as jnp
import numpy as np
import scipy.special
import scipy.stats

import autocallback as ac

np.set_printoptions(precision=6)

jax.config.update("jax_enable_x64", True)  # float64, to compare with finite differences

# %% [markdown]
# ## The library module
# Owen's T function is not in `jax.scipy.special`. Its partial derivatives have closed
# forms, written here as formulas. `examples=` lists points where
# `python -m autocallback check mystats._special` verifies it.


# %%
@ac.host_function(
    derivatives={
        "h": "-exp(-h**2 / 2) * erf(a * h / sqrt(2)) / (2 * sqrt(2 * pi))",
        "a": "exp(-h**2 * (1 + a**2) / 2) / (2 * pi * (1 + a**2))",
    },
    examples=[(0.5, 0.3), (-1.0, 2.0)],
)
def owens_t(h, a):
    """Owen's T function T(h, a), computed by `scipy.special.owens_t`."""
    return scipy.special.owens_t(h, a)


# Make `owens_t` usable in every later formula. Its own derivatives carry through.
ac.register("owens_t", owens_t)

# A JAX-traceable callable can be registered too. SymPy cannot see inside it, so it may
# be used in `derivatives=` formulas (JAX differentiates it for higher orders), but not
# in an `expr=` that SymPy has to differentiate.
ac.register("ndtr", jax.scipy.special.ndtr)


# %% [markdown]
# The skew-normal cumulative distribution function is F(x; alpha) = Phi(x) - 2 T(x, alpha).
# With `expr=`, SymPy differentiates that formula, including through `owens_t`, whose
# derivatives are the formulas above. The derivative in `x` is also given directly, as
# the skew-normal density 2 phi(x) Phi(alpha x); entries in `derivatives` take precedence
# over the ones SymPy derives.


# %%
@ac.host_function(
    expr="(1 + erf(x / sqrt(2))) / 2 - 2 * owens_t(x, alpha)",
    derivatives={"x": "2 * exp(-x**2 / 2) / sqrt(2 * pi) * ndtr(alpha * x)"},
    examples=[(0.4, 2.0)],
)
def skewnorm_cdf(x, alpha):
    """Cumulative distribution function of the standard skew-normal distribution."""
    return scipy.stats.skewnorm.cdf(x, alpha)


# %% [markdown]
# ## The user's side
# The user calls the library's functions like any JAX function.

# %%
x = jnp.linspace(-3.0, 3.0, 7)
alpha = 2.0
pdf = jax.vmap(jax.grad(skewnorm_cdf), in_axes=(0, None))(x, alpha)
print("d F / d x      :", pdf)
print("skewnorm.pdf   :", scipy.stats.skewnorm.pdf(np.asarray(x), alpha))
np.testing.assert_allclose(pdf, scipy.stats.skewnorm.pdf(np.asarray(x), alpha), rtol=1e-10)

h = 1e-6
d_alpha = jax.vmap(jax.grad(skewnorm_cdf, argnums=1), in_axes=(0, None))(x, alpha)
fd_alpha = (
    scipy.stats.skewnorm.cdf(np.asarray(x), alpha + h)
    - scipy.stats.skewnorm.cdf(np.asarray(x), alpha - h)
) / (2 * h)
print("d F / d alpha  :", d_alpha)
print("finite diff.   :", fd_alpha)
np.testing.assert_allclose(d_alpha, fd_alpha, rtol=1e-6, atol=1e-9)

# %% Second derivatives come from differentiating the formulas again.
print("hessian at (0.4, 2.0):", np.array(jax.hessian(skewnorm_cdf, argnums=(0, 1))(0.4, 2.0)))
print(ac.check(owens_t, 0.5, 0.3))
print(ac.check(skewnorm_cdf, 0.4, 2.0))

# %% Names are global: registering a taken name needs `replace=True`.
try:
    ac.register("owens_t", owens_t)
except ValueError as error:
    print("ValueError:", error)
ac.register("owens_t", owens_t, replace=True)
