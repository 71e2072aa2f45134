"""Elementwise host calls on several devices: one host call per shard, never gathered.

On a mesh with explicit axes, the output takes the sharding of the arguments and each
device calls the host on its own shard (`jax.shard_map`). On a mesh with automatic axes
the arguments' sharding is not known while tracing (XLA decides it later), so the mesh
axes are laid over the dimensions in order, each axis on the next dimension it divides:
an array sharded `P("a", "b")` on a mesh with axes `("a", "b")` keeps that sharding, and a
1-D array takes `P(("a", "b"))`. Either way the host work is neither gathered onto one
device nor repeated on each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax

from ._host_call import HostCall, call_host


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


def _auto_spec(mesh: Any, shape: Sequence[int]) -> list[Any] | None:
    """Mesh axes laid over the dimensions in order: each axis (of size > 1) on the next
    dimension whose size it divides, or, when no later dimension is left, stacked onto
    the last one that took an axis. None when some axis fits nowhere."""
    entries: list[list[str]] = [[] for _ in shape]
    left = [int(n) for n in shape]
    nxt = 0
    for axis in mesh.axis_names:
        size = mesh.shape[axis]
        if size == 1:
            continue
        later = [d for d in range(nxt, len(shape)) if left[d] > 0 and left[d] % size == 0]
        earlier = [d for d in range(nxt - 1, -1, -1) if entries[d] and left[d] % size == 0]
        if later:
            d = later[0]
            nxt = d + 1
        elif earlier:
            d = earlier[0]
        else:
            return None
        entries[d].append(axis)
        left[d] //= size
    return [None if not e else e[0] if len(e) == 1 else tuple(e) for e in entries]


def call_elementwise(call: HostCall, args: Sequence[jax.Array]) -> list[jax.Array]:
    """`call_host` for elementwise functions (arguments of equal rank that broadcast),
    evaluated per shard on several devices.

    On a mesh with explicit axes, the output takes the sharding of the arguments and each
    device calls the host on its own shard (`jax.shard_map`). On a mesh with automatic
    axes, the mesh axes are laid over the dimensions in order (`_auto_spec`), so that the
    usual layout (`P("a", "b")` for a 2-D array) is kept without resharding.
    """
    info = _mesh_info(args)
    if info is None or not call.avals:
        return call_host(call, args)
    mesh, kind = info
    out_shape = tuple(call.avals[0].shape)
    out_spec = _out_spec(mesh, kind, args, out_shape)
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
            return call_host(call, args, force="pure")
    return _per_shard(call, args, mesh, kind, out_spec, target)


def _out_spec(
    mesh: Any, kind: str, args: Sequence[jax.Array], out_shape: tuple[int, ...]
) -> list[Any]:
    """The output's partition spec: the arguments' (explicit axes) or `_auto_spec`'s."""
    ndim = len(out_shape)
    out_spec: list[Any] = [None] * ndim
    if kind == "explicit":
        for a in args:
            for d, entry in enumerate(_spec_entries(a, ndim)):
                if out_spec[d] is None and entry is not None and a.shape[d] == out_shape[d]:
                    out_spec[d] = entry
        return out_spec
    return _auto_spec(mesh, out_shape) or out_spec


def _per_shard(
    call: HostCall,
    args: Sequence[jax.Array],
    mesh: Any,
    kind: str,
    out_spec: list[Any],
    target: list[Any],
) -> list[jax.Array]:
    """One host call per shard of `out_spec` (`shard_map`), resharded to `target`."""
    from jax.sharding import NamedSharding, PartitionSpec

    out_shape = tuple(call.avals[0].shape)
    ndim = len(out_shape)
    in_specs = [
        PartitionSpec(*[out_spec[d] if a.shape[d] == out_shape[d] else None for d in range(ndim)])
        for a in args
    ]
    local = call.with_avals(
        [
            jax.ShapeDtypeStruct(
                tuple(s // _axes_size(mesh, out_spec[d]) for d, s in enumerate(v.shape)), v.dtype
            )
            for v in call.avals
        ]
    )
    if kind == "explicit":
        args = [
            a
            if _spec_entries(a, ndim) == list(spec)
            else jax.sharding.reshard(a, NamedSharding(mesh, spec))
            for a, spec in zip(args, in_specs, strict=True)
        ]

    def body(*shards: jax.Array) -> list[jax.Array]:
        return call_host(local, shards)

    out = jax.shard_map(
        body,
        mesh=mesh,
        in_specs=tuple(in_specs),
        out_specs=[PartitionSpec(*out_spec)] * len(call.avals),
    )(*args)
    if kind == "explicit" and target != out_spec:
        out = [jax.sharding.reshard(o, NamedSharding(mesh, PartitionSpec(*target))) for o in out]
    return list(out)
