"""Elliptic integrals and functions, Carlson's forms, the AGM."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import scipy.special as sc

from ._common import CATALOGUE, _entry

# --- Elliptic integrals -------------------------------------------------------------------
CATALOGUE.section("Elliptic integrals")
# Carlson's forms have partial derivatives in closed form: dR_F/dz = -R_D(x, y, z)/6
# (DLMF 19.18.1), dR_G/dz = R_F/4 - z R_D/12; dR_D/dx comes from partial fractions and has
# a removable singularity at x = z (likewise y = z), where it loses accuracy.

elliprd = _entry(
    sc.elliprd,
    "Carlson's symmetric elliptic integral of the second kind "
    "R_D(x, y, z).\n\nDifferentiable in x, y and z; the partials are difference quotients, "
    "which lose digits where x or y is close to z (NaN where equal).",
    derivatives={
        "x": "(elliprd(x, y, z) - elliprd(y, z, x)) / (2 * (z - x))",
        "y": "(elliprd(x, y, z) - elliprd(z, x, y)) / (2 * (z - y))",
        "z": "-(3 * elliprd(x, y, z) / 2 + x * (elliprd(x, y, z) - elliprd(y, z, x)) "
        "/ (2 * (z - x)) + y * (elliprd(x, y, z) - elliprd(z, x, y)) "
        "/ (2 * (z - y))) / z",
    },
    examples=[(0.3, 0.9, 1.7), (2.0, 0.5, 1.1)],
)
elliprf = _entry(
    sc.elliprf,
    "Carlson's symmetric elliptic integral of the first kind "
    "R_F(x, y, z).\n\nDifferentiable in x, y and z.",
    derivatives={
        "x": "-elliprd(y, z, x) / 6",
        "y": "-elliprd(z, x, y) / 6",
        "z": "-elliprd(x, y, z) / 6",
    },
    examples=[(0.3, 0.9, 1.7), (2.0, 0.5, 1.1)],
)
# R_C(x, y) without R_D: the difference quotients of R_C itself away from x = y, and
# R_C = y^(-1/2) 2F1(1/2, 1/2; 3/2; 1 - x/y) near it (-R_D(y, y, x)/6 would put every
# higher derivative on the coincidence y = z of R_D's difference quotients).
_RC_NEAR = "Abs(x - y) < y / 2"
elliprc = _entry(
    sc.elliprc,
    "Carlson's degenerate elliptic integral R_C(x, y) = R_F(x, y, y).\n\n"
    "Differentiable in x and y.",
    derivatives={
        "x": f"Piecewise((-hyp2f1(3 / 2, 3 / 2, 5 / 2, 1 - x / y) / (6 * y ** (3 / 2)), {_RC_NEAR}), "
        "((elliprc(x, y) - 1 / sqrt(x)) / (2 * (y - x)), True))",
        "y": f"Piecewise((x * hyp2f1(3 / 2, 3 / 2, 5 / 2, 1 - x / y) / (6 * y ** (5 / 2)) "
        f"- elliprc(x, y) / (2 * y), {_RC_NEAR}), "
        "((sqrt(x) / y - elliprc(x, y)) / (2 * (y - x)), True))",
    },
    examples=[(0.3, 0.9), (2.0, 0.5), (1.0, 1.0)],
)
elliprg = _entry(
    sc.elliprg,
    "Carlson's completely symmetric elliptic integral of the second "
    "kind R_G(x, y, z).\n\nDifferentiable in x, y and z.",
    derivatives={
        "x": "Piecewise((elliprf(x, y, z) / 4, x == 0), "
        "(elliprf(x, y, z) / 4 - x * elliprd(y, z, x) / 12, True))",
        "y": "Piecewise((elliprf(x, y, z) / 4, y == 0), "
        "(elliprf(x, y, z) / 4 - y * elliprd(z, x, y) / 12, True))",
        "z": "Piecewise((elliprf(x, y, z) / 4, z == 0), "
        "(elliprf(x, y, z) / 4 - z * elliprd(x, y, z) / 12, True))",
    },
    examples=[(0.3, 0.9, 1.7), (2.0, 0.5, 1.1)],
)

ellipk = _entry(
    sc.ellipk,
    "Complete elliptic integral of the first kind K(m).\n\nDifferentiable in m.",
    derivatives={"m": "pi / 8 * hyp2f1(3 / 2, 3 / 2, 2, m)"},
    examples=[(0.3,), (-2.5,)],
)
ellipe = _entry(
    sc.ellipe,
    "Complete elliptic integral of the second kind E(m).\n\nDifferentiable in m.",
    derivatives={"m": "-pi / 8 * hyp2f1(1 / 2, 3 / 2, 2, m)"},
    examples=[(0.3,), (-2.5,)],
)
# K(1 - p) for small p: near p = 0, 1 - p carries too few digits of p for the 2F1 form.
ellipkm1 = _entry(
    sc.ellipkm1,
    "Complete elliptic integral of the first kind around m = 1, K(1 - p).\n\nDifferentiable in p.",
    derivatives={
        "p": "Piecewise((-pi / 8 * hyp2f1(3 / 2, 3 / 2, 2, 1 - p), p > 1 / 2), "
        "((elliprd(0, p, 1) / 3 - ellipkm1(p)) / (2 * p), True))"
    },
    examples=[(0.3,), (0.7,)],
)
# d/dm of the incomplete integrals, with D(phi|m) = (F - E)/m = sin^3 R_D(cos^2, 1 - m sin^2, 1)/3
# on |phi| <= pi/2 (no cancellation at m = 0); outside that range the E, F form.
_D = "sin(phi) ** 3 * elliprd(cos(phi) ** 2, 1 - m * sin(phi) ** 2, 1) / 3"
_DELTA = "sqrt(1 - m * sin(phi) ** 2)"
ellipkinc = _entry(
    sc.ellipkinc,
    "Incomplete elliptic integral of the first kind F(phi | m).\n\nDifferentiable in phi and m "
    "(second and higher m-derivatives lose digits near m = 0, through those of `elliprd`).",
    derivatives={
        "phi": f"1 / {_DELTA}",
        "m": f"Piecewise(((ellipkinc(phi, m) - {_D}) / (2 * (1 - m)), Abs(phi) <= pi / 2), "
        f"((ellipeinc(phi, m) - (1 - m) * ellipkinc(phi, m)) / (2 * m * (1 - m)), True)) "
        f"- sin(2 * phi) / (4 * (1 - m) * {_DELTA})",
    },
    examples=[(0.7, 0.3), (2.5, -1.5)],
)
ellipeinc = _entry(
    sc.ellipeinc,
    "Incomplete elliptic integral of the second kind E(phi | m).\n\nDifferentiable in phi and m "
    "(second and higher m-derivatives lose digits near m = 0, through those of `elliprd`).",
    derivatives={
        "phi": _DELTA,
        "m": f"Piecewise((-{_D} / 2, Abs(phi) <= pi / 2), "
        f"((ellipeinc(phi, m) - ellipkinc(phi, m)) / (2 * m), True))",
    },
    examples=[(0.7, 0.3), (2.5, -1.5)],
)


# M(a, b) = pi b / (2 K(m)), m = 1 - p, p = a^2 / b^2, and M is homogeneous of degree 1, so
# dM/da = 4 a M^2 K'(m) / (pi b^3), and a and b swapped for dM/db. K'(m) is a 2F1 near
# m = 0 (a ~ b); near m = 1 (a << b) the 2F1 loses digits and (E - p K) / (2 m p), with K
# from `ellipkm1(p)`, has no cancellation.
def _agm_partial(a: str, b: str) -> str:
    p = f"{a} ** 2 / {b} ** 2"
    return (
        f"Piecewise((2 * agm(a, b) ** 2 * (ellipe(1 - {p}) - {p} * ellipkm1({p})) "
        f"/ (pi * {a} * {b} * (1 - {p})), {p} < 1 / 2), "
        f"({a} * agm(a, b) ** 2 * hyp2f1(3 / 2, 3 / 2, 2, 1 - {p}) / (2 * {b} ** 3), True))"
    )


agm = _entry(
    sc.agm,
    "Arithmetic-geometric mean of a and b.\n\nDifferentiable in a and b.",
    derivatives={"a": _agm_partial("a", "b"), "b": _agm_partial("b", "a")},
    examples=[(1.0, 2.5), (24.0, 6.0), (0.3, 0.3)],
)

# dR_J/dx = (R_J - R_D(y, z, x)) / (2 (p - x)) by partial fractions (likewise y, z), and
# dR_J/dp from homogeneity (degree -3/2); the difference quotients lose digits where p is
# close to x, y or z.
_RJ = "elliprj(x, y, z, p)"
_RJ_X = f"({_RJ} - elliprd(y, z, x)) / (2 * (p - x))"
_RJ_Y = f"({_RJ} - elliprd(z, x, y)) / (2 * (p - y))"
_RJ_Z = f"({_RJ} - elliprd(x, y, z)) / (2 * (p - z))"
elliprj = _entry(
    sc.elliprj,
    "Carlson's symmetric elliptic integral of the third kind R_J(x, y, z, p).\n\n"
    "Differentiable in x, y, z and p (difference quotients, which lose digits where p is "
    "close to x, y or z).",
    derivatives={
        "x": _RJ_X,
        "y": _RJ_Y,
        "z": _RJ_Z,
        "p": f"-(3 * {_RJ} / 2 + x * {_RJ_X} + y * {_RJ_Y} + z * {_RJ_Z}) / p",
    },
    examples=[(0.3, 0.9, 1.7, 2.5), (2.0, 0.5, 1.1, 0.3)],
)


def _ellipj_du(u: Any, m: Any) -> tuple[Any, Any, Any, Any]:
    """(cn dn, -sn dn, -m sn cn, dn)."""
    sn, cn, dn, _ = ellipj(u, m)
    return cn * dn, -sn * dn, -m * sn * cn, dn


def _ellipj_dm(u: Any, m: Any) -> tuple[Any, Any, Any, Any]:
    """From dph/dm = (sn cn - dn (u - D(ph|m))) / (2 (1 - m)), D = (F - E) / m."""
    # D(ph|m) through Carlson's R_D, shifted by its quasi-period (D(ph + k pi) = D(ph) +
    # 2k D(pi/2)): no 0/0 at m = 0 for any amplitude.
    sn, cn, dn, ph = ellipj(u, m)
    k = jnp.round(ph / jnp.pi)
    sign = jnp.where(k % 2 == 0, 1.0, -1.0)
    one, zero = jnp.ones_like(dn), jnp.zeros_like(dn)
    d = (sign * sn**3 * elliprd(cn**2, dn**2, one) + 2 * k * elliprd(zero, 1 - m, one)) / 3
    dph = (sn * cn - dn * (u - d)) / (2 * (1 - m))
    return cn * dph, -sn * dph, -(sn**2 + 2 * m * sn * cn * dph) / (2 * dn), dph


ellipj = _entry(
    sc.ellipj,
    "Jacobian elliptic functions sn, cn, dn and the amplitude ph of u for parameter m (four "
    "outputs).\n\nDifferentiable in u and m (JAX callables: the outputs differentiate into "
    "each other).",
    signature="(),()->(),(),(),()",
    derivatives={"u": _ellipj_du, "m": _ellipj_dm},
    examples=[(0.7, 0.3), (2.5, 0.8), (-4.0, 0.5)],
)
