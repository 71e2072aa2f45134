"""Output inference: elementwise, gufunc signature, explicit `out=`, and probing."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

__all__ = [
    "GufuncSignature",
    "canonical_dtype",
    "elementwise_dtypes",
    "parse_signature",
    "ufunc_parameters",
]


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


class GufuncSignature:
    """A parsed NumPy gufunc signature, e.g. "(n),(n)->()"."""

    def __init__(self, text: str):
        self.text = text
        self.inputs, self.outputs = _parse_gufunc_signature(text)

    @property
    def all_scalar(self) -> bool:
        return all(len(c) == 0 for c in (*self.inputs, *self.outputs))

    def resolve(self, name: str, params: Sequence[str], shapes: Sequence[tuple[int, ...]]):
        """Loop shape, the core-dimension sizes and the output shapes for input shapes."""
        if len(shapes) != len(self.inputs):
            raise TypeError(
                f"`{name}` has signature {self.text!r} with {len(self.inputs)} input(s) but "
                f"{len(shapes)} array argument(s). Make the signature match the non-static "
                f"arguments, or mark the others in `static_argnames`."
            )
        sizes: dict[str, int] = {}
        loops = []
        for param, shape, core in zip(params, shapes, self.inputs, strict=True):
            if len(shape) < len(core):
                raise ValueError(
                    f"`{name}`: argument '{param}' has shape {shape}, but signature "
                    f"{self.text!r} needs at least {len(core)} dimension(s) {core} for it."
                )
            core_shape = shape[len(shape) - len(core) :] if core else ()
            for dim, size in zip(core, core_shape, strict=True):
                if dim.isdigit():
                    if int(dim) != size:
                        raise ValueError(
                            f"`{name}`: argument '{param}' has core dimension {size} where "
                            f"signature {self.text!r} fixes it to {dim}."
                        )
                elif sizes.setdefault(dim, size) != size:
                    raise ValueError(
                        f"`{name}`: core dimension '{dim}' of signature {self.text!r} is "
                        f"{sizes[dim]} in one argument and {size} in '{param}'."
                    )
            loops.append(shape[: len(shape) - len(core)])
        try:
            loop = tuple(np.broadcast_shapes(*loops)) if loops else ()
        except ValueError:
            raise ValueError(
                f"`{name}`: the loop dimensions {loops} of the arguments do not broadcast "
                f"(signature {self.text!r})."
            ) from None
        outs = []
        for core in self.outputs:
            dims = []
            for dim in core:
                if dim.isdigit():
                    dims.append(int(dim))
                elif dim in sizes:
                    dims.append(sizes[dim])
                else:
                    raise ValueError(
                        f"`{name}`: output core dimension '{dim}' of signature {self.text!r} "
                        f"appears in no input, so its size is unknown. Pass `out=` instead."
                    )
            outs.append(loop + tuple(dims))
        return loop, outs


def _parse_gufunc_signature(text: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    try:  # NumPy's own grammar
        from numpy.lib._function_base_impl import (
            _parse_gufunc_signature as parse,  # pyright: ignore[reportAttributeAccessIssue]
        )
    except ImportError:  # pragma: no cover - older/newer NumPy
        parse = _fallback_parse
    try:
        ins, outs = parse(text.replace(" ", ""))
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"`host_function`: {text!r} is not a valid gufunc signature ({e}). Use NumPy's "
            f'grammar, e.g. "(n),(n)->()" or "(m,n),(n)->(m)".'
        ) from None
    return [tuple(c) for c in ins], [tuple(c) for c in outs]


_DIM = r"\s*\w+\s*"
_CORE = rf"\((?:{_DIM}(?:,{_DIM})*)?\)"
_LIST = rf"{_CORE}(?:,{_CORE})*"
_SIG = re.compile(rf"^{_LIST}->{_LIST}$")


def _fallback_parse(text: str):
    if not _SIG.match(text):
        raise ValueError("not a valid gufunc signature")
    ins, outs = text.split("->")

    def cores(part: str):
        return [
            tuple(d.strip() for d in c.split(",") if d.strip())
            for c in re.findall(r"\(([^)]*)\)", part)
        ]

    return cores(ins), cores(outs)


def parse_signature(text: str) -> GufuncSignature:
    if not isinstance(text, str):
        raise TypeError(f"`host_function`: signature= must be a string, got {type(text).__name__}.")
    return GufuncSignature(text)


def ufunc_parameters(ufunc: np.ufunc) -> list[str]:
    """Parameter names of a NumPy/SciPy ufunc, read from its docstring ("jv(v, z, out=None)")."""
    name = ufunc.__name__
    doc = ufunc.__doc__ or ""
    pattern = re.compile(rf"^\s*{re.escape(name)}\(([^)]*)\)\s*$")
    generic = None
    for line in doc.splitlines()[:12]:
        m = pattern.match(line)
        if not m:
            continue
        names = []
        for part in m.group(1).replace("[", ",").replace("]", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if part in ("/", "*") or part.startswith(("out", "*")) or "=" in part:
                break
            names.append(part)
        if len(names) == ufunc.nin and all(n.isidentifier() for n in names):
            if all(re.fullmatch(r"x\d*", n) for n in names):
                generic = generic or names
                continue
            return names
    if generic:
        return generic
    return [f"x{i + 1}" for i in range(ufunc.nin)] if ufunc.nin > 1 else ["x"]


class ProbeCache:
    """Output pytrees learnt by calling the host function on zeros, per shapes/dtypes/statics."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[Any, Any] = {}

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache.setdefault(key, value)
            return self._cache[key]
