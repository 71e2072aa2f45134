"""Kelvin functions."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import scipy.special as sc

from ._common import CATALOGUE, _entry

# --- Kelvin functions ---------------------------------------------------------------------
CATALOGUE.section("Kelvin functions")
# ber + i bei and ker + i kei solve x^2 f'' + x f' - i x^2 f = 0, so ber'' = -ber'/x - bei,
# bei'' = -bei'/x + ber (likewise for ker, kei); at x = 0 the limits are 0 and 1/2.

_KELVIN = "Differentiable in x."
ber = _entry(
    sc.ber,
    f"Kelvin function ber(x).\n\n{_KELVIN}",
    derivatives={"x": "berp(x)"},
    examples=[(0.7,), (3.2,)],
)
ker = _entry(
    sc.ker,
    f"Kelvin function ker(x).\n\n{_KELVIN}",
    derivatives={"x": "kerp(x)"},
    examples=[(0.7,), (3.2,)],
)
beip = _entry(
    sc.beip,
    f"Derivative of the Kelvin function bei(x).\n\n{_KELVIN}",
    derivatives={"x": "Piecewise((1 / 2, x == 0), (ber(x) - beip(x) / x, True))"},
    examples=[(0.7,), (3.2,)],
)
keip = _entry(
    sc.keip,
    f"Derivative of the Kelvin function kei(x).\n\n{_KELVIN}",
    derivatives={"x": "ker(x) - keip(x) / x"},
    examples=[(0.7,), (3.2,)],
)
bei = _entry(
    sc.bei,
    f"Kelvin function bei(x).\n\n{_KELVIN}",
    derivatives={"x": "beip(x)"},
    examples=[(0.7,), (3.2,)],
)
kei = _entry(
    sc.kei,
    f"Kelvin function kei(x).\n\n{_KELVIN}",
    derivatives={"x": "keip(x)"},
    examples=[(0.7,), (3.2,)],
)
berp = _entry(
    sc.berp,
    f"Derivative of the Kelvin function ber(x).\n\n{_KELVIN}",
    derivatives={"x": "Piecewise((0, x == 0), (-bei(x) - berp(x) / x, True))"},
    examples=[(0.7,), (3.2,)],
)
kerp = _entry(
    sc.kerp,
    f"Derivative of the Kelvin function ker(x).\n\n{_KELVIN}",
    derivatives={"x": "-kei(x) - kerp(x) / x"},
    examples=[(0.7,), (3.2,)],
)


def _kelvin_prime(x: Any) -> tuple[Any, Any, Any, Any]:
    """(Be', Ke', Be'', Ke'') with f'' = i f - f' / x (Be''(0) = i / 2)."""
    # ber + i bei and ker + i kei solve x^2 f'' + x f' - i x^2 f = 0; one host call of
    # kelvin gives all four values.
    be, ke, bep, kep = kelvin(x)
    safe = jnp.where(x == 0, 1.0, x)
    bepp = jnp.where(x == 0, 0.5j, 1j * be - bep / safe)
    return bep, kep, bepp, 1j * ke - kep / x


kelvin = _entry(
    sc.kelvin,
    "Kelvin functions Be = ber + i bei, Ke = ker + i kei and their derivatives (four complex "
    "outputs).\n\nDifferentiable in x (a JAX callable: the outputs differentiate into each "
    "other).",
    signature="()->(),(),(),()",
    derivatives={"x": _kelvin_prime},
    examples=[(0.7,), (3.2,)],
)
