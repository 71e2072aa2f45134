"""`host_function`: the decorator and the wrapper class."""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Generic, ParamSpec, overload

import jax
import jax.numpy as jnp
import numpy as np

from . import _callback, _shapes
from ._errors import FormulaError

__all__ = ["HostFunction", "host_function"]

P = ParamSpec("P")

_VMAP_METHODS = (
    "sequential",
    "sequential_unrolled",
    "expand_dims",
    "broadcast_all",
    "legacy_vectorized",
)
_ARRAY_TYPES = (jax.Array, np.ndarray, np.generic, bool, int, float, complex)


def _align(args: Sequence[jax.Array], ranks: Sequence[int]) -> list[jax.Array]:
    """Prepend unit dimensions so each argument has the given rank (`expand_dims`
    semantics). Without this, vmap could line an unbatched operand of shape (L,) up with
    a batch of size L."""
    return [
        a if a.ndim == r else jnp.reshape(a, (1,) * (r - a.ndim) + tuple(a.shape))
        for a, r in zip(args, ranks, strict=True)
    ]


def elementwise_call(
    host: Callable[..., Sequence[Any]],
    args: list[jax.Array],
    avals: list[jax.ShapeDtypeStruct],
    *,
    name: str,
    ufunc: np.ufunc | None = None,
    vmap_method: str = "expand_dims",
) -> list[jax.Array]:
    """Call an elementwise host function on broadcastable arguments, one host call per
    batched call under vmap."""
    if all(int(np.prod(a.shape)) == 0 for a in avals):
        return [jnp.zeros(a.shape, a.dtype) for a in avals]
    rank = max((a.ndim for a in args), default=0)
    args = _align(args, [rank] * len(args))
    if vmap_method not in ("expand_dims", "broadcast_all") or not args:
        return _callback.call_elementwise(
            host, args, avals, name=name, vmap_method=vmap_method, ufunc=ufunc
        )

    # Batching is ours: under vmap the rule below calls the host once on the whole
    # batch, and sees the batched arrays themselves, so their sharding is kept and each
    # device evaluates its own shard (a callback's own batching rule loses it).
    @jax.custom_batching.custom_vmap
    def call(*a: jax.Array) -> list[jax.Array]:
        return _callback.call_elementwise(
            host, list(a), avals, name=name, vmap_method=vmap_method, ufunc=ufunc
        )

    @call.def_vmap
    def _batched(
        axis_size: int, in_batched: Sequence[bool], *a: jax.Array
    ) -> tuple[list[jax.Array], list[bool]]:
        if vmap_method == "broadcast_all":
            full = [
                x if b else jnp.broadcast_to(x, (axis_size, *x.shape))
                for x, b in zip(a, in_batched, strict=True)
            ]
        else:
            full = [x if b else x[None] for x, b in zip(a, in_batched, strict=True)]
        batched_avals = [jax.ShapeDtypeStruct((axis_size, *v.shape), v.dtype) for v in avals]
        out = elementwise_call(
            host, full, batched_avals, name=name, ufunc=ufunc, vmap_method=vmap_method
        )
        return out, [True] * len(out)

    return list(call(*args))


