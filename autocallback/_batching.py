"""Batching: rank alignment, and the elementwise `custom_vmap` rule that makes one host
call per batched call (seeing the batched arrays themselves, so sharding is kept)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._host_call import HostCall
from ._sharding import call_elementwise


def align(args: Sequence[jax.Array], ranks: Sequence[int]) -> list[jax.Array]:
    """Prepend unit dimensions so each argument has the given rank (`expand_dims`
    semantics). Without this, vmap could line an unbatched operand of shape (L,) up with
    a batch of size L."""
    return [
        a if a.ndim == r else jnp.reshape(a, (1,) * (r - a.ndim) + tuple(a.shape))
        for a, r in zip(args, ranks, strict=True)
    ]


def _x64_as_traced(avals: Sequence[Any]) -> Any:
    """JAX's x64 mode for a rule that JAX applies later, outside the trace that made its
    call, when that call has 64-bit values while x64 is off (numerical differences of
    native functions run in float64 within 32-bit programs)."""
    if jax.config.read("jax_enable_x64") or all(
        np.dtype(a.dtype).itemsize < 8 or np.dtype(a.dtype) == np.complex64 for a in avals
    ):
        return contextlib.nullcontext()
    return jax.enable_x64(True)


def elementwise_call(call: HostCall, args: Sequence[jax.Array]) -> list[jax.Array]:
    """Make an elementwise host call on broadcastable arguments, one host call per
    batched call under vmap."""
    avals, vmap_method = call.avals, call.vmap_method
    if all(int(np.prod(a.shape)) == 0 for a in avals):
        return [jnp.zeros(a.shape, a.dtype) for a in avals]
    rank = max((a.ndim for a in args), default=0)
    args = align(args, [rank] * len(args))
    if vmap_method not in ("expand_dims", "broadcast_all") or not args:
        return call_elementwise(call, args)

    # Batching is ours: under vmap the rule below calls the host once on the whole
    # batch, and sees the batched arrays themselves, so their sharding is kept and each
    # device evaluates its own shard (a callback's own batching rule loses it).
    @jax.custom_batching.custom_vmap
    def batchable(*a: jax.Array) -> list[jax.Array]:
        return call_elementwise(call, a)

    @batchable.def_vmap
    def _batched(
        axis_size: int, in_batched: Sequence[bool], *a: jax.Array
    ) -> tuple[list[jax.Array], list[bool]]:
        with _x64_as_traced([*avals, *a]):
            if vmap_method == "broadcast_all":
                full = [
                    x if b else jnp.broadcast_to(x, (axis_size, *x.shape))
                    for x, b in zip(a, in_batched, strict=True)
                ]
            else:
                full = [x if b else x[None] for x, b in zip(a, in_batched, strict=True)]
            batched = call.with_avals(
                [jax.ShapeDtypeStruct((axis_size, *v.shape), v.dtype) for v in avals]
            )
            out = elementwise_call(batched, full)
            return out, [True] * len(out)

    return list(batchable(*args))
