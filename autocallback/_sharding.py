"""Elementwise host calls on several devices: one host call per shard, never gathered.

On a mesh with explicit axes, the output takes the sharding of the arguments and each
device calls the host on its own shard (`jax.shard_map`). On a mesh with automatic axes,
the arguments keep their sharded dimensions; a replicated argument is split along the
first dimension that divides evenly over all devices, so the host work is neither
gathered onto one device nor repeated on each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np

from ._host_call import call_host

__all__ = ["call_elementwise"]


def _mesh_info(args: Sequence[Any]) -> tuple[Any, str] | None:
    """The mesh the arguments live on, and its kind ("explicit" or "auto"), when it has
    more than one device and we are not already inside `shard_map`."""
    for a in args:
        sharding = getattr(jax.typeof(a), "sharding", None)
        mesh = getattr(sharding, "mesh", None)
        if mesh is None or getattr(mesh, "size", 1) <= 1 or not mesh.axis_names:
            continue
        types = {str(t).rsplit(".", 1)[-1] for t in mesh.axis_types}
        if "Manual" in types:
            return None
        return mesh, ("explicit" if types == {"Explicit"} else "auto")
    return None


def _spec_entries(x: Any, ndim: int) -> list[Any]:
    spec = getattr(getattr(jax.typeof(x), "sharding", None), "spec", None)
    entries = list(spec) if spec is not None else []
    return (entries + [None] * ndim)[:ndim]


def _axes_size(mesh: Any, entry: Any) -> int:
    if entry is None:
        return 1
    names = entry if isinstance(entry, tuple) else (entry,)
    size = 1
    for n in names:
        size *= mesh.shape[n]
    return size


def call_elementwise(
    host: Callable[..., Sequence[Any]],
    args: Sequence[jax.Array],
    avals: Sequence[jax.ShapeDtypeStruct],
    *,
    name: str,
    vmap_method: str,
    ufunc: np.ufunc | None = None,
) -> list[jax.Array]:
    """`call_host` for elementwise functions (arguments of equal rank that broadcast),
    evaluated per shard on several devices.

    On a mesh with explicit axes, the output takes the sharding of the arguments and each
    device calls the host on its own shard (`jax.shard_map`). On a mesh with automatic
    axes, the arguments are split along the first dimension that divides evenly over all
    devices, so the host work is neither gathered onto one device nor repeated on each.
    """
    info = _mesh_info(args)
    if info is None or not avals:
        return call_host(host, args, avals, name=name, vmap_method=vmap_method, ufunc=ufunc)
    mesh, kind = info
    from jax.sharding import NamedSharding, PartitionSpec

    out_shape = tuple(avals[0].shape)
    ndim = len(out_shape)
    out_spec: list[Any] = [None] * ndim
    if kind == "explicit":
        for a in args:
            for d, entry in enumerate(_spec_entries(a, ndim)):
                if out_spec[d] is None and entry is not None and a.shape[d] == out_shape[d]:
                    out_spec[d] = entry
    target = list(out_spec)
    if all(e is None for e in out_spec):
        # Replicated (or automatic) layout: split the first evenly divisible dimension
        # over every device, so the host work is done once, in parallel.
        axes: tuple[Any, ...] = tuple(mesh.axis_names)
        for d, size in enumerate(out_shape):
            if size % mesh.size == 0 and size > 0:
                out_spec[d] = axes[0] if len(axes) == 1 else axes
                break
        else:
            # Nothing divides: one host call on one device, never one per device.
            return call_host(
                host, args, avals, name=name, vmap_method=vmap_method, ufunc=ufunc, force="pure"
            )
    in_specs = []
    for a in args:
        in_specs.append(
            PartitionSpec(
                *[out_spec[d] if a.shape[d] == out_shape[d] else None for d in range(ndim)]
            )
        )
    local = [
        jax.ShapeDtypeStruct(
            tuple(s // _axes_size(mesh, out_spec[d]) for d, s in enumerate(v.shape)), v.dtype
        )
        for v in avals
    ]
    if kind == "explicit":
        args = [
            a
            if _spec_entries(a, ndim) == list(spec)
            else jax.sharding.reshard(a, NamedSharding(mesh, spec))
            for a, spec in zip(args, in_specs, strict=True)
        ]

    def body(*shards: jax.Array) -> list[jax.Array]:
        return call_host(host, shards, local, name=name, vmap_method=vmap_method, ufunc=ufunc)

    out = jax.shard_map(
        body, mesh=mesh, in_specs=tuple(in_specs), out_specs=[PartitionSpec(*out_spec)] * len(avals)
    )(*args)
    if kind == "explicit" and target != out_spec:
        out = [jax.sharding.reshard(o, NamedSharding(mesh, PartitionSpec(*target))) for o in out]
    return list(out)
