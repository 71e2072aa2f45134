"""Native kernels: SciPy's compiled special-function kernels inside XLA programs (CPU).

`scipy.special.cython_special` exports a compiled scalar kernel for almost every
`scipy.special` ufunc, as capsules named by their C signature. The small C++ library
built with autocallback (`_kernels.cc`) applies such a kernel elementwise in one XLA FFI
handler, `autocallback_apply`; this module finds the kernel a ufunc would use for given
input dtypes (matching capsules by signature text, never by their `__pyx_fuse_N` index,
which changes between SciPy releases), keeps the process's name -> address registry, and
makes the `ffi_call`. Where SciPy exports no kernel that fits (its private ufuncs, such as
the noncentral densities; float32 loops that compute in single precision), the kernel is
the ufunc's own compiled inner loop, read from the ufunc object. Programs hold kernel
names ("kv:rdd>d", "_ncx2_pdf:uddd>d"), never addresses, so they are the same in every
process.

The library is loaded and the registry filled when autocallback is imported (a few
milliseconds), so that programs naming its kernels run in any process that imported it.
If the library cannot be loaded, one warning says why and every function uses the Python host call; so does
`AUTOCALLBACK_NATIVE=0`. The native call is chosen per platform when the program is
lowered: other backends get the Python host call.
"""

from __future__ import annotations

import ctypes
import dataclasses
import re
import sysconfig
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _config

TARGET = "autocallback_apply"
LIBRARY_NAME = "libautocallback_kernels.so"

# C types in capsule signatures -> the library's type codes.
_C_TYPES = {
    "double": "d",
    "float": "f",
    "__pyx_t_double_complex": "D",
    "long": "l",
    "Py_ssize_t": "l" if ctypes.sizeof(ctypes.c_ssize_t) == ctypes.sizeof(ctypes.c_long) else "",
}
_SKIP = "int __pyx_skip_dispatch"
# Buffer element types the handler reads (others are converted first or not native).
_INPUT_DTYPES = frozenset(["f4", "f8", "c8", "c16", "i4", "i8"])
_OUTPUT_DTYPES = frozenset(["f4", "f8", "c8", "c16"])


@dataclasses.dataclass(frozen=True)
class Kernel:
    """One compiled kernel: its name in programs, its signature code, and constant
    trailing arguments (a static argument of the host function, such as a tolerance)."""

    name: str
    code: str
    constants: tuple[float, ...] = ()

    @property
    def attribute(self) -> str:
        """The kernel as programs name it: "name", or "name|c1,c2" with the constants
        written exactly (programs hold names and numbers, never addresses)."""
        if not self.constants:
            return self.name
        return f"{self.name}|{','.join(repr(float(c)) for c in self.constants)}"


@dataclasses.dataclass(frozen=True)
class Source:
    """Where a host function's kernel comes from: the `cython_special` name, the ufunc
    whose loops decide the kernel for given dtypes, and whether the host computes in
    double precision whatever the input precision (`wide`)."""

    name: str
    ufunc: np.ufunc
    wide: bool = False
    #: dtypes the host casts arguments to before calling the ufunc (None: as given)
    casts: tuple[Any, ...] | None = None
    #: constant trailing arguments of the ufunc (Python floats, as the host passes them)
    constants: tuple[float, ...] = ()


def source_of(fn: Any) -> Source | None:
    """The kernel source of a NumPy ufunc (`scipy.special.kv`), else None."""
    if isinstance(fn, np.ufunc):
        return Source(fn.__name__, fn)
    return None


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ready = False
        self.library: Any = None
        self.kernels: dict[str, list[Kernel]] = {}  # scalar kernels by function name
        self.loops: dict[str, list[Kernel]] = {}  # ufunc inner loops by ufunc name
        self.reason = ""
        self.enabled = True  # set_enabled: functions traced afterwards


_state = _State()