class HostFunction(Generic[P]):
    """A NumPy/SciPy function made callable from JAX under every transformation.

    Created by [`host_function`][autocallback.host_function]; call it like the wrapped
    function. Attributes: `name`, `parameters` (non-static parameter names),
    `static_argnames`, `signature`, `examples`, `derivatives` (argument -> formula text,
    callable or None, after derivation from `expr=`), and `__wrapped__`.
    """

    def __init__(
        self,
        fn: Callable[P, Any],
        *,
        out: Any = None,
        signature: str | None = None,
        dtype: Any = None,
        derivatives: Mapping[str, Any] | None = None,
        expr: Any = None,
        jvp: Callable[..., Any] | None = None,
        static_argnames: str | Sequence[str] = (),
        vmap_method: str | None = None,
        name: str | None = None,
        examples: Sequence[Any] | None = None,
    ):
        self._setup(
            fn,
            out=out,
            signature=signature,
            dtype=dtype,
            derivatives=derivatives,
            expr=expr,
            jvp=jvp,
            static_argnames=static_argnames,
            vmap_method=vmap_method,
            name=name,
            examples=examples,
        )

    def _setup(
        self,
        fn: Callable[..., Any],
        *,
        out: Any = None,
        signature: str | None = None,
        dtype: Any = None,
        derivatives: Mapping[str, Any] | None = None,
        expr: Any = None,
        jvp: Callable[..., Any] | None = None,
        static_argnames: str | Sequence[str] = (),
        vmap_method: str | None = None,
        name: str | None = None,
        examples: Sequence[Any] | None = None,
        _params: Sequence[str] | None = None,
        _sympy_expr: Any = None,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"`host_function` needs a callable, got {type(fn).__name__}.")
        self.__wrapped__: Callable[..., Any] = fn
        self.name: str = name if name is not None else getattr(fn, "__name__", type(fn).__name__)
        if not isinstance(self.name, str) or (name is not None and not self.name.isidentifier()):
            raise ValueError(
                f"`host_function`: name= must be a Python identifier, got {self.name!r}."
            )
        for attr in ("__module__", "__qualname__", "__doc__", "__name__"):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(self, attr, getattr(fn, attr))
        self.__name__ = self.name
        self.__dict__.update(
            {k: v for k, v in getattr(fn, "__dict__", {}).items() if k not in self.__dict__}
        )

        # Parameters.
        self._ufunc = fn if isinstance(fn, np.ufunc) else None
        if _params is not None:
            params = list(_params)
            sig = inspect.Signature(
                [inspect.Parameter(p, inspect.Parameter.POSITIONAL_ONLY) for p in params]
            )
        elif self._ufunc is not None:
            params = _shapes.ufunc_parameters(self._ufunc)
            sig = inspect.Signature(
                [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in params]
            )
        else:
            try:
                sig = inspect.signature(fn)
            except (TypeError, ValueError):
                raise TypeError(
                    f"`host_function` cannot read the parameters of `{self.name}`. Wrap it in a "
                    f"`def` with named parameters."
                ) from None
            params = []
            for p in sig.parameters.values():
                if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                    raise TypeError(
                        f"`host_function` needs named parameters, but `{self.name}` takes "
                        f"{'*' if p.kind == p.VAR_POSITIONAL else '**'}{p.name}. Wrap it in a "
                        f"`def` with one named parameter per argument."
                    )
                params.append(p.name)
        self.__signature__ = sig
        self._sig = sig
        self._all_params = params
        if isinstance(static_argnames, str):
            static_argnames = (static_argnames,)
        static_argnames = tuple(static_argnames)
        for s in static_argnames:
            if s not in params:
                raise ValueError(
                    f"`host_function`: static_argnames names {s!r}, which is not a parameter "
                    f"of `{self.name}` (parameters: {', '.join(params)})."
                )
        self.static_argnames: tuple[str, ...] = static_argnames
        self._positional_fast = not static_argnames and all(
            p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in sig.parameters.values()
        )
        self.parameters: tuple[str, ...] = tuple(p for p in params if p not in static_argnames)
        self.examples = list(examples) if examples is not None else None

        # Output mode.
        self._out = out
        self._dtype = dtype
        if dtype is not None and not (isinstance(dtype, str) and dtype in ("float", "complex")):
            try:
                np.dtype(dtype)
            except TypeError:
                raise ValueError(
                    f'`host_function`: dtype= must be a dtype or "float"/"complex", got {dtype!r}.'
                ) from None
        self.signature = signature
        self._gufunc = _shapes.parse_signature(signature) if signature is not None else None
        if out is not None and signature is not None:
            raise ValueError(
                f"`host_function` for `{self.name}`: pass either `out=` or `signature=`, not both."
            )
        if out is not None and dtype is not None:
            raise ValueError(
                f"`host_function` for `{self.name}`: `dtype=` applies to elementwise and signature functions; with `out=` put the dtype in `out`."
            )
        if isinstance(out, str) and out != "probe":
            raise ValueError(
                f'`host_function` for `{self.name}`: out= must be "probe", a ShapeDtypeStruct pytree or a callable, got {out!r}.'
            )
        if self._gufunc is not None:
            if len(self._gufunc.inputs) != len(self.parameters):
                raise ValueError(
                    f"`host_function` for `{self.name}`: signature {signature!r} has "
                    f"{len(self._gufunc.inputs)} input(s), but the function has "
                    f"{len(self.parameters)} non-static parameter(s) ({', '.join(self.parameters)})."
                )
            self.mode = "elementwise" if self._gufunc.all_scalar else "signature"
            self.nout = len(self._gufunc.outputs)
            self._multi = self.nout != 1
        elif out is not None:
            self.mode = "probe" if isinstance(out, str) else "out"
            self.nout = 0
            self._multi = False
        else:
            self.mode = "elementwise"
            self.nout = self._ufunc.nout if self._ufunc is not None else 1
            self._multi = self.nout > 1
        if vmap_method is not None and vmap_method not in _VMAP_METHODS:
            raise ValueError(
                f"`host_function` for `{self.name}`: vmap_method must be one of {_VMAP_METHODS}, got {vmap_method!r}."
            )
        if vmap_method is None:
            vmap_method = (
                "expand_dims" if self.mode in ("elementwise", "signature") else "sequential"
            )
        self.vmap_method: str = vmap_method
        self._probe = _shapes.ProbeCache()

        # Derivatives.
        if jvp is not None and (derivatives or expr is not None):
            raise ValueError(
                f"`host_function` for `{self.name}`: pass `jvp=` or `derivatives=`/`expr=`, not both."
            )
        if jvp is not None and not callable(jvp):
            raise TypeError(
                f"`host_function` for `{self.name}`: jvp= must be a callable jvp(primals, tangents)."
            )
        self._jvp = jvp
        if derivatives is not None and not isinstance(derivatives, Mapping):
            raise TypeError(
                f"`host_function` for `{self.name}`: derivatives= must be a dict from argument "
                f"name to formula, callable or None, got {type(derivatives).__name__}."
            )
        self._raw_derivatives = dict(derivatives or {})
        self._raw_expr = expr
        self._sympy_expr = _sympy_expr
        self._sym_lock = threading.RLock()
        self._sym_cls: Any = None
        self._partials: dict[str, tuple[str, Any]] = {}
        self._outputs_expr: tuple[Any, ...] | None = None
        self.derivatives: dict[str, Any] = {}
        for key in self._raw_derivatives:
            if key not in self._all_params:
                raise ValueError(
                    f"`host_function` for `{self.name}`: derivatives= names {key!r}, which is "
                    f"not a parameter (parameters: {', '.join(self.parameters)})."
                )
            if key in self.static_argnames:
                raise ValueError(
                    f"`host_function` for `{self.name}`: derivatives= names static argument "
                    f"{key!r}; static arguments are not differentiated."
                )
        uses_formulas = (
            expr is not None
            or _sympy_expr is not None
            or any(isinstance(v, (str, tuple)) for v in self._raw_derivatives.values())
        )
        if uses_formulas:
            if not self.name.isidentifier():
                raise ValueError(
                    f"`host_function`: formulas refer to the function by name, and "
                    f"{self.name!r} is not a Python identifier. Pass `name=`."
                )
            if self.mode != "elementwise":
                raise FormulaError(
                    f"`host_function` for `{self.name}`: derivative formulas and `expr=` are "
                    f"elementwise partial derivatives, but `{self.name}` is not elementwise "
                    f"({'signature ' + repr(signature) if signature else 'out=' + repr(out)}). "
                    f"Pass `jvp=`: a JAX-traceable jvp(primals, tangents) -> tangents_out."
                )
            self._build_symbolic()
        else:
            for key, value in self._raw_derivatives.items():
                self._partials[key] = self._classify_value(key, value)
                self.derivatives[key] = value

        self._jitted = jax.jit(self._impl, static_argnums=(0,))

    # ----------------------------------------------------------------------------------
    # Construction helpers

    @classmethod
    def _internal(
        cls, fn: Callable[..., Any], *, name: str, params: Sequence[str], expr: Any
    ) -> Any:
        """A host function for a built-in SymPy function, its parameters and value given
        directly (no formula text to parse)."""
        self = cls.__new__(cls)
        self._setup(fn, name=name, _params=params, _sympy_expr=expr)
        return self

    def _classify_value(self, key: str, value: Any) -> tuple[str, Any]:
        if value is None:
            return ("none", None)
        if callable(value):
            return ("call", value)
        raise TypeError(
            f"`host_function` for `{self.name}`: derivatives[{key!r}] must be a formula string, "
            f"a tuple of formulas (one per output), a callable or None, got {type(value).__name__}."
        )

    def _symbols(self) -> dict[str, Any]:
        import sympy

        return {p: sympy.Symbol(p, real=True) for p in self._all_params}

    def _sympy_class(self) -> Any:
        """The SymPy function class that stands for this function in formulas."""
        from ._symbolic import function_class

        with self._sym_lock:
            if self._sym_cls is None:
                self._sym_cls = function_class(
                    self.name,
                    host=None if self._multi else self._formula_host(),
                    jax=None if self._multi else self._jax_values,
                    fdiff=self._fdiff,
                    nargs=len(self._all_params),
                )
            return self._sym_cls

    def _fdiff(self, node: Any, argindex: int) -> Any:
        param = self._all_params[argindex - 1]
        entry = self._partials.get(param)
        if entry is None or entry[0] != "sym" or self._multi:
            return None
        symbols = self._symbols()
        mapping = {symbols[p]: a for p, a in zip(self._all_params, node.args, strict=True)}
        return entry[1][0].xreplace(mapping)

    def _formula_host(self) -> Callable[..., Any]:
        # A ufunc with no static arguments broadcasts by itself: call it directly (this
        # is the inner loop of every fused derivative evaluation that uses the function).
        if self._ufunc is not None and not self.static_argnames and self.mode == "elementwise":
            return self._ufunc
        return self._host_values

    def _host_values(self, *values: Any) -> Any:
        """Host implementation used when a formula calls this function."""
        dyn, static = [], {}
        for p, v in zip(self._all_params, values, strict=True):
            if p in self.static_argnames:
                static[p] = v.item() if isinstance(v, np.ndarray) else v
            else:
                dyn.append(np.asarray(v))
        if self.mode == "elementwise":
            shape = np.broadcast_shapes(*(a.shape for a in dyn)) if dyn else ()
            dyn = [a.reshape((1,) * (len(shape) - a.ndim) + a.shape) for a in dyn]
        res = self._call_host_fn(static, dyn)
        return res

    def _jax_values(self, *values: Any) -> Any:
        """JAX implementation used when a JAX-side formula calls this function."""
        pos, kw = self._arguments(values)
        call: Any = self
        return call(*pos, **kw)

    def _arguments(self, values: Sequence[Any]) -> tuple[list[Any], dict[str, Any]]:
        """Positional and keyword arguments for values given in parameter order."""
        pos, kw = [], {}
        for p, v in zip(self._sig.parameters.values(), values, strict=True):
            if p.kind == p.KEYWORD_ONLY:
                kw[p.name] = v
            else:
                pos.append(v)
        return pos, kw

    def _call_with(
        self, fn: Callable[..., Any], static: Mapping[str, Any], dyn: Sequence[Any]
    ) -> Any:
        """Call `fn` (with this function's parameters) on static and dynamic values."""
        it = iter(dyn)
        pos, kw = self._arguments(
            [static[p] if p in static else next(it) for p in self._all_params]
        )
        return fn(*pos, **kw)

    def _build_symbolic(self) -> None:
        import sympy

        from . import _registry
        from ._formula import parse_formula
        from ._symbolic import has_unclosed

        symbols = self._symbols()
        own = self._sympy_class()
        table = _registry.formula_names()
        params_text = ", ".join(self._all_params)

        # expr=
        expr_value = self._sympy_expr
        head = None
        if self._raw_expr is not None:
            known = f"{params_text} (arguments), pi, E, I, SymPy functions ({_short_list(table)}), registered: {', '.join(_registry.registered_names()) or 'none'}"
            names = {**table, **symbols}
            raw = self._raw_expr
            if isinstance(raw, (tuple, list)):
                expr_value = tuple(
                    parse_formula(t, fn_name=self.name, arg="expr", names=names, known=known)
                    for t in raw
                )
            else:
                expr_value = parse_formula(
                    raw, fn_name=self.name, arg="expr", names=names, known=known, allow_tuple=True
                )
            if isinstance(expr_value, tuple) and len(expr_value) == 1:
                expr_value = expr_value[0]
        if expr_value is not None:
            n_expr = len(expr_value) if isinstance(expr_value, tuple) else 1
            if n_expr != self.nout:
                raise FormulaError(
                    f"`host_function` for `{self.name}`: expr= gives {n_expr} expression(s), but "
                    f"the function has {self.nout} output(s)."
                )
            if not isinstance(expr_value, tuple):
                free = {s.name for s in expr_value.free_symbols}
                if (
                    isinstance(expr_value, sympy.Function)
                    and sorted(map(str, expr_value.args)) == sorted(self._all_params)
                    and all(a.is_Symbol for a in expr_value.args)
                ):
                    head = expr_value
            else:
                free = set().union(*({s.name for s in e.free_symbols} for e in expr_value))
            extra = free - set(self._all_params)
            if extra:
                raise FormulaError(
                    f"`host_function` for `{self.name}`: expr= uses unknown names {sorted(extra)}."
                )

        # derivatives= formulas
        names = {**table, **symbols, self.name: own}
        if head is not None:
            names[type(head).__name__] = own
        known = (
            f"{params_text} (arguments), {self.name} (this function)"
            + (f", {type(head).__name__} (this function, from expr)" if head is not None else "")
            + f", pi, E, I, SymPy functions ({_short_list(table)}), registered: "
            + (", ".join(_registry.registered_names()) or "none")
        )
        for key, value in self._raw_derivatives.items():
            arg = f"argument '{key}'"
            if isinstance(value, str) or (
                isinstance(value, tuple) and all(isinstance(v, str) for v in value)
            ):
                texts = (value,) if isinstance(value, str) else value
                if isinstance(value, str) and self.nout > 1:
                    raise FormulaError(
                        f"`host_function` for `{self.name}`: derivatives[{key!r}] must be a tuple "
                        f"of {self.nout} formulas, one per output."
                    )
                if len(texts) != self.nout:
                    raise FormulaError(
                        f"`host_function` for `{self.name}`: derivatives[{key!r}] has "
                        f"{len(texts)} formula(s) but the function has {self.nout} output(s)."
                    )
                parsed = tuple(
                    parse_formula(t, fn_name=self.name, arg=arg, names=names, known=known)
                    for t in texts
                )
                if self._multi and any(e.has(own) for e in parsed):
                    raise FormulaError(
                        f"Formula for {arg} of `{self.name}` calls `{self.name}`, which has "
                        f"{self.nout} outputs: a formula can only call functions of one output. "
                        f"Use the SymPy functions for the outputs (e.g. airyai, airyaiprime), "
                        f"`register` single-output functions, or give a callable."
                    )
                self._partials[key] = ("sym", parsed)
                self.derivatives[key] = value if isinstance(value, str) else tuple(value)
            else:
                self._partials[key] = self._classify_value(key, value)
                self.derivatives[key] = value

        if expr_value is not None:
            exprs = expr_value if isinstance(expr_value, tuple) else (expr_value,)
            for p in self.parameters:
                if p in self._partials:
                    continue
                derived = []
                reason = None
                for e in exprs:
                    d = e.diff(symbols[p])
                    if head is not None:
                        d = d.xreplace({head: own(*[symbols[q] for q in self._all_params])})
                    if has_unclosed(d):
                        reason = d
                        break
                    derived.append(d)
                if reason is not None:
                    self._partials[p] = ("fail", reason)
                    continue
                self._partials[p] = ("sym", tuple(derived))
                self.derivatives[p] = (
                    str(derived[0]) if len(derived) == 1 else tuple(map(str, derived))
                )
        self._outputs_expr = None
        if not self._multi:
            self._outputs_expr = (own(*[symbols[q] for q in self._all_params]),)

    # ----------------------------------------------------------------------------------
    # Calling

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        # Fast path (the common eager call): every argument given positionally.
        if (
            not kwargs
            and self._positional_fast
            and len(args) == len(self._all_params)
            and all(isinstance(a, _ARRAY_TYPES) for a in args)
            and not any(isinstance(a, np.ndarray) and a.dtype.kind in "OSUV" for a in args)
        ):
            return self._call_jitted((), args)
        try:
            bound = self._sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"`{self.name}`{self._sig}: {e}") from None
        bound.apply_defaults()
        values = bound.arguments
        static = []
        for s in self.static_argnames:
            v = values[s]
            try:
                hash(v)
            except TypeError:
                raise TypeError(
                    f"`{self.name}`: static argument '{s}' must be hashable, got "
                    f"{type(v).__name__}. Pass a tuple instead of a list, or make it an array "
                    f"argument by removing it from `static_argnames`."
                ) from None
            static.append((s, v))
        dyn = []
        for p in self.parameters:
            v = values[p]
            if isinstance(v, (list, tuple)):
                with contextlib.suppress(ValueError):
                    v = np.asarray(v)
            if not isinstance(v, _ARRAY_TYPES) or (
                isinstance(v, np.ndarray) and v.dtype.kind in "OSUV"
            ):
                raise TypeError(
                    f"`{self.name}`: argument '{p}' got {type(v).__name__}, but non-static "
                    f"arguments must be arrays or numbers. Add '{p}' to `static_argnames` to pass "
                    f"it to the host function unchanged."
                )
            dyn.append(v)
        return self._call_jitted(tuple(static), dyn)

    def _call_jitted(self, static: tuple[tuple[str, Any], ...], dyn: Sequence[Any]) -> Any:
        try:
            return self._jitted(static, *dyn)
        except jax.errors.JaxRuntimeError as e:
            original = _callback.original_error(e)
            if original is None:
                raise
            raise original.with_traceback(None) from None

    def __repr__(self) -> str:
        return f"<host_function {self.name}{self._sig}>"

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return functools.partial(self, instance)

    # The traced implementation --------------------------------------------------------

    def _call_host_fn(self, static: Mapping[str, Any], dyn: Sequence[Any]) -> Any:
        return self._call_with(self.__wrapped__, static, dyn)

    def _host(self, static: Mapping[str, Any], treedef: Any) -> Callable[..., Sequence[Any]]:
        fn_name = self.name
        multi = self._multi
        gufunc = self._gufunc
        loop_vectorized = None
        n_core: list[int] = []
        if gufunc is not None and not gufunc.all_scalar:

            def core(*a: Any) -> Any:
                return self._call_host_fn(static, a)

            loop_vectorized = np.vectorize(core, signature=gufunc.text.replace(" ", ""))
            n_core = [len(c) for c in gufunc.inputs]

        def host(*arrays: Any) -> Sequence[Any]:
            if loop_vectorized is not None:
                if all(a.ndim == n for a, n in zip(arrays, n_core, strict=True)):
                    res = self._call_host_fn(static, arrays)
                else:
                    res = loop_vectorized(*arrays)
            else:
                res = self._call_host_fn(static, arrays)
            if treedef is not None:
                leaves, got = jax.tree.flatten(res)
                if got != treedef:
                    raise _callback.HostCallError(
                        f"`{fn_name}` returned a result of structure {got} on the host; the "
                        f"declared structure is {treedef}."
                    )
                return leaves
            if multi:
                if not isinstance(res, (tuple, list)):
                    raise _callback.HostCallError(
                        f"`{fn_name}` returned a single {type(res).__name__} on the host; it is "
                        f"declared with {self.nout} outputs."
                    )
                return list(res)
            return [res]

        return host

    def _infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        """Declared outputs (flat) and the output tree (None: a list of `nout` arrays)."""
        if self.mode == "elementwise":
            try:
                shape = tuple(jnp.broadcast_shapes(*(a.shape for a in args))) if args else ()
            except ValueError:
                raise ValueError(
                    f"`{self.name}`: argument shapes {', '.join(f'{p}={tuple(a.shape)}' for p, a in zip(self.parameters, args, strict=True))} "
                    f"do not broadcast together. Elementwise functions broadcast their arguments "
                    f"like NumPy; for core dimensions pass `signature=`."
                ) from None
            dtypes = _shapes.elementwise_dtypes(self._ufunc, args, self.nout, self._dtype)
            return [jax.ShapeDtypeStruct(shape, d) for d in dtypes], None
        if self.mode == "signature":
            assert self._gufunc is not None
            _, shapes = self._gufunc.resolve(
                self.name, self.parameters, [tuple(a.shape) for a in args]
            )
            base = _shapes.promoted_dtype(args)
            dt = _shapes.resolve_kind(self._dtype, base) if self._dtype is not None else base
            return [jax.ShapeDtypeStruct(s, dt) for s in shapes], None
        if self.mode == "out":
            spec = self._out
            if callable(spec) and not isinstance(spec, jax.ShapeDtypeStruct):
                structs = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in args]
                try:
                    spec = self._call_with(spec, static, structs)
                except Exception as e:
                    raise type(e)(f"`{self.name}`: the out= callable raised: {e}") from e
            return self._flatten_spec(spec)
        # probe
        key = (
            tuple((tuple(a.shape), np.dtype(a.dtype).str) for a in args),
            tuple(sorted(static.items(), key=lambda kv: kv[0])),
        )

        def compute() -> Any:
            zeros = [np.zeros(a.shape, a.dtype) for a in args]
            try:
                with np.errstate(all="ignore"):
                    res = self._call_host_fn(static, zeros)
            except Exception as e:
                raise ValueError(
                    f"`host_function` could not infer the output of `{self.name}` by probing: "
                    f"calling it on zeros of shapes {[z.shape for z in zeros]} raised "
                    f"{type(e).__name__}: {e}. Pass `out=` or `signature=`."
                ) from e
            return jax.tree.map(
                lambda r: jax.ShapeDtypeStruct(
                    np.shape(r), _shapes.canonical_dtype(np.asarray(r).dtype)
                ),
                res,
            )

        return self._flatten_spec(self._probe.get(key, compute))

    def _flatten_spec(self, spec: Any) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        leaves, treedef = jax.tree.flatten(spec)
        out = []
        for leaf in leaves:
            if not (hasattr(leaf, "shape") and hasattr(leaf, "dtype")):
                raise TypeError(
                    f"`host_function` for `{self.name}`: out= must be a pytree of "
                    f"jax.ShapeDtypeStruct, found {type(leaf).__name__}."
                )
            out.append(jax.ShapeDtypeStruct(tuple(leaf.shape), _shapes.canonical_dtype(leaf.dtype)))
        return out, treedef

    def _primal(
        self, static: Mapping[str, Any], avals: list[jax.ShapeDtypeStruct], treedef: Any
    ) -> Callable[..., list[jax.Array]]:
        host = self._host(static, treedef)
        ufunc = self._ufunc if (self.mode == "elementwise" and not static) else None

        def primal(*args: jax.Array) -> list[jax.Array]:
            if self.mode == "elementwise":
                return elementwise_call(
                    host,
                    list(args),
                    avals,
                    name=self.name,
                    ufunc=ufunc,
                    vmap_method=self.vmap_method,
                )
            if all(int(np.prod(a.shape)) == 0 for a in avals):
                return [jnp.zeros(a.shape, a.dtype) for a in avals]
            if self.mode == "signature":
                assert self._gufunc is not None
                loop_ranks = [
                    a.ndim - len(c) for a, c in zip(args, self._gufunc.inputs, strict=True)
                ]
                top = max(loop_ranks, default=0)
                args = tuple(
                    _align(args, [a.ndim + top - r for a, r in zip(args, loop_ranks, strict=True)])
                )
            return _callback.call_host(
                host, list(args), avals, name=self.name, vmap_method=self.vmap_method
            )

        return primal

    def _impl(self, static_items: tuple[tuple[str, Hashable], ...], *dyn: Any) -> Any:
        static = dict(static_items)
        args = [jnp.asarray(a) for a in dyn]
        avals, treedef = self._infer(static, args)
        primal = self._primal(static, avals, treedef)
        f = jax.custom_jvp(primal)
        f.defjvp(self._rule(static, avals, lambda *a: f(*a)), symbolic_zeros=True)
        flat = f(*args)
        if treedef is not None:
            return jax.tree.unflatten(treedef, flat)
        return tuple(flat) if self._multi else flat[0]

    def _rule(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        primal_call: Callable[..., Any],
    ) -> Callable[..., Any]:
        from ._symbolic import active_indices, jvp_from_partials

        def rule(primals: Sequence[jax.Array], tangents: Sequence[Any]) -> tuple[Any, Any]:
            if self._jvp is not None:
                return self._user_jvp(static, avals, primal_call, primals, tangents)
            active = active_indices(primals, tangents)
            partial_exprs: dict[int, tuple[Any, ...]] = {}
            partial_values: dict[int, Sequence[jax.Array]] = {}
            symbols = None
            subs: dict[Any, Any] = {}
            for i in active:
                p = self.parameters[i]
                entry = self._partials.get(p)
                if entry is None:
                    raise TypeError(
                        f"`{self.name}` has no derivative with respect to argument '{p}', which "
                        f"is being differentiated. Pass `derivatives={{'{p}': ...}}` (a formula, "
                        f"a JAX-traceable callable, or None to treat it as constant) or `expr=`."
                    )
                kind, value = entry
                if kind == "none":
                    continue
                if kind == "fail":
                    raise TypeError(
                        f"`{self.name}`: SymPy could not derive the derivative with respect to "
                        f"argument '{p}' from expr= (it left {value}). Pass "
                        f"`derivatives={{'{p}': ...}}`, or None to treat '{p}' as constant."
                    )
                if kind == "call":
                    res = self._call_with(value, static, primals)
                    partial_values[i] = list(res) if self._multi else [res]
                    continue
                if symbols is None:
                    import sympy

                    symbols = self._symbols()
                    for s, v in static.items():
                        with contextlib.suppress(TypeError, ValueError):
                            # Booleans enter formulas as 0/1, like NumPy treats them.
                            subs[symbols[s]] = (
                                sympy.sympify(int(v) if isinstance(v, (bool, np.bool_)) else v)
                                if isinstance(v, (int, float, complex, bool, np.number, np.bool_))
                                else symbols[s]
                            )
                partial_exprs[i] = tuple(e.xreplace(subs) if subs else e for e in value)
            if symbols is None:
                symbols = self._symbols()
            params = tuple(symbols[p] for p in self.parameters)
            outputs = None
            if self._outputs_expr is not None and partial_exprs:
                outputs = tuple(o.xreplace(subs) if subs else o for o in self._outputs_expr)
            primal_out, tangent_out = jvp_from_partials(
                primal_call,
                params,
                outputs,
                partial_exprs,
                partial_values,
                primals,
                tangents,
                avals,
                self.name,
            )
            return primal_out, tangent_out

        return rule

    def _user_jvp(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        primal_call: Callable[..., Any],
        primals: Sequence[jax.Array],
        tangents: Sequence[Any],
    ) -> tuple[Any, Any]:
        from jax.custom_derivatives import SymbolicZero

        assert self._jvp is not None
        tans = []
        for p, t in zip(primals, tangents, strict=True):
            if isinstance(t, SymbolicZero):
                if jnp.issubdtype(p.dtype, jnp.inexact):
                    t = jnp.zeros(p.shape, p.dtype)
                else:
                    t = np.zeros(p.shape, jax.dtypes.float0)
            tans.append(t)
        primal_out = primal_call(*primals)
        out = self._jvp(tuple(primals), tuple(tans))
        leaves = jax.tree.leaves(out) if not isinstance(out, (jax.Array, np.ndarray)) else [out]
        if len(leaves) != len(avals):
            raise TypeError(
                f"`{self.name}`: jvp= returned {len(leaves)} tangent output(s); the function has "
                f"{len(avals)} output(s)."
            )
        tangent_out = []
        for leaf, aval in zip(leaves, avals, strict=True):
            if not jnp.issubdtype(aval.dtype, jnp.inexact):
                tangent_out.append(np.zeros(aval.shape, jax.dtypes.float0))
                continue
            leaf = jnp.asarray(leaf)
            if tuple(leaf.shape) != tuple(aval.shape):
                raise ValueError(
                    f"`{self.name}`: jvp= returned a tangent of shape {tuple(leaf.shape)}; the "
                    f"output has shape {tuple(aval.shape)}."
                )
            tangent_out.append(leaf.astype(aval.dtype))
        return primal_out, tangent_out


