"""`autocallback.special`, elliptic integrals and functions, Carlson's forms, the AGM: values against SciPy, derivatives
against mpmath (the checks are `special_support.family_tests`)."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import scipy.special as sc
from special_support import (
    Case,
    Second,
    _ellipf,
    _ellipj,
    d,
    family_tests,
)

from autocallback import special

# name -> (mpmath reference, points beyond the entry's examples, {argument: rtol})
CASES: dict[str, Case] = {
    "ellipk": (mp.ellipk, [(0.99,), (1e-5,)], {}),
    "ellipkm1": (lambda p: mp.ellipk(1 - p), [(1e-6,), (0.75,), (2.5,)], {}),
    "ellipe": (mp.ellipe, [(0.99,), (1e-5,)], {}),
    "ellipkinc": (_ellipf, [(1.2, -1.5), (0.3, 1e-7), (2.5, 0.6), (-4.0, 0.4)], {}),
    "ellipeinc": (mp.ellipe, [(1.2, -1.5), (0.3, 1e-7), (2.5, 0.6), (-4.0, 0.4)], {}),
    "elliprf": (mp.elliprf, [(0.1, 1.0, 3.0)], {}),
    # The x and y partials of R_D are difference quotients (R_D(x,y,z) - R_D(y,z,x)) /
    # (2 (z - x)); the points keep z away from x and y, so the loss is a few digits at most.
    "elliprd": (mp.elliprd, [(0.1, 1.0, 3.0)], {}),
    "elliprc": (mp.elliprc, [], {}),
    "elliprg": (mp.elliprg, [(0.4, 1.0, 3.0)], {}),
    "agm": (mp.agm, [(1e-3, 5.0), (5.0, 1e-3)], {}),
    "elliprj": (mp.elliprj, [], {}),
    "ellipj": (_ellipj, [], {}),
}

# Second derivatives: name -> (points, reference per point, or None for mp.diff(n=2))
SECOND: dict[str, Second] = {
    "ellipk": ([(0.3,), (-2.5,), (0.9,)], None),
    "ellipe": ([(0.3,), (-2.5,), (0.9,)], None),
    "elliprf": ([(0.3, 0.9, 1.7)], None),
    # R_C near and at x = y, where its partials switch to the 2F1 form.
    "elliprc": ([(0.3, 0.9), (2.0, 0.5), (1.0, 1.0), (0.95, 1.0)], None),
    "ellipkinc": ([(0.7, 0.3), (2.5, 0.6)], None),
    "agm": ([(1.0, 2.5), (5.0, 0.5)], None),
    "elliprj": ([(0.3, 0.9, 1.7, 2.5)], None),
}

globals().update(family_tests(CASES, SECOND))


def test_elliptic_derivatives_at_m_zero(enable_x64: None):
    np.testing.assert_allclose(d(special.ellipk, 0.0)[0], np.pi / 8, rtol=1e-15)
    np.testing.assert_allclose(d(special.ellipk, 0.0, order=2)[0], 9 * np.pi / 64, rtol=1e-15)
    np.testing.assert_allclose(d(special.ellipe, 0.0)[0], -np.pi / 8, rtol=1e-15)
    np.testing.assert_allclose(d(special.ellipe, 0.0, order=2)[0], -3 * np.pi / 64, rtol=1e-15)
    # dF/dm and dE/dm at m = 0 for |phi| <= pi/2: the Carlson forms have no 0/0.
    phi = 0.9
    want_f = float(mp.diff(lambda m: mp.ellipf(phi, m), 0))
    want_e = float(mp.diff(lambda m: mp.ellipe(phi, m), 0))
    np.testing.assert_allclose(d(special.ellipkinc, phi, 0.0)[0], want_f, rtol=1e-13)
    np.testing.assert_allclose(d(special.ellipeinc, phi, 0.0)[0], want_e, rtol=1e-13)
    # ellipkm1 near p = 1 (m = 0) and p = 0.
    np.testing.assert_allclose(d(special.ellipkm1, 1.0)[0], -np.pi / 8, rtol=1e-15)


def test_elliprg_derivative_at_zero_argument(enable_x64: None):
    want = sc.elliprf(0.0, 0.5, 2.0) / 4
    np.testing.assert_allclose(d(special.elliprg, 0.0, 0.5, 2.0, index=0)[0], want, rtol=1e-14)