def _signature_code(text: str) -> tuple[str, list[str], list[str]] | None:
    """(kind, argument codes, output codes) of a capsule's C signature, or None when the
    library has no loop for it."""
    match = re.fullmatch(r"\s*(.+?)\s*\((.*)\)\s*", text)
    if match is None:
        return None
    ret, params = match.group(1), [p.strip() for p in match.group(2).split(",")]
    kind = "r"
    if params and params[-1].endswith("*__pyx_optional_args"):
        params = params[:-1]
        kind = "o"
    if params and params[-1] == _SKIP:
        params = params[:-1]
    elif kind == "o":
        return None
    ins: list[str] = []
    outs: list[str] = []
    for p in params:
        if p.endswith("*"):
            outs.append(_C_TYPES.get(p[:-1].strip(), ""))
        elif outs:
            return None
        else:
            ins.append(_C_TYPES.get(p, ""))
    if ret == "void":
        if kind != "r" or not outs:
            return None
        kind = "p"
    else:
        if outs:
            return None
        outs = [_C_TYPES.get(ret, "")]
    if not all(ins) or not all(outs):
        return None
    return kind, ins, outs


def _capsules() -> list[tuple[str, str, Any]]:
    """(function name, signature text, capsule) of every kernel SciPy exports."""
    import scipy.special.cython_special as cs

    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype = ctypes.c_char_p
    get_name.argtypes = [ctypes.py_object]
    found = []
    for key, capsule in cs.__pyx_capi__.items():
        text = get_name(capsule)
        if text is None:
            continue
        found.append((re.sub(r"^__pyx_fuse_[\d_]*", "", key), text.decode(), capsule))
    return found


# NumPy's ufunc object, as far as the inner loops (numpy/ufuncobject.h, unchanged since
# NumPy 1.0); every field read is checked against the ufunc's own Python attributes.
class _UfuncObject(ctypes.Structure):
    _fields_ = [
        ("ob_refcnt", ctypes.c_ssize_t),
        ("ob_type", ctypes.c_void_p),
        ("nin", ctypes.c_int),
        ("nout", ctypes.c_int),
        ("nargs", ctypes.c_int),
        ("identity", ctypes.c_int),
        ("functions", ctypes.POINTER(ctypes.c_void_p)),
        ("data", ctypes.POINTER(ctypes.c_void_p)),
        ("ntypes", ctypes.c_int),
        ("reserved1", ctypes.c_int),
        ("name", ctypes.c_char_p),
        ("types", ctypes.POINTER(ctypes.c_byte)),
    ]


# Type characters of ufunc loops the library converts to and from.
_LOOP_CHARS = frozenset("dfDFliq")


def _ufunc_loops(ufunc: np.ufunc) -> list[tuple[str, int, int]]:
    """(code "u<argument types>><output types>", loop address, data address) of each inner
    loop of `ufunc` whose types the library converts; empty when the object's layout does
    not match its Python attributes (a NumPy this code does not know)."""
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        return []
    obj = _UfuncObject.from_address(id(ufunc))
    n = ufunc.nin + ufunc.nout
    if (
        (obj.nin, obj.nout, obj.nargs, obj.ntypes) != (ufunc.nin, ufunc.nout, n, ufunc.ntypes)
        or obj.name is None
        or obj.name.decode() != ufunc.__name__
        or not obj.functions
        or not obj.types
    ):
        return []
    loops = []
    for i, types in enumerate(ufunc.types):
        ins, outs = types.split("->")
        chars = ins + outs
        if [obj.types[i * n + k] for k in range(n)] != [np.dtype(c).num for c in chars]:
            return []
        fn = obj.functions[i]
        if fn and set(chars) <= _LOOP_CHARS:
            data = obj.data[i] if obj.data else None
            loops.append((f"u{ins}>{outs}", fn, data or 0))
    return loops


def _loop_ufuncs() -> list[np.ufunc]:
    """SciPy's special-function ufuncs, public and private (`_ncx2_pdf`, `_smirnovp`),
    whose inner loops may be registered."""
    import scipy.special
    import scipy.special._ufuncs as private

    found: dict[str, np.ufunc] = {}
    for module in (scipy.special, private):
        for u in vars(module).values():
            if isinstance(u, np.ufunc):
                found.setdefault(u.__name__, u)
    return [found[name] for name in sorted(found)]


def _library_path() -> Path:
    return Path(__file__).with_name(LIBRARY_NAME)