def _short_list(table: Mapping[str, Any]) -> str:
    names = [n for n in table if n not in ("pi", "E", "I")]
    shown = ", ".join(names[:12])
    return f"{shown}, ... ({len(names)} in all: see the formulas guide)"


@overload
def host_function(fn: Callable[P, Any], /) -> HostFunction[P]: ...


@overload
def host_function(
    fn: None = None,
    /,
    *,
    out: Any = None,
    signature: str | None = None,
    dtype: Any = None,
    derivatives: Mapping[str, Any] | None = None,
    expr: Any = None,
    jvp: Callable[..., Any] | None = None,
    static_argnames: str | Sequence[str] = (),
    vmap_method: str | None = None,
    name: str | None = None,
    examples: Sequence[Any] | None = None,
) -> Callable[[Callable[P, Any]], HostFunction[P]]: ...


@overload
def host_function(
    fn: Callable[P, Any],
    /,
    *,
    out: Any = None,
    signature: str | None = None,
    dtype: Any = None,
    derivatives: Mapping[str, Any] | None = None,
    expr: Any = None,
    jvp: Callable[..., Any] | None = None,
    static_argnames: str | Sequence[str] = (),
    vmap_method: str | None = None,
    name: str | None = None,
    examples: Sequence[Any] | None = None,
) -> HostFunction[P]: ...


