"""Airy functions."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import scipy.special as sc

from ._common import CATALOGUE, _entry

# --- Airy functions -----------------------------------------------------------------------
CATALOGUE.section("Airy functions")
# The derivatives are JAX callables of `airy` itself (one call gives all four outputs), so
# they run natively wherever `airy` does.


def _airy_prime(z: Any) -> tuple[Any, Any, Any, Any]:
    """(Ai', z Ai, Bi', z Bi), from one call of `airy` (native where `airy` is)."""
    ai, aip, bi, bip = airy(z)
    return (aip, z * ai, bip, z * bi)


airy = _entry(
    sc.airy,
    "Airy functions Ai, Ai', Bi, Bi' (four outputs).\n\nDifferentiable in z.",
    signature="()->(),(),(),()",
    derivatives={"z": _airy_prime},
    examples=[(0.7,), (-2.3,)],
)


def _airye_prime(z: Any) -> tuple[Any, Any, Any, Any]:
    """(eAi' + s eAi, z eAi + s eAi', eBi' - s eBi, z eBi - s eBi') with s = sqrt(max(z, 0))."""
    # The scaled outputs differentiate into each other, which formulas (one function per
    # name) cannot say: one host call of airye gives all four.
    eai, eaip, ebi, ebip = airye(z)
    s = jnp.sqrt(jnp.maximum(z, 0))
    return (eaip + s * eai, z * eai + s * eaip, ebip - s * ebi, z * ebi - s * ebip)


airye = _entry(
    sc.airye,
    "Exponentially scaled Airy functions eAi, eAi', eBi, eBi' (four "
    "outputs).\n\nDifferentiable in real z (a JAX callable: the scaled outputs "
    "differentiate into each other).",
    signature="()->(),(),(),()",
    derivatives={"z": _airye_prime},
    examples=[(0.7,), (4.5,)],
)


def _itairy_prime(x: Any) -> tuple[Any, Any, Any, Any]:
    """(Ai(x), Bi(x), Ai(-x), Bi(-x)), from two calls of `airy` (native where `airy` is)."""
    ai, _, bi, _ = airy(x)
    ai_minus, _, bi_minus, _ = airy(-x)
    return (ai, bi, ai_minus, bi_minus)


itairy = _entry(
    sc.itairy,
    "Integrals of Ai(t), Bi(t), Ai(-t) and Bi(-t) from 0 to x (four outputs).\n\n"
    "Differentiable in x. (SciPy's values carry about six digits beyond |x| = 1, so its "
    "finite differences, and the sample points of `check`, stay within it.)",
    signature="()->(),(),(),()",
    derivatives={"x": _itairy_prime},
    examples=[(0.7,), (-0.8,), (0.3,)],
)