@dataclasses.dataclass(frozen=True)
class _Entry:
    """One registry entry: a kernel's name, its code, its address and (ufunc loops) its
    data pointer."""

    name: str
    code: str
    pointer: int
    data: int = 0


def _exported_kernels(supported: set[str]) -> tuple[dict[str, list[Kernel]], list[_Entry]]:
    """The scalar kernels `cython_special` exports whose signatures the library has, by
    function name, and their registry entries."""
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    kernels: dict[str, list[Kernel]] = {}
    entries: list[_Entry] = []
    for base, text, capsule in _capsules():
        parsed = _signature_code(text)
        if parsed is None:
            continue
        kind, ins, outs = parsed
        code = f"{kind}{''.join(ins)}>{''.join(outs)}"
        if code not in supported:
            continue
        name = f"{base}:{code}"
        if any(k.name == name for k in kernels.get(base, ())):
            continue
        pointer = get_pointer(capsule, text.encode())
        if not pointer:
            continue
        entries.append(_Entry(name, code, pointer))
        kernels.setdefault(base, []).append(Kernel(name, code))
    return kernels, entries


def _inner_loops(exported: set[str]) -> tuple[dict[str, list[Kernel]], list[_Entry]]:
    """Ufunc inner loops by ufunc name, and their registry entries: every loop of a ufunc
    without exported kernels, and the single-precision loops of the others (SciPy exports
    few float kernels; some of its float loops compute in single precision with kernels
    it does not export)."""
    loops: dict[str, list[Kernel]] = {}
    entries: list[_Entry] = []
    for ufunc in _loop_ufuncs():
        for code, pointer, data in _ufunc_loops(ufunc):
            if ufunc.__name__ in exported and not set(code) & {"f", "F"}:
                continue
            name = f"{ufunc.__name__}:{code}"
            entries.append(_Entry(name, code, pointer, data))
            loops.setdefault(ufunc.__name__, []).append(Kernel(name, code))
    return loops, entries


def _load() -> None:
    """Load the library, fill the registry and register the FFI target (once)."""
    path = _library_path()
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as e:
        _state.reason = (
            f"the native kernel library {path} could not be loaded ({e}); reinstall "
            f"autocallback with `python -m pip install -e .` (it needs a C++ compiler)"
        )
        return
    lib.autocallback_signatures.restype = ctypes.c_char_p
    lib.autocallback_register.restype = ctypes.c_int
    lib.autocallback_register.argtypes = [
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_char_p),
        ctypes.POINTER(ctypes.c_char_p),
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.POINTER(ctypes.c_void_p),
    ]
    lib.autocallback_set_threads.argtypes = [ctypes.c_int]
    supported = set(lib.autocallback_signatures().decode().split(","))
    kernels, exported = _exported_kernels(supported)
    loops, inner = _inner_loops(set(kernels))
    entries = exported + inner
    count = len(entries)
    added = lib.autocallback_register(
        count,
        (ctypes.c_char_p * count)(*(e.name.encode() for e in entries)),
        (ctypes.c_char_p * count)(*(e.code.encode() for e in entries)),
        (ctypes.c_void_p * count)(*(e.pointer for e in entries)),
        (ctypes.c_void_p * count)(*(e.data or None for e in entries)),
    )
    if added != count:
        _state.reason = f"the native kernel registry refused its kernels ({added} of {count})"
        return
    lib.autocallback_set_threads(_config.thread_count())
    jax.ffi.register_ffi_target(TARGET, jax.ffi.pycapsule(lib.autocallback_apply), platform="cpu")
    _state.library = lib
    _state.kernels = kernels
    _state.loops = loops


def set_enabled(enabled: bool) -> bool:
    """Use native kernels (True) or Python host calls (False) in functions traced from
    now on; returns the previous setting. For tests and comparisons: the environment
    variable AUTOCALLBACK_NATIVE=0 is the user's switch."""
    previous, _state.enabled = _state.enabled, bool(enabled)
    return previous