def host_function(
    fn: Callable[..., Any] | None = None,
    /,
    *,
    out: Any = None,
    signature: str | None = None,
    dtype: Any = None,
    derivatives: Mapping[str, Any] | None = None,
    expr: Any = None,
    jvp: Callable[..., Any] | None = None,
    static_argnames: str | Sequence[str] = (),
    vmap_method: str | None = None,
    name: str | None = None,
    examples: Sequence[Any] | None = None,
) -> Any:
    """Wrap a NumPy/SciPy function so that it runs inside JAX under every transformation.

    Usable bare (`@host_function`) and with arguments (`@host_function(...)`), or called on
    an existing function or NumPy ufunc (parameter names of ufuncs come from their
    docstring, e.g. `v, z` for `scipy.special.jv`). The result accepts JAX arrays, NumPy
    arrays and Python scalars and returns JAX arrays, eagerly and under `jax.jit`,
    `jax.vmap`, `jax.grad`, `jax.jvp`, `jax.vjp`, `jax.jacfwd`, `jax.jacrev`,
    `jax.hessian`, `lax.scan`/`fori_loop` bodies and `jax.checkpoint`. The host function
    receives `numpy.ndarray`s (and the plain values of static arguments).

    Args:
        fn: the host function (NumPy/SciPy code).
        out: the output, when it is not elementwise: a `jax.ShapeDtypeStruct` pytree, a
            callable receiving the arguments as `ShapeDtypeStruct`s (static arguments as
            values) and returning one, or `"probe"` to learn it by calling `fn` on zeros.
        signature: a NumPy gufunc signature such as `"(n),(n)->()"`; `fn` is written for
            the core dimensions and loop dimensions are handled for it. An all-scalar
            signature (`"(),()->(),()"`) declares an elementwise function with several
            outputs.
        dtype: output dtype of elementwise and signature functions, or `"float"` /
            `"complex"` for that kind at the promoted precision.
        derivatives: argument name -> partial derivative of the output, as a formula
            string (SymPy syntax, e.g. `"(jv(v - 1, z) - jv(v + 1, z)) / 2"`), a tuple of
            formulas (one per output), a JAX-traceable callable with the function's
            parameters, or `None` to declare the argument non-differentiable.
        expr: the function's value as a formula (e.g. `"besselj(v, z)"`); SymPy derives
            every partial derivative from it at decoration time. `derivatives` entries win.
        jvp: for non-elementwise functions, a JAX-traceable `jvp(primals, tangents) ->
            tangents_out` over the non-static arguments.
        static_argnames: arguments passed to the host unchanged as hashable Python values.
        vmap_method: as for `jax.pure_callback`; default `"expand_dims"` (one host call
            per batched call) for elementwise and signature functions, `"sequential"` for
            `out=`/`"probe"`.
        name: the name used in formulas and messages (default `fn.__name__`).
        examples: argument tuples (or dicts) at which `python -m autocallback check`
            verifies the function.

    Returns:
        A `HostFunction` with the signature of `fn`.

    Raises:
        FormulaError: a formula is invalid (at decoration time).

    Example:
        ```python
        import jax, scipy.special
        from autocallback import host_function

        jv = host_function(scipy.special.jv,
                           derivatives={"v": None, "z": "(jv(v - 1, z) - jv(v + 1, z)) / 2"})
        jax.grad(jv, argnums=1)(1, 2.0)
        jax.hessian(lambda z: jv(1, z))(2.0)  # -0.4003078
        ```
    """
    options = dict(
        out=out,
        signature=signature,
        dtype=dtype,
        derivatives=derivatives,
        expr=expr,
        jvp=jvp,
        static_argnames=static_argnames,
        vmap_method=vmap_method,
        name=name,
        examples=examples,
    )
    if fn is None:
        return lambda f: HostFunction(f, **options)
    if not callable(fn):
        raise TypeError(
            f"`host_function` takes the function as its only positional argument, got "
            f"{type(fn).__name__}. Pass options by keyword: `@host_function(out=...)`."
        )
    return HostFunction(fn, **options)
