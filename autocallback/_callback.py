"""The one place that calls JAX's callback APIs.

On CPU, `jax.experimental.buffer_callback` hands the host function the input buffers as
NumPy views and lets it write straight into the output buffers: no copy on the way in,
and none on the way out for NumPy ufuncs (they take `out=`). Everywhere else (GPU/TPU
backends, or JAX releases without it) `jax.pure_callback` is used. Both keep JAX's
dead-code elimination and common-subexpression elimination, since neither is marked as
having side effects.
"""

from __future__ import annotations

import collections
import math
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import jax
import numpy as np

__all__ = ["HostCallError", "call_elementwise", "call_host", "callback_mode", "set_callback_mode"]

try:  # JAX >= 0.7
    from jax.experimental.buffer_callback import buffer_callback as _buffer_callback
except ImportError:  # pragma: no cover - depends on the installed JAX
    _buffer_callback = None

_MODES = ("auto", "buffer", "pure")
_mode = os.environ.get("AUTOCALLBACK_CALLBACK", "auto")
# Exceptions raised on the host, most recent last. XLA reports a failed callback as a
# `JaxRuntimeError` carrying the text; an eager call looks the original up here and
# re-raises it, so the caller gets the host's exception type and message.
# Only the type and arguments are kept: the exception object itself carries a traceback
# whose frames hold the callback's buffers, which must not outlive the call.
_recent_errors: collections.deque[tuple[type[BaseException], tuple[Any, ...], str]] = (
    collections.deque(maxlen=32)
)
_errors_lock = threading.Lock()


class HostCallError(RuntimeError):
    """The host function raised, or returned something other than what was declared."""


def set_callback_mode(mode: str) -> None:
    """Choose the callback path: "auto" (buffer_callback on CPU, else pure_callback),
    "buffer" or "pure". Takes effect for functions traced afterwards."""
    global _mode
    if mode not in _MODES:
        raise ValueError(f"callback mode must be one of {_MODES}, got {mode!r}.")
    _mode = mode


def callback_mode() -> str:
    """The path the next traced call will use: "buffer" or "pure"."""
    mode = _mode
    if mode == "pure" or _buffer_callback is None:
        return "pure"
    if mode == "buffer":
        return "buffer"
    # Device buffers of GPU/TPU backends cannot be handed to NumPy: only CPU takes the
    # zero-copy path.
    return "buffer" if jax.default_backend() == "cpu" else "pure"


def _check_and_store(
    name: str,
    results: Sequence[Any],
    avals: Sequence[jax.ShapeDtypeStruct],
    outs: Sequence[np.ndarray] | None,
) -> list[np.ndarray]:
    if len(results) != len(avals):
        raise HostCallError(
            f"`{name}` returned {len(results)} output(s) on the host; expected {len(avals)}."
        )
    stored = []
    for i, (res, aval) in enumerate(zip(results, avals, strict=True)):
        arr = np.asarray(res)
        # Under vmap the declared shapes gain batch dimensions: the output buffers carry
        # the true shapes; without them (pure_callback), trailing dimensions are checked
        # here and JAX checks the rest.
        expected = tuple(outs[i].shape) if outs is not None else tuple(aval.shape)
        shape_ok = arr.shape == expected or (
            outs is None
            and arr.ndim > len(expected)
            and arr.shape[arr.ndim - len(expected) :] == expected
        )
        if not shape_ok:
            which = f" #{i}" if len(avals) > 1 else ""
            raise HostCallError(
                f"`{name}` returned output{which} of shape {arr.shape} on the host; the declared "
                f"shape is {expected} (dtype {np.dtype(aval.dtype).name}). Fix the host "
                f"function or the declared output (`out=`/`signature=`)."
            )
        dtype = np.dtype(aval.dtype)
        if arr.dtype.kind == "c" and dtype.kind != "c":
            imag = np.imag(arr)
            if np.any(imag != 0) and not np.all(np.isnan(imag[imag != 0])):
                raise HostCallError(
                    f"`{name}` returned complex values on the host, but its output{'' if len(avals) == 1 else f' #{i}'} "
                    f"is declared {dtype.name}; dropping the imaginary part would lose data. "
                    f'Pass `dtype="complex"` (or a complex `out=`).'
                )
            arr = np.real(arr)
        elif not np.can_cast(arr.dtype, dtype, casting="same_kind"):
            raise HostCallError(
                f"`{name}` returned dtype {arr.dtype.name} on the host, which cannot be "
                f"converted to the declared {dtype.name} without losing its kind. Fix the "
                f"declared dtype (`dtype=`/`out=`)."
            )
        if outs is None:
            stored.append(np.asarray(arr, dtype=dtype))
        else:
            np.copyto(outs[i], arr, casting="unsafe")
    return stored