def available() -> bool:
    """Whether native kernels are used (the library is loaded and not switched off)."""
    if not _state.enabled:
        return False
    if not _state.ready:
        with _state.lock:
            if not _state.ready:
                if _config.native_setting():
                    _load()
                    if _state.library is None:
                        warnings.warn(
                            f"autocallback: native kernels are off: {_state.reason}. "
                            f"Functions use Python host calls.",
                            RuntimeWarning,
                            stacklevel=2,
                        )
                _state.ready = True
    return _state.library is not None


def _loop_codes(ufunc: np.ufunc, dtypes: Sequence[Any]) -> tuple[str, str] | None:
    """The argument and output type characters of the loop `ufunc` uses for `dtypes`."""
    try:
        loop = ufunc.resolve_dtypes((*dtypes, *([None] * ufunc.nout)))
    except (TypeError, ValueError, AttributeError):
        return None
    chars = []
    for dt in loop:
        dt = np.dtype(dt)
        if dt.kind == "f" and dt.itemsize in (4, 8):
            chars.append("f" if dt.itemsize == 4 else "d")
        elif dt.kind == "c" and dt.itemsize in (8, 16):
            chars.append("F" if dt.itemsize == 8 else "D")
        elif dt.kind in "iu" and dt.itemsize <= 8 and not (dt.kind == "u" and dt.itemsize == 8):
            chars.append("l")
        else:
            return None
    return "".join(chars[: ufunc.nin]), "".join(chars[ufunc.nin :])


def _wider(chars: str) -> str:
    return chars.replace("f", "d").replace("F", "D")


def find(source: Source | None, dtypes: Sequence[Any]) -> Kernel | None:
    """The kernel that `source.ufunc` itself uses for arguments of these dtypes: SciPy's
    float kernel for a float32 loop where it exports one, else its double kernel (SciPy's
    `f` loops compute in double and round), else the ufunc's own inner loop (private
    ufuncs without exported kernels; float loops that compute in single precision).
    None when there is none, or native kernels are off."""
    if source is None or not available():
        return None
    dts = [np.dtype(d) for d in dtypes]
    if any(d.str[1:] not in _INPUT_DTYPES and d.kind not in "bi" for d in dts):
        return None
    if source.casts is not None:
        dts = [d if c is None else np.dtype(c) for d, c in zip(dts, source.casts, strict=True)]
    if source.wide:
        dts = [
            np.dtype(np.complex128 if d.kind == "c" else np.float64) if d.kind in "fc" else d
            for d in dts
        ]
    # Constants are Python floats, as the host passes them: weak in NumPy's resolution.
    resolve: list[Any] = [*dts, *(float for _ in source.constants)]
    kernels = _state.kernels.get(source.name)
    found = _scalar_kernel(kernels, source, resolve) if kernels else None
    if found is None:
        loops = _state.loops.get(source.ufunc.__name__)
        found = _loop_kernel(loops, source.ufunc, resolve) if loops else None
    if found is not None and source.constants:
        found = dataclasses.replace(found, constants=source.constants)
    return found


def _scalar_kernel(kernels: list[Kernel], source: Source, dts: list[Any]) -> Kernel | None:
    """The exported scalar kernel for these dtypes (see `find`), or None."""
    codes = _loop_codes(source.ufunc, dts)
    if codes is None:
        return None
    ins, outs = codes
    for want_in, want_out in ((ins, outs), (_wider(ins), _wider(outs))):
        if "F" in want_in + want_out:
            continue
        for k in kernels:
            kin, kout = k.code[1:].split(">")
            if kin == want_in and kout == want_out:
                if want_in != ins and not source.wide and not _rounds_double(source.ufunc, ins):
                    return None
                return k
    return None


def _loop_kernel(kernels: list[Kernel], ufunc: np.ufunc, dtypes: Sequence[Any]) -> Kernel | None:
    """The registered inner loop that `ufunc` itself runs for arguments of these dtypes."""
    try:
        loop = ufunc.resolve_dtypes((*dtypes, *([None] * ufunc.nout)))
    except (TypeError, ValueError, AttributeError):
        return None
    chars = "".join(np.dtype(d).char for d in loop)
    code = f"u{chars[: ufunc.nin]}>{chars[ufunc.nin :]}"
    return next((k for k in kernels if k.code == code), None)


