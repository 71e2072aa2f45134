"""Dtype rules: JAX's promotion, x64 canonicalisation, and output dtypes of elementwise
functions (NumPy ufuncs decide real versus complex themselves)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


def canonical_dtype(dtype: Any) -> np.dtype:
    """The dtype JAX would use for `dtype` (64-bit types become 32-bit with x64 off)."""
    return np.dtype(jax.dtypes.canonicalize_dtype(np.dtype(dtype)))


def _complex_of(dtype: np.dtype) -> np.dtype:
    return canonical_dtype(jnp.promote_types(dtype, jnp.complex64))


def _real_of(dtype: np.dtype) -> np.dtype:
    if dtype.kind == "c":
        return canonical_dtype(np.finfo(dtype).dtype)
    return dtype


def promoted_dtype(args: Sequence[Any]) -> np.dtype:
    """`jnp.result_type` of the arguments, promoted to at least a floating type."""
    if not args:
        return canonical_dtype(jnp.result_type(float))
    return canonical_dtype(jnp.result_type(float, *args))


def resolve_kind(dtype_override: Any, base: np.dtype) -> np.dtype:
    if isinstance(dtype_override, str) and dtype_override in ("float", "complex"):
        return _complex_of(base) if dtype_override == "complex" else _real_of(base)
    return canonical_dtype(dtype_override)


def elementwise_dtypes(
    fn: np.ufunc | None, args: Sequence[Any], nout: int, dtype_override: Any
) -> list[np.dtype]:
    """Output dtypes of an elementwise function of `args` (JAX arrays or tracers).

    For NumPy ufuncs, `ufunc.resolve_dtypes` decides the kind of each output (real,
    complex, integer, boolean); the precision follows JAX's promotion of the arguments.
    """
    base = promoted_dtype(args)
    if dtype_override is not None:
        return [resolve_kind(dtype_override, base)] * nout
    if isinstance(fn, np.ufunc):
        try:
            in_dtypes = tuple(np.dtype(a.dtype) for a in args)
            resolved = fn.resolve_dtypes((*in_dtypes, *([None] * fn.nout)))
        except (TypeError, ValueError, AttributeError):
            resolved = None
        if resolved is not None:
            out = []
            for dt in resolved[fn.nin :]:
                dt = np.dtype(dt)
                if dt.kind == "c":
                    out.append(_complex_of(base))
                elif dt.kind == "f":
                    out.append(_real_of(base))
                elif dt.kind in "biu":
                    out.append(canonical_dtype(dt))
                else:
                    out.append(base)
            return out
    return [base] * nout
