"""`autocallback.special`, bessel functions: real order, integer order, spherical: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import jax.numpy as jnp
import mpmath as mp
import numpy as np
import scipy.special as sc
from special_support import (
    Case,
    Second,
    _sph,
    d,
    family_tests,
)

from autocallback import special

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "jv": (mp.besselj, [(-1.5, 5.5), (7.25, 2.5)], {}),
    "yv": (mp.bessely, [(-1.5, 5.5), (7.25, 2.5)], {}),
    "iv": (mp.besseli, [(-1.5, 5.5), (7.25, 2.5)], {}),
    "kv": (mp.besselk, [(-1.5, 5.5), (7.25, 2.5)], {}),
    "jve": (mp.besselj, [(0, 3.2)], {}),
    "yve": (mp.bessely, [(0, 3.2)], {}),
    "ive": (lambda v, z: mp.besseli(v, z) * mp.exp(-abs(z)), [(0, -3.2), (1, 40.0)], {}),
    "kve": (lambda v, z: mp.besselk(v, z) * mp.exp(z), [(0, 3.2), (1, 40.0)], {}),
    "hankel1": (mp.hankel1, [(0, 3.2)], {}),
    "hankel2": (mp.hankel2, [(0, 3.2)], {}),
    "hankel1e": (lambda v, z: mp.hankel1(v, z) * mp.exp(-1j * z), [(0, 3.2)], {}),
    "hankel2e": (lambda v, z: mp.hankel2(v, z) * mp.exp(1j * z), [(0, 3.2)], {}),
    "j0": (lambda x: mp.besselj(0, x), [(-5.5,)], {}),
    "j1": (lambda x: mp.besselj(1, x), [(-5.5,)], {}),
    "y0": (lambda x: mp.bessely(0, x), [(5.5,)], {}),
    "y1": (lambda x: mp.bessely(1, x), [(5.5,)], {}),
    "k0": (lambda x: mp.besselk(0, x), [(5.5,)], {}),
    "k1": (lambda x: mp.besselk(1, x), [(5.5,)], {}),
    "k0e": (lambda x: mp.besselk(0, x) * mp.exp(x), [(55.0,)], {}),
    "k1e": (lambda x: mp.besselk(1, x) * mp.exp(x), [(55.0,)], {}),
    "yn": (mp.bessely, [(5, 5.5)], {}),
    "kn": (mp.besselk, [(5, 5.5)], {}),
    "spherical_jn": (_sph(mp.besselj), [(1, 3.2), (4, 5.5)], {}),
    "spherical_yn": (_sph(mp.bessely), [(1, 3.2), (4, 5.5)], {}),
    "spherical_in": (_sph(mp.besseli), [(1, 3.2), (4, 5.5)], {}),
    "spherical_kn": (_sph(mp.besselk), [(1, 3.2), (4, 5.5)], {}),
    "jn": (mp.besselj, [(-1.5, 5.5)], {}),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "jv": ([(0.5, 1.3), (2, 0.7), (0, 3.2)], None),
    "kv": ([(0.5, 1.3), (2, 0.7), (0, 3.2)], None),
    "spherical_jn": ([(0, 0.7), (2, 3.2)], None),
    "hankel1": ([(0.5, 1.3), (2, 0.7)], None),
}

globals().update(family_tests(CASES, SECOND))


def test_spherical_derivative_flag(enable_x64: None):
    """derivative=True is static and gives j_n', whose derivative is j_n''."""
    n, z = jnp.array([0, 1, 3]), jnp.array([0.7, 3.2, 5.5])
    np.testing.assert_allclose(
        special.spherical_jn(n, z, derivative=True),
        sc.spherical_jn(np.asarray(n), np.asarray(z), derivative=True),
        rtol=1e-14,
    )
    got = d(lambda n, z: special.spherical_jn(n, z, True), n, z)[0]
    want = [
        float(mp.diff(_sph(mp.besselj), (int(a), mp.mpf(float(b))), (0, 2)))
        for a, b in zip(n, z, strict=True)
    ]
    np.testing.assert_allclose(got, want, rtol=1e-10)
