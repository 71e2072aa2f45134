"""Derivatives of four catalogue families, against finite differences of SciPy.

`autocallback.special` differentiates every continuous argument: in x through a
function's differential equation (Mathieu's ce_m, x in degrees), in parameters
numerically (the order v of the parabolic cylinder function D_v, the degrees of freedom of
the noncentral chi-square distribution), in closed form through other functions (its
noncentrality, through the density; the Voigt profile's width, through the Faddeeva
function). Each panel plots `jax.vmap(jax.grad(...))` over central differences of the
SciPy function itself.

Run from the repository root: `python examples/catalogue_families.py`. The figure is
written to `docs/images/catalogue_families.png` (or to `$AUTOCALLBACK_FIGURES` when set).
"""

# %%
import os
from pathlib import Path

import jax
import jax.numpy as jnp
import matplotlib.pyplot as plt
import numpy as np
import scipy.special as sc

from autocallback import special

jax.config.update("jax_enable_x64", True)  # float64, to compare with finite differences
plt.switch_backend("Agg")
FIGURES = Path(
    os.environ.get("AUTOCALLBACK_FIGURES", Path(__file__).resolve().parents[1] / "docs/images")
)


def central(f, x, h=1e-5):
    """Central differences of a NumPy function."""
    return (f(x + h) - f(x - h)) / (2 * h)


def grad(f, argnum, *args):
    """d f / d args[argnum] at each point of a grid (all arguments arrays of one length)."""
    arrays = [jnp.asarray(a) for a in args]
    return np.asarray(jax.vmap(jax.grad(f, argnums=argnum))(*arrays))


# %% Each family: (title, x label, grid, [(label, derivative, finite differences)]).
x_deg = np.linspace(0.0, 180.0, 61)
x_pcf = np.linspace(-3.0, 3.0, 61)
x_ncx = np.linspace(0.2, 12.0, 61)
x_voigt = np.linspace(-4.0, 4.0, 61)
panels = [
    (
        r"Mathieu $ce_2(x, q = 1.5)$, $x$ in degrees",
        "$x$ (degrees)",
        x_deg,
        [
            (
                r"$\partial/\partial x$",
                grad(lambda x: special.mathieu_cem(2.0, 1.5, x)[0], 0, x_deg),
                central(lambda x: sc.mathieu_cem(2.0, 1.5, x)[0], x_deg),
            ),
            (
                r"$\partial/\partial q$",
                grad(
                    lambda q, x: special.mathieu_cem(2.0, q, x)[0],
                    0,
                    np.full_like(x_deg, 1.5),
                    x_deg,
                ),
                central(lambda q: sc.mathieu_cem(2.0, q, x_deg)[0], 1.5),
            ),
        ],
    ),
    (
        r"Parabolic cylinder $D_v(x)$, $v = 1.3$",
        "$x$",
        x_pcf,
        [
            (
                r"$\partial/\partial x$",
                grad(lambda x: special.pbdv(1.3, x)[0], 0, x_pcf),
                central(lambda x: sc.pbdv(1.3, x)[0], x_pcf),
            ),
            (
                r"$\partial/\partial v$",
                grad(lambda v, x: special.pbdv(v, x)[0], 0, np.full_like(x_pcf, 1.3), x_pcf),
                central(lambda v: sc.pbdv(v, x_pcf)[0], 1.3),
            ),
        ],
    ),
    (
        r"Noncentral $\chi^2$ CDF, $k = 3$, $\lambda = 2$",
        "$x$",
        x_ncx,
        [
            (
                r"$\partial/\partial \lambda$",
                grad(lambda nc, x: special.chndtr(x, 3.0, nc), 0, np.full_like(x_ncx, 2.0), x_ncx),
                central(lambda nc: sc.chndtr(x_ncx, 3.0, nc), 2.0),
            ),
            (
                r"$\partial/\partial k$",
                grad(lambda df, x: special.chndtr(x, df, 2.0), 0, np.full_like(x_ncx, 3.0), x_ncx),
                central(lambda df: sc.chndtr(x_ncx, df, 2.0), 3.0),
            ),
        ],
    ),
    (
        r"Voigt profile, $\sigma = 0.8$, $\gamma = 0.5$",
        "$x$",
        x_voigt,
        [
            (
                r"$\partial/\partial \sigma$",
                grad(
                    lambda s, x: special.voigt_profile(x, s, 0.5),
                    0,
                    np.full_like(x_voigt, 0.8),
                    x_voigt,
                ),
                central(lambda s: sc.voigt_profile(x_voigt, s, 0.5), 0.8),
            ),
            (
                r"$\partial/\partial \gamma$",
                grad(
                    lambda g, x: special.voigt_profile(x, 0.8, g),
                    0,
                    np.full_like(x_voigt, 0.5),
                    x_voigt,
                ),
                central(lambda g: sc.voigt_profile(x_voigt, 0.8, g), 0.5),
            ),
        ],
    ),
]

# %% The derivatives agree with the finite differences (whose own error is about 1e-9).
for title, _, _, curves in panels:
    for label, got, fd in curves:
        err = np.max(np.abs(got - fd) / np.maximum(np.abs(fd), 1e-3))
        print(f"{title}, {label}: max relative difference {err:.1e}")
        np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)

# %% Plot the derivatives over the finite differences.
fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), constrained_layout=True)
for ax, (title, xlabel, grid, curves) in zip(axes.flat, panels, strict=True):
    for label, got, fd in curves:
        (line,) = ax.plot(grid, got, label=f"{label}, jax.grad")
        ax.plot(
            grid[::4],
            fd[::4],
            "o",
            markersize=4,
            markerfacecolor="none",
            color=line.get_color(),
            label=f"{label}, finite differences",
        )
    ax.set(xlabel=xlabel, ylabel="partial derivative", title=title)
    ax.legend(fontsize="small")
FIGURES.mkdir(parents=True, exist_ok=True)
fig.savefig(FIGURES / "catalogue_families.png", dpi=100)
print("wrote", FIGURES / "catalogue_families.png")
