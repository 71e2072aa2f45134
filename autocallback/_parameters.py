"""`Parameters`: a host function's parameters, read once, and the binding of calls."""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import jax
import numpy as np

from ._errors import at_call, at_decoration

_ARRAY_TYPES = (jax.Array, np.ndarray, np.generic, bool, int, float, complex)


def _is_array_like(v: Any) -> bool:
    return isinstance(v, _ARRAY_TYPES) and not (
        isinstance(v, np.ndarray) and v.dtype.kind in "OSUV"
    )


class Parameters:
    """The parameters of a host function: every name in order, the static ones, and the
    dynamic (array) ones.

    `bind` turns a call's arguments into `(static, dynamic)`: static values as a sorted,
    hashable tuple of pairs (part of the jit cache key) and dynamic values in parameter
    order. `call` calls any callable with this function's parameters on such values.
    """

    def __init__(
        self,
        name: str,
        names: Sequence[str],
        signature: inspect.Signature,
        static_argnames: Sequence[str],
    ):
        self.name = name
        self.names: tuple[str, ...] = tuple(names)
        self.signature = signature
        for s in static_argnames:
            if s not in self.names:
                raise ValueError(
                    f"{at_decoration(name)} static_argnames names {s!r}, which is not a "
                    f"parameter (parameters: {', '.join(self.names)})."
                )
        self.static: tuple[str, ...] = tuple(static_argnames)
        self.dynamic: tuple[str, ...] = tuple(p for p in self.names if p not in self.static)
        self._keyword_only = frozenset(
            p.name for p in signature.parameters.values() if p.kind == p.KEYWORD_ONLY
        )
        # Every argument given positionally and no static ones: skip `Signature.bind`.
        self.positional_fast = not self.static and not self._keyword_only

    @classmethod
    def of(
        cls, fn: Callable[..., Any], name: str, static_argnames: str | Sequence[str]
    ) -> Parameters:
        """The parameters of `fn` (a `def`, a callable or a NumPy ufunc)."""
        static = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
        if isinstance(fn, np.ufunc):
            names = ufunc_parameters(fn)
            sig = inspect.Signature(
                [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in names]
            )
            return cls(name, names, sig, static)
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            raise TypeError(
                f"`host_function` cannot read the parameters of `{name}`. Wrap it in a "
                f"`def` with named parameters."
            ) from None
        names = []
        for p in sig.parameters.values():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise TypeError(
                    f"`host_function` needs named parameters, but `{name}` takes "
                    f"{'*' if p.kind == p.VAR_POSITIONAL else '**'}{p.name}. Wrap it in a "
                    f"`def` with one named parameter per argument."
                )
            names.append(p.name)
        return cls(name, names, sig, static)

    def fast_call(self, args: Sequence[Any], kwargs: Mapping[str, Any]) -> bool:
        """Whether a call with these arguments can skip binding (the common eager call)."""
        return (
            not kwargs
            and self.positional_fast
            and len(args) == len(self.names)
            and all(_is_array_like(a) for a in args)
        )

    def bind(
        self, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> tuple[tuple[tuple[str, Hashable], ...], list[Any]]:
        """`(static, dynamic)` for a call: static values as `(name, value)` pairs in the
        order of `static_argnames`, dynamic values in parameter order."""
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"`{self.name}`{self.signature}: {e}") from None
        bound.apply_defaults()
        values = bound.arguments
        static = []
        for s in self.static:
            v = values[s]
            try:
                hash(v)
            except TypeError:
                raise TypeError(
                    f"{at_call(self.name)} static argument '{s}' must be hashable, got "
                    f"{type(v).__name__}. Pass a tuple instead of a list, or make it an array "
                    f"argument by removing it from `static_argnames`."
                ) from None
            static.append((s, v))
        dyn = []
        for p in self.dynamic:
            v = values[p]
            if isinstance(v, (list, tuple)):
                with contextlib.suppress(ValueError):
                    v = np.asarray(v)
            if not _is_array_like(v):
                raise TypeError(
                    f"{at_call(self.name)} argument '{p}' got {type(v).__name__}, but non-static "
                    f"arguments must be arrays or numbers. Add '{p}' to `static_argnames` to pass "
                    f"it to the host function unchanged."
                )
            dyn.append(v)
        return tuple(static), dyn

    def arguments(self, values: Sequence[Any]) -> tuple[list[Any], dict[str, Any]]:
        """Positional and keyword arguments for values given in parameter order."""
        pos, kw = [], {}
        for p, v in zip(self.names, values, strict=True):
            if p in self._keyword_only:
                kw[p] = v
            else:
                pos.append(v)
        return pos, kw

    def merge(self, static: Mapping[str, Any], dyn: Sequence[Any]) -> list[Any]:
        """Static and dynamic values in parameter order."""
        it = iter(dyn)
        return [static[p] if p in static else next(it) for p in self.names]

    def call(self, fn: Callable[..., Any], static: Mapping[str, Any], dyn: Sequence[Any]) -> Any:
        """Call `fn` (taking these parameters) on static and dynamic values."""
        pos, kw = self.arguments(self.merge(static, dyn))
        return fn(*pos, **kw)

    def split(self, values: Sequence[Any]) -> tuple[dict[str, Any], list[Any]]:
        """Values in parameter order back into `(static, dynamic)`; static values given as
        0-d arrays (from formulas) become Python values."""
        static: dict[str, Any] = {}
        dyn = []
        for p, v in zip(self.names, values, strict=True):
            if p in self.static:
                static[p] = v.item() if isinstance(v, np.ndarray) else v
            else:
                dyn.append(v)
        return static, dyn


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