# Large ufunc calls are split over threads: NumPy/SciPy ufunc loops release the GIL, so
# the blocks run in parallel (measured on 2 cores at 1e6 elements: jv 1.6x, kv 2.0x,
# erf 1.9x faster). AUTOCALLBACK_THREADS=1 turns it off.
_THREADS = max(1, int(os.environ.get("AUTOCALLBACK_THREADS", "0")) or min(os.cpu_count() or 1, 8))
_MIN_BLOCK = 1 << 14  # elements per thread: below that, thread hand-offs cost more than they save
_pool: Any = None
_pool_lock = threading.Lock()


def _thread_pool() -> Any:
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                from concurrent.futures import ThreadPoolExecutor

                _pool = ThreadPoolExecutor(max(1, _THREADS - 1), thread_name_prefix="autocallback")
    return _pool


def _row_edges(shape: tuple[int, ...]) -> list[int] | None:
    """Block edges along the first axis for an output of `shape`, or None when it is too
    small to be worth splitting."""
    if _THREADS < 2 or not shape:
        return None
    rows = shape[0]
    blocks = min(_THREADS, math.prod(shape) // _MIN_BLOCK, rows)
    if blocks < 2:
        return None
    return [rows * i // blocks for i in range(blocks + 1)]


def worth_splitting(shape: tuple[int, ...]) -> bool:
    """Whether an elementwise evaluation of this output shape is split over threads."""
    return _row_edges(shape) is not None


def _in_blocks(compute: Callable[[int, slice], Any], edges: list[int]) -> list[Any]:
    """`compute(i, rows)` for each block, the first on this thread, the others on the pool."""
    pool = _thread_pool()
    slices = [slice(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
    futures = [pool.submit(compute, i, rows) for i, rows in enumerate(slices) if i > 0]
    results = [None] * len(slices)
    try:
        results[0] = compute(0, slices[0])
    finally:
        for i, f in enumerate(futures, start=1):
            results[i] = f.result()
    return results


def _block(a: np.ndarray, rows: slice, n_rows: int) -> np.ndarray:
    # Arrays have the output's rank; a leading dimension of size 1 broadcasts, whole.
    return a[rows] if a.ndim and a.shape[0] == n_rows else a


def _ufunc_into(ufunc: np.ufunc, arrays: Sequence[np.ndarray], outs: Sequence[np.ndarray]) -> None:
    """`ufunc(*arrays, out=outs)`, in blocks along the first axis on several threads when
    the output is large. The arrays have the output's rank (size-1 dimensions broadcast)."""
    edges = _row_edges(outs[0].shape)
    if edges is None:
        ufunc(*arrays, out=tuple(outs))
        return
    n_rows = outs[0].shape[0]

    def block(i: int, rows: slice) -> None:
        ufunc(*[_block(a, rows, n_rows) for a in arrays], out=tuple(o[rows] for o in outs))

    _in_blocks(block, edges)


def map_row_blocks(
    compute: Callable[..., list[np.ndarray]], arrays: Sequence[np.ndarray], shape: tuple[int, ...]
) -> list[np.ndarray]:
    """`compute(*arrays)` (elementwise, thread-safe, returning arrays of `shape`), in blocks
    along the first axis on several threads when `shape` is large."""
    edges = _row_edges(shape)
    if edges is None:
        return compute(*arrays)
    n_rows = shape[0]
    parts = _in_blocks(lambda i, rows: compute(*[_block(a, rows, n_rows) for a in arrays]), edges)
    return [np.concatenate([p[k] for p in parts], axis=0) for k in range(len(parts[0]))]


def _remember(e: BaseException) -> None:
    with _errors_lock:
        _recent_errors.append((type(e), tuple(e.args), str(e)))


def original_error(error: BaseException) -> BaseException | None:
    """The host exception behind a `JaxRuntimeError`, if it was raised by one of ours: a
    new exception of the same type and message."""
    text = str(error)
    with _errors_lock:
        found = next((r for r in reversed(_recent_errors) if r[2] and r[2] in text), None)
    if found is None:
        return None
    cls, args, message = found
    try:
        rebuilt = cls(*args)
        if str(rebuilt) == message:
            return rebuilt
    except Exception:
        pass
    return HostCallError(message)


def _run(name: str, host: Callable[..., Sequence[Any]], args: Sequence[Any]) -> Sequence[Any]:
    try:
        results = host(*args)
    except HostCallError as e:
        _remember(e)
        raise
    except Exception as e:
        message = f"`{name}` raised {type(e).__name__} on the host: {e}"
        if len(e.args) <= 1 and all(isinstance(a, str) for a in e.args):
            e.args = (message,)  # keep the host's exception type, name the function
            _remember(e)
            raise
        err = HostCallError(message)
        _remember(err)
        raise err from e
    return results


def _varying(x: Any) -> frozenset[Any]:
    """Manual mesh axes over which `x` varies (inside `shard_map`)."""
    aval = jax.typeof(x)
    vma = getattr(aval, "vma", None)
    if vma is None:
        mat = getattr(aval, "manual_axis_type", None)
        vma = getattr(mat, "varying", None)
    return frozenset(vma or ())


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


def call_host(
    host: Callable[..., Sequence[Any]],
    args: Sequence[jax.Array],
    avals: Sequence[jax.ShapeDtypeStruct],
    *,
    name: str,
    vmap_method: str,
    ufunc: np.ufunc | None = None,
    force: str | None = None,
) -> list[jax.Array]:
    """Call `host(*numpy_args) -> sequence of arrays` from traced JAX code.

    Args:
        host: called with one `numpy.ndarray` per element of `args`; returns one array per
            element of `avals`, which is checked and converted to the declared dtype.
        args: JAX arrays (already brought to a common rank by the caller where the
            `vmap_method` needs it).
        avals: the declared outputs.
        name: the function's name, for messages.
        vmap_method: as for `jax.pure_callback`.
        ufunc: when set, a NumPy ufunc equivalent to `host` whose outputs can be written
            straight into the output buffers (`ufunc(*args, out=...)`).
        force: "pure" to use `jax.pure_callback` whatever the mode.
    """
    avals = [jax.ShapeDtypeStruct(tuple(a.shape), a.dtype) for a in avals]
    varying = frozenset().union(*(_varying(a) for a in args)) if args else frozenset()
    mode = force or callback_mode()
    if mode == "buffer" and not varying and _mesh_info(args) is not None:
        # On several devices outside shard_map, a buffer callback would run on every
        # device; a pure callback runs once.
        mode = "pure"
    outs = _call(host, args, avals, name=name, vmap_method=vmap_method, ufunc=ufunc, mode=mode)
    if varying:
        # Inside shard_map the outputs vary like the inputs: say so, or JAX rejects them
        # under differentiation ("Expected float32[2] ... but got float32[2]{V:x}").
        outs = [
            o
            if _varying(o) == varying
            else jax.lax.pcast(o, tuple(sorted(varying - _varying(o))), to="varying")
            for o in outs
        ]
    return outs


def _call(
    host: Callable[..., Sequence[Any]],
    args: Sequence[jax.Array],
    avals: Sequence[jax.ShapeDtypeStruct],
    *,
    name: str,
    vmap_method: str,
    ufunc: np.ufunc | None,
    mode: str,
) -> list[jax.Array]:
    if mode == "buffer":
        assert _buffer_callback is not None

        def buffer_host(ctx: Any, outs: Any, *bufs: Any) -> None:
            del ctx
            arrays = [np.asarray(b) for b in bufs]
            out_arrays = [np.asarray(o) for o in outs]
            if ufunc is not None and not any(o.size == 0 for o in out_arrays):
                try:
                    _ufunc_into(ufunc, arrays, out_arrays)
                    return
                except (TypeError, ValueError):
                    pass  # fall through: the generic path gives the precise error
            try:
                _check_and_store(name, _run(name, host, arrays), avals, out_arrays)
            except HostCallError as e:
                _remember(e)
                raise

        fn = _buffer_callback(buffer_host, avals, vmap_method=vmap_method)
        return list(fn(*args))

    def pure_host(*arrays: Any) -> list[np.ndarray]:
        inputs = [np.asarray(a) for a in arrays]
        try:
            return _check_and_store(name, _run(name, host, inputs), avals, None)
        except HostCallError as e:
            _remember(e)
            raise

    return list(jax.pure_callback(pure_host, avals, *args, vmap_method=vmap_method))
