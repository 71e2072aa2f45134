"""The callback paths: the one place that calls JAX's callback APIs.

On CPU, `jax.experimental.buffer_callback` hands the host function the input buffers as
NumPy views and lets it write straight into the output buffers: no copy on the way in,
and none on the way out for NumPy ufuncs (they take `out=`). Everywhere else (GPU/TPU
backends, or JAX releases without it) `jax.pure_callback` is used. Both keep JAX's
dead-code elimination and common-subexpression elimination, since neither is marked as
having side effects. Host results are checked against the declared outputs here, and
host exceptions are remembered (type and message only) so that eager calls re-raise them.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
from collections.abc import Callable, Sequence
from typing import Any, Literal

import jax
import numpy as np

from . import _config, _kernels, _threads
from ._errors import HostCallError

VmapMethod = Literal[
    "sequential", "sequential_unrolled", "expand_dims", "broadcast_all", "legacy_vectorized"
]
VMAP_METHODS: tuple[VmapMethod, ...] = (
    "sequential",
    "sequential_unrolled",
    "expand_dims",
    "broadcast_all",
    "legacy_vectorized",
)

# Set on every Python callback this module hands to JAX: the host function's name, so that
# `autocallback.export` can say which function keeps a program from being serialized.
HOST_NAME_ATTRIBUTE = "_autocallback_host_function"

try:  # JAX >= 0.7
    from jax.experimental.buffer_callback import buffer_callback as _buffer_callback
except ImportError:  # pragma: no cover - depends on the installed JAX
    _buffer_callback = None

_MODES = _config.CALLBACK_MODES
_mode = _config.callback_mode_setting()
# Exceptions raised on the host, most recent last. XLA reports a failed callback as a
# `JaxRuntimeError` carrying the text; an eager call looks the original up here and
# re-raises it, so the caller gets the host's exception type and message.
# Only the type and arguments are kept: the exception object itself carries a traceback
# whose frames hold the callback's buffers, which must not outlive the call.
_recent_errors: collections.deque[tuple[type[BaseException], tuple[Any, ...], str]] = (
    collections.deque(maxlen=32)
)
_errors_lock = threading.Lock()


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


@dataclasses.dataclass(frozen=True)
class HostCall:
    """One host call, as it travels down the layers (batching, sharding, the callback).

    Built once per trace by the output strategy (or the fused derivative evaluator) from
    choices made at decoration time; a layer that changes the outputs (a batch dimension
    under `vmap`, the local shape of a shard) passes on `dataclasses.replace(call,
    avals=...)`. As JAX's own `_FlatCallback` does for `pure_callback`.

    Attributes:
        host: called with one `numpy.ndarray` per argument; returns one array per element
            of `avals`, which is checked and converted to the declared dtype.
        avals: the declared outputs.
        name: the function's name, for messages.
        vmap_method: as for `jax.pure_callback`.
        ufunc: when set, a NumPy ufunc equivalent to `host` whose outputs can be written
            straight into the output buffers (`ufunc(*args, out=...)`).
        kernel: when set, a native kernel equivalent to `host` (SciPy's compiled kernel),
            used on CPU; the Python host call remains the path of other platforms.
    """

    host: Callable[..., Sequence[Any]]
    avals: tuple[jax.ShapeDtypeStruct, ...]
    name: str
    vmap_method: VmapMethod = "expand_dims"
    ufunc: np.ufunc | None = None
    kernel: _kernels.Kernel | None = None

    def with_avals(self, avals: Sequence[jax.ShapeDtypeStruct]) -> HostCall:
        """The same call with other declared outputs (batched, or one shard's)."""
        return dataclasses.replace(self, avals=tuple(avals))


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


def _on_several_devices(args: Sequence[Any]) -> bool:
    for a in args:
        mesh = getattr(getattr(jax.typeof(a), "sharding", None), "mesh", None)
        if mesh is not None and getattr(mesh, "size", 1) > 1 and mesh.axis_names:
            return True
    return False


def call_host(
    call: HostCall, args: Sequence[jax.Array], *, force: str | None = None
) -> list[jax.Array]:
    """Make the host call `call` from traced JAX code.

    Args:
        call: the host function, its declared outputs and how it batches.
        args: JAX arrays (already brought to a common rank by the caller where the
            `vmap_method` needs it).
        force: "pure" to use `jax.pure_callback` whatever the mode.
    """
    # Plain shapes and dtypes (declared outputs may carry a sharding).
    call = call.with_avals([jax.ShapeDtypeStruct(tuple(a.shape), a.dtype) for a in call.avals])
    varying = frozenset().union(*(_varying(a) for a in args)) if args else frozenset()
    mode = force or callback_mode()
    if mode == "buffer" and not varying and _on_several_devices(args):
        # On several devices outside shard_map, a buffer callback would run on every
        # device; a pure callback runs once.
        mode = "pure"
    several = not varying and _on_several_devices(args)
    if call.kernel is not None and force is None and not several:
        # Chosen per platform at lowering: the kernel on CPU, the Python call elsewhere.
        outs = _kernels.apply(call.kernel, args, call.avals, lambda *a: _pure_call(call, a))
    else:
        outs = _buffer_call(call, args) if mode == "buffer" else _pure_call(call, args)
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


def _buffer_call(call: HostCall, args: Sequence[jax.Array]) -> list[jax.Array]:
    assert _buffer_callback is not None
    host, avals, name, ufunc = call.host, call.avals, call.name, call.ufunc

    def buffer_host(ctx: Any, outs: Any, *bufs: Any) -> None:
        del ctx
        arrays = [np.asarray(b) for b in bufs]
        out_arrays = [np.asarray(o) for o in outs]
        if ufunc is not None and not any(o.size == 0 for o in out_arrays):
            try:
                _threads.ufunc_into(ufunc, arrays, out_arrays)
                return
            except (TypeError, ValueError):
                pass  # fall through: the generic path gives the precise error
        try:
            _check_and_store(name, _run(name, host, arrays), avals, out_arrays)
        except HostCallError as e:
            _remember(e)
            raise

    setattr(buffer_host, HOST_NAME_ATTRIBUTE, name)
    fn = _buffer_callback(buffer_host, list(avals), vmap_method=call.vmap_method)
    return list(fn(*args))


def _pure_call(call: HostCall, args: Sequence[jax.Array]) -> list[jax.Array]:
    host, avals, name = call.host, call.avals, call.name

    def pure_host(*arrays: Any) -> list[np.ndarray]:
        inputs = [np.asarray(a) for a in arrays]
        try:
            return _check_and_store(name, _run(name, host, inputs), avals, None)
        except HostCallError as e:
            _remember(e)
            raise

    setattr(pure_host, HOST_NAME_ATTRIBUTE, name)
    return list(jax.pure_callback(pure_host, list(avals), *args, vmap_method=call.vmap_method))
