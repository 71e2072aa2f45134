"""`autocallback.special`, gamma and beta functions: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import jax.numpy as jnp
import mpmath as mp
import numpy as np
import scipy.special as sc
from special_support import (
    _BETA,
    Case,
    Second,
    _implicit,
    _inverse_derivative,
    _reg_beta,
    _reg_gamma,
    _root,
    d,
    family_tests,
)

from autocallback import special

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "rgamma": (mp.rgamma, [(4.5,), (-0.5,)], {}),
    "psi": (mp.digamma, [(4.5,)], {}),
    "gammaincinv": (
        {
            "a": lambda a, y: _implicit(
                lambda a_, t: _reg_gamma(a_, 0, t),
                [a],
                0,
                _root(lambda t: _reg_gamma(a, 0, t), y, sc.gammaincinv(float(a), float(y))),
            ),
            "y": lambda a, y: _inverse_derivative(
                lambda t: _reg_gamma(a, 0, t),
                _root(lambda t: _reg_gamma(a, 0, t), y, sc.gammaincinv(float(a), float(y))),
            ),
        },
        [(30.0, 0.5)],
        {},
    ),
    "gammainccinv": (
        {
            "a": lambda a, y: _implicit(
                lambda a_, t: _reg_gamma(a_, t, mp.inf),
                [a],
                0,
                _root(lambda t: _reg_gamma(a, t, mp.inf), y, sc.gammainccinv(float(a), float(y))),
            ),
            "y": lambda a, y: _inverse_derivative(
                lambda t: _reg_gamma(a, t, mp.inf),
                _root(lambda t: _reg_gamma(a, t, mp.inf), y, sc.gammainccinv(float(a), float(y))),
            ),
        },
        [(30.0, 0.5)],
        {},
    ),
    "betaincinv": (
        {
            **{
                p: (
                    lambda a, b, y, i=i: _implicit(
                        lambda a_, b_, t: _reg_beta(a_, b_, 0, t),
                        [a, b],
                        i,
                        _root(
                            lambda t: _reg_beta(a, b, 0, t),
                            y,
                            sc.betaincinv(float(a), float(b), float(y)),
                        ),
                    )
                )
                for i, p in enumerate("ab")
            },
            "y": lambda a, b, y: _inverse_derivative(
                lambda t: _reg_beta(a, b, 0, t),
                _root(
                    lambda t: _reg_beta(a, b, 0, t), y, sc.betaincinv(float(a), float(b), float(y))
                ),
            ),
        },
        [],
        {},
    ),
    "betainccinv": (
        {
            **{
                p: (
                    lambda a, b, y, i=i: _implicit(
                        lambda a_, b_, t: _reg_beta(a_, b_, t, 1),
                        [a, b],
                        i,
                        _root(
                            lambda t: _reg_beta(a, b, t, 1),
                            y,
                            sc.betainccinv(float(a), float(b), float(y)),
                        ),
                    )
                )
                for i, p in enumerate("ab")
            },
            "y": lambda a, b, y: _inverse_derivative(
                lambda t: _reg_beta(a, b, t, 1),
                _root(
                    lambda t: _reg_beta(a, b, t, 1), y, sc.betainccinv(float(a), float(b), float(y))
                ),
            ),
        },
        [],
        {},
    ),
    "binom": (mp.binomial, [(0.5, -0.75)], {}),
    "betaincc": (lambda a, b, x: _BETA(a, b, x, 1), [], {}),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "rgamma": ([(0.7,), (-2.3,)], None),
    "binom": ([(5.5, 2.0), (10.0, 3.7)], None),
}

globals().update(family_tests(CASES, SECOND))


def test_rgamma_derivative_at_poles_of_gamma(enable_x64: None):
    # d/dz 1/Gamma(z) at z = -n is (-1)^n n!.
    z = jnp.array([0.0, -1.0, -2.0, -3.0])
    np.testing.assert_allclose(d(special.rgamma, z)[0], [1, -1, 2, -6], rtol=1e-14)
