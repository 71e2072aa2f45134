"""`HostFunction` and `host_function`: the decorator and the thin class it returns.

A `HostFunction` holds three objects built once at decoration time, `Parameters` (names
and binding), an `OutputSpec` (how outputs are inferred and computed) and a
`DerivativeRule`, and one `jax.jit` of the traced program, so that eager calls never
recompile. A call binds its arguments, enters the jitted program, infers the outputs,
makes the primal host call differentiable with the rule, and calls it.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Generic, ParamSpec, overload

import jax
import jax.numpy as jnp

from . import _names
from ._errors import at_decoration
from ._export import caller_module, reduce_by_name
from ._gufunc import parse_signature
from ._host_call import VMAP_METHODS, VmapMethod, original_error
from ._options import Options
from ._outputs import Elementwise, OutputSpec, Traced, alive, output_spec
from ._parameters import Parameters
from ._rules import DerivativeRule, derivative_rule

P = ParamSpec("P")

# Serializes the first uses of deferred functions (one lock for all: building one rule
# never waits for another's).
_DEFERRED_LOCK = threading.RLock()


class HostFunction(Generic[P]):
    """A NumPy/SciPy function made callable from JAX under every transformation.

    Created by [`host_function`][autocallback.host_function]; call it like the wrapped
    function. Read-only attributes: `name`, `parameters` (non-static parameter names),
    `static_argnames`, `signature`, `examples`, `derivatives` (argument -> formula text,
    callable, `numerical()` marker or None, after derivation from `expr=`), and
    `__wrapped__`.
    """

    def __init__(self, fn: Callable[P, Any], options: Options | None = None):
        self._setup(fn, options or Options())
        self._finish(None)

    @classmethod
    def deferred(
        cls, fn: Callable[P, Any], options: Options
    ) -> tuple[HostFunction[P], Callable[[Callable[[], Mapping[str, Any]]], None]]:
        """Internal (the catalogue's): a function whose derivative rule is built later.

        Returns the function and `finish(scope_of)`. After `finish`, the function's first
        use (a call, its `derivatives`, a formula differentiating it) parses its formulas
        with the extra names of `scope_of()` (every entry of a catalogue, so that entries
        may name one another in any order); until then nothing is parsed, so that a
        catalogue imports quickly. The function cannot be used before `finish`.
        """
        self = cls.__new__(cls)
        self._setup(fn, options)
        return self, self._finish_later

    def _setup(self, fn: Callable[P, Any], options: Options) -> None:
        if not callable(fn):
            raise TypeError(f"`host_function` needs a callable, got {type(fn).__name__}.")
        name = options.name
        fn_name = name if name is not None else getattr(fn, "__name__", type(fn).__name__)
        if not isinstance(fn_name, str) or (name is not None and not fn_name.isidentifier()):
            raise ValueError(
                f"`host_function`: name= must be a Python identifier, got {fn_name!r}."
            )
        functools.update_wrapper(self, fn)
        self.__name__ = fn_name
        if "__qualname__" not in vars(self):
            # A ufunc or a callable object: defined, for pickling, where it is decorated.
            self.__module__ = caller_module() or self.__module__
            self.__qualname__ = fn_name
        self._name = fn_name
        self._options = options
        self._params = Parameters.of(fn, fn_name, options.static_argnames)
        signature = options.signature
        gufunc = parse_signature(signature, fn_name) if signature is not None else None
        self._outputs: OutputSpec = output_spec(
            self._params, fn, out=options.out, signature=gufunc, dtype=options.dtype
        )
        vmap_method = options.vmap_method
        if vmap_method is not None and vmap_method not in VMAP_METHODS:
            raise ValueError(
                f"{at_decoration(fn_name)} vmap_method must be one of {VMAP_METHODS}, got "
                f"{vmap_method!r}."
            )
        self._vmap_method: VmapMethod = vmap_method or self._outputs.default_vmap_method
        self._examples = list(options.examples) if options.examples is not None else None
        self._class_lock = threading.Lock()
        self._formula_class: Any = None
        self._built_rule: DerivativeRule | None = None
        self._scope_of: Callable[[], Mapping[str, Any]] | None = None
        self._calls: list[Any] = []
        # Jitted through a weak reference: JAX's caches keep the traced function, and a
        # bound method there would keep this object (and all it compiled) alive.
        traced = functools.partial(_traced_weakly, weakref.ref(self))
        traced.__name__ = fn_name  # type: ignore[attr-defined]  # names the jitted program
        self._jitted = jax.jit(traced, static_argnums=(0,))

    def _finish(self, scope: Mapping[str, Any] | None) -> None:
        """Build the derivative rule (`scope`: extra formula names)."""
        self._built_rule = derivative_rule(
            self._params, self._outputs, self._options, self.formula_class, scope
        )
        # Formula classes refer to their functions weakly: keep the functions that this
        # one's formulas call.
        self._calls = _called_functions(self._built_rule, self)

    def _finish_later(self, scope_of: Callable[[], Mapping[str, Any]]) -> None:
        self._scope_of = scope_of

    @property
    def _rule(self) -> DerivativeRule | None:
        """The derivative rule; a deferred function builds it on first use (`deferred`)."""
        if self._built_rule is None and self._scope_of is not None:
            with _DEFERRED_LOCK:
                if self._built_rule is None:
                    self._finish(self._scope_of())
        return self._built_rule

    # ----------------------------------------------------------------------------------
    # Read-only attributes

    @property
    def name(self) -> str:
        """The name used in formulas and messages."""
        return self._name

    @property
    def parameters(self) -> tuple[str, ...]:
        """The non-static parameter names, in order."""
        return self._params.dynamic

    @property
    def static_argnames(self) -> tuple[str, ...]:
        return self._params.static

    @property
    def signature(self) -> str | None:
        return self._options.signature

    @property
    def examples(self) -> list[Any] | None:
        return self._examples

    @property
    def vmap_method(self) -> VmapMethod:
        return self._vmap_method

    @property
    def native(self) -> bool:
        """Whether the value is computed natively on CPU: SciPy's compiled kernel applied
        inside the XLA program, with no Python callback (see "Native kernels")."""
        out = self._outputs
        return isinstance(out, Elementwise) and out.native

    @property
    def derivatives(self) -> dict[str, Any]:
        return self._rule.derivatives() if self._rule is not None else {}

    @property
    def __signature__(self) -> Any:
        return self._params.signature

    # ----------------------------------------------------------------------------------
    # In formulas

    def formula_class(self) -> Any:
        """The SymPy function class that stands for this function in formulas."""
        with self._class_lock:
            if self._formula_class is None:
                # Formulas call a function of one elementwise output on the host; any
                # other function through JAX (itself).
                out = self._outputs
                single = isinstance(out, Elementwise) and not out.multi
                self._formula_class = _names.function_class(
                    self._name,
                    host=out.formula_host() if isinstance(out, Elementwise) and single else None,
                    jax=None if out.multi else _weak_method(self, "_jax_values"),
                    fdiff=_weak_method(self, "_fdiff"),
                    nargs=len(self._params.names),
                    native=_weak_attribute(self, "native"),
                )
                self._formula_class._ac_owner = weakref.ref(self)
            return self._formula_class

    def _fdiff(self, node: Any, argindex: int) -> Any:
        return self._rule.fdiff(node, argindex) if self._rule is not None else None

    def _jax_values(self, *values: Any) -> Any:
        """JAX implementation used when a JAX-side formula calls this function."""
        pos, kw = self._params.arguments(values)
        return self(*pos, **kw)  # type: ignore[arg-type]

    # ----------------------------------------------------------------------------------
    # Calling

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        if self._params.fast_call(args, kwargs):
            return self._call_jitted((), args)
        static, dyn = self._params.bind(args, kwargs)
        return self._call_jitted(static, dyn)

    def _call_jitted(self, static: tuple[tuple[str, Hashable], ...], dyn: Sequence[Any]) -> Any:
        try:
            return self._jitted(static, *dyn)
        except jax.errors.JaxRuntimeError as e:
            original = original_error(e)
            if original is None:
                raise
            raise original.with_traceback(None) from None

    def _traced(self, static_items: tuple[tuple[str, Hashable], ...], *dyn: Any) -> Any:
        """The program `jax.jit` compiles, once per static values and argument types."""
        static = dict(static_items)
        args = [jnp.asarray(a) for a in dyn]
        out = self._outputs
        avals, treedef = out.infer(static, args)
        traced = Traced(static, tuple(avals), treedef)
        primal = out.primal(traced, self._vmap_method)
        assert self._rule is not None, f"`{self._name}` is not finished"
        flat = self._rule.wrap(primal, traced)(*args)
        if treedef is not None:
            return jax.tree.unflatten(treedef, flat)
        return tuple(flat) if out.multi else flat[0]

    def __repr__(self) -> str:
        return f"<host_function {self._name}{self._params.signature}>"

    # Immutable: copies are the object itself; pickles refer to it by module and name.
    def __copy__(self) -> HostFunction[P]:
        return self

    def __deepcopy__(self, memo: Any) -> HostFunction[P]:
        return self

    def __reduce__(self) -> str:
        return reduce_by_name(self)

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        return functools.partial(self, instance)


def _traced_weakly(ref: weakref.ref[Any], static_items: Any, *dyn: Any) -> Any:
    return alive(ref, "host_function")._traced(static_items, *dyn)


def _weak_method(obj: Any, attr: str) -> Callable[..., Any]:
    """`obj.attr`, without keeping `obj` alive: SymPy caches the formula class (and the
    expressions built from it) globally, and a strong reference from there would keep a
    dropped function and everything it compiled."""
    ref = weakref.ref(obj)
    name = obj.name
    return lambda *args: getattr(alive(ref, name), attr)(*args)


def _weak_attribute(obj: Any, attr: str) -> Callable[[], Any]:
    """A function reading `obj.attr`, without keeping `obj` alive (False once freed)."""
    ref = weakref.ref(obj)

    def read() -> Any:
        target = ref()
        return False if target is None else getattr(target, attr)

    return read


def _called_functions(rule: DerivativeRule, own: Any) -> list[Any]:
    """The other decorated functions that the formulas of `rule` call."""
    import sympy

    found: dict[int, Any] = {}
    for e in rule.expressions():
        for node in e.atoms(sympy.Function):
            ref = getattr(type(node), "_ac_owner", None)
            target = ref() if ref is not None else None
            if target is not None and target is not own:
                found[id(target)] = target
    return list(found.values())


@dataclasses.dataclass(frozen=True)
class Internals:
    """What autocallback's own tools read of a `HostFunction` (see `_internal.py`).

    Attributes:
        parameters: its `Parameters` (binding calls, calling with its parameters).
        outputs: its output strategy (`evaluate` calls the host function on NumPy values).
        rule: its derivative rule (None before a deferred function is finished).
    """

    parameters: Parameters
    outputs: OutputSpec
    rule: DerivativeRule | None


def internals(fn: HostFunction[Any]) -> Internals:
    """The read-only view of `fn` that `check` and the command line use."""
    return Internals(fn._params, fn._outputs, fn._rule)


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
    vjp: Callable[..., Any] | None = None,
    static_argnames: str | Sequence[str] = (),
    vmap_method: VmapMethod | None = None,
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
    vjp: Callable[..., Any] | None = None,
    static_argnames: str | Sequence[str] = (),
    vmap_method: VmapMethod | None = None,
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
    vjp: Callable[..., Any] | None = None,
    static_argnames: str | Sequence[str] = (),
    vmap_method: VmapMethod | None = None,
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
        vjp: a JAX-traceable reverse rule `vjp(primals, output, cotangent) ->
            cotangents`, for any function: `primals` is the tuple of non-static arguments,
            `output` the function's value and `cotangent` has the output's structure; it
            returns one cotangent per non-static argument (None for one without). It may
            call decorated host functions (an adjoint computed by SciPy). Alone it gives
            reverse mode (`grad`, `vjp`, `jacrev`) and forward mode raises; with `jvp`
            (the same derivative), forward mode uses `jvp` and reverse mode `vjp`. Not
            together with `derivatives`/`expr`, which give reverse mode already.
        static_argnames: arguments passed to the host unchanged as hashable Python values.
        vmap_method: as for `jax.pure_callback`; default `"expand_dims"` (one host call
            per batched call) for elementwise and signature functions, `"sequential"` for
            `out=`/`"probe"`.
        name: the name used in formulas and messages (default `fn.__name__`); a lambda
            needs one only when its own formulas call it.
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
    options = Options(
        out=out,
        signature=signature,
        dtype=dtype,
        derivatives=derivatives,
        expr=expr,
        jvp=jvp,
        vjp=vjp,
        static_argnames=static_argnames,
        vmap_method=vmap_method,
        name=name,
        examples=examples,
    )
    if fn is None:
        return lambda f: HostFunction(f, options)
    if not callable(fn):
        raise TypeError(
            f"`host_function` takes the function as its only positional argument, got "
            f"{type(fn).__name__}. Pass options by keyword: `@host_function(out=...)`."
        )
    return HostFunction(fn, options)


# Built-in formula names of SciPy functions run natively as host functions of their ufuncs.
_names.use_host_functions(HostFunction)