_PROBE_SIZE = 512
_probed: dict[tuple[str, str], bool] = {}


def _rounds_double(ufunc: np.ufunc, ins: str) -> bool:
    """Whether the ufunc's single-precision loop for argument types `ins` computes in
    double precision and rounds (what the native path does with a double kernel), tried
    once on a fixed sample. Some of SciPy's float32 loops compute in single precision
    with kernels that `cython_special` does not export (the Kelvin functions, ...):
    their float32 values stay on the Python path, so that values are always SciPy's."""
    key = (ufunc.__name__, ins)
    found = _probed.get(key)
    if found is not None:
        return found
    rng = np.random.default_rng(20261207)
    args = []
    for c in ins:
        x = np.concatenate(
            [
                rng.uniform(-10, 10, _PROBE_SIZE // 2),
                rng.uniform(0, 1, _PROBE_SIZE // 4),
                rng.integers(-3, 8, _PROBE_SIZE // 4),
            ]
        )
        if c in "FD":
            x = x + 1j * rng.uniform(-4, 4, x.size)
        args.append(x.astype({"f": np.float32, "F": np.complex64, "l": np.int64}.get(c, x.dtype)))
    wide = [
        a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
        if a.dtype.kind in "fc"
        else a
        for a in args
    ]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        narrow_out = ufunc(*args)
        wide_out = ufunc(*wide)
    narrow_out = narrow_out if isinstance(narrow_out, tuple) else (narrow_out,)
    wide_out = wide_out if isinstance(wide_out, tuple) else (wide_out,)
    same = True
    for a, wide_b in zip(narrow_out, wide_out, strict=True):
        with np.errstate(all="ignore"):
            b = wide_b.astype(a.dtype)
        pairs = [(a.real, b.real), (a.imag, b.imag)] if a.dtype.kind == "c" else [(a, b)]
        for x, y in pairs:
            same = same and bool(np.all((x == y) | (np.isnan(x) & np.isnan(y))))
    _probed[key] = same
    return same


def fits(kernel: Kernel, avals: Sequence[Any]) -> bool:
    """Whether the kernel's outputs can be written to these declared outputs (as many,
    complex only into complex)."""
    outs = kernel.code.split(">")[1]
    if len(outs) != len(avals):
        return False
    return all(
        np.dtype(a.dtype).str[1:] in _OUTPUT_DTYPES
        and (c not in "DF" or np.dtype(a.dtype).kind == "c")
        for c, a in zip(outs, avals, strict=True)
    )


def _prepared(x: jax.Array, shape: tuple[int, ...]) -> jax.Array:
    dt = np.dtype(x.dtype)
    if dt.kind == "b" or (dt.kind == "i" and dt.itemsize < 4):
        x = x.astype(jnp.int32)
    if x.size == 1 or tuple(x.shape) == shape:
        return x
    return jnp.broadcast_to(x, shape)


def apply(
    kernel: Kernel,
    args: Sequence[jax.Array],
    avals: Sequence[jax.ShapeDtypeStruct],
    fallback: Callable[..., Sequence[jax.Array]],
) -> list[jax.Array]:
    """`kernel` applied elementwise to `args` (broadcastable to the outputs' shape) on
    CPU; `fallback(*args)` (the Python host call) on other platforms."""
    shape = tuple(avals[0].shape)
    if any(np.dtype(a.dtype).str[1:] not in _OUTPUT_DTYPES for a in avals):
        return list(fallback(*args))
    call = jax.ffi.ffi_call(
        TARGET,
        [jax.ShapeDtypeStruct(tuple(a.shape), a.dtype) for a in avals],
        vmap_method="broadcast_all",
    )

    def native(*xs: jax.Array) -> list[jax.Array]:
        return list(call(*[_prepared(x, shape) for x in xs], kernel=kernel.attribute))

    def python(*xs: jax.Array) -> list[jax.Array]:
        return list(fallback(*xs))

    return list(jax.lax.platform_dependent(*args, cpu=native, default=python))


# Programs that name autocallback's FFI target (exported ones included) run in any process
# that has imported autocallback: the library is loaded and its registry filled on import.
available()
