"""SymPy expressions evaluated on the host (fused, with shared subexpressions) or in JAX.

A tuple of SymPy expressions of a function's parameters is evaluated on the host in one
call: `sympy.cse` shares common subexpressions, and the result is compiled once into a
flat list of NumPy/SciPy steps from the registry (no code generation, no `exec`). That
evaluator is itself differentiable: its JVP rule differentiates the expressions with SymPy
(lazily, once per set of active arguments, cached) and evaluates values and partials in
one more host call. So each derivative order costs one host round trip.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
import numpy as np

from . import _callback, _registry

__all__ = ["ExprFunction", "function_class", "has_unclosed", "host_evaluable"]


def function_class(
    name: str,
    *,
    host: Callable[..., Any] | None,
    jax: Callable[..., Any] | None,
    fdiff: Callable[[Any, int], Any] | None = None,
    nargs: int | None = None,
) -> Any:
    """A SymPy function class standing for a decorated or registered function."""
    import sympy

    namespace: dict[str, Any] = {
        "_ac_host": staticmethod(host) if host else None,
        "_ac_jax": staticmethod(jax) if jax else None,
    }
    if nargs is not None:
        namespace["nargs"] = nargs
    if fdiff is not None:

        def _fdiff(self: Any, argindex: int = 1) -> Any:
            result = fdiff(self, argindex)
            if result is None:
                from sympy.core.function import ArgumentIndexError

                raise ArgumentIndexError(self, argindex)
            return result

        namespace["fdiff"] = _fdiff
    return type(name, (sympy.Function,), namespace)


def has_unclosed(expr: Any) -> bool:
    """Whether SymPy left something it could not differentiate or evaluate."""
    import sympy

    return bool(expr.has(sympy.Derivative, sympy.Subs, sympy.Integral)) or bool(
        expr.atoms(sympy.Function)
        and any(type(f).__name__ in ("meijerg", "hyper") for f in expr.atoms(sympy.Function))
    )


def host_evaluable(expr: Any) -> bool:
    """Whether every function in `expr` has a host implementation."""
    import sympy

    for f in expr.atoms(sympy.Function):
        if isinstance(f, (sympy.Piecewise, sympy.Min, sympy.Max)):
            continue
        if _registry.host_impl(type(f)) is None:
            return False
    return True


# --------------------------------------------------------------------------------------
# Compiled programs


def _number(x: Any) -> Any:
    import sympy

    if x is sympy.S.ImaginaryUnit:
        return 1j
    if x.is_Integer:
        return int(x)
    if x is sympy.S.Infinity:
        return np.inf
    if x is sympy.S.NegativeInfinity:
        return -np.inf
    if x is sympy.S.NaN or x is sympy.S.ComplexInfinity:
        return np.nan
    c = complex(x)
    return c.real if c.imag == 0 else c


def compile_exprs(exprs: Sequence[Any]) -> tuple[list[tuple[Any, Any]], list[Any]]:
    """Common subexpressions of `exprs`, shared (`sympy.cse`)."""
    import sympy

    replacements, reduced = sympy.cse(list(exprs), optimizations=None)
    return list(replacements), list(reduced)


_COMPARISONS = {
    "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal",
    "==": "equal", "!=": "not_equal",
}  # fmt: skip


class Program:
    """SymPy expressions compiled once into a flat list of steps.

    Each step is `(slot, function, operands)`, an operand being a slot number or a
    constant; common subexpressions (`sympy.cse`) get one slot each. With `xp=np` the
    functions are NumPy/SciPy (the host side of the fused evaluation; a multi-output host
    call, `airy` behind Ai and Ai', is one step shared by its projections); with
    `xp=jnp` they are JAX functions, for formulas that call JAX-only registered
    functions (functions without a JAX implementation become decorated host functions).
    """

    def __init__(self, params: Sequence[Any], exprs: Sequence[Any], xp: Any = np):
        import sympy

        self.xp = xp
        self.n_params = len(params)
        self.steps: list[tuple[int, Callable[..., Any], tuple[Any, ...]]] = []
        slots: dict[Any, int] = {p: i for i, p in enumerate(params)}
        self._next = len(params)
        self._multi: dict[Any, int] = {}
        # Whether every step is NumPy/SciPy code of ours (ufuncs, the registry's built-in
        # implementations, arithmetic), so blocks of rows may be evaluated in parallel.
        self.thread_safe = True
        replacements, reduced = compile_exprs(exprs)
        for sym, sub in replacements:
            slots[sym] = self._emit(sub, slots, sympy)
        self.outputs = [self._emit(e, slots, sympy) for e in reduced]

    def _add(self, fn: Callable[..., Any], operands: Sequence[Any]) -> int:
        slot = self._next
        self._next += 1
        self.steps.append((slot, fn, tuple(operands)))
        return slot

    def _emit(self, e: Any, slots: dict[Any, int], sympy: Any) -> Any:
        """The slot holding `e` (or `e` as a Python constant, wrapped in a 1-tuple)."""
        xp = self.xp
        if e in slots:
            return slots[e]
        if (
            e.is_Number
            or e.is_NumberSymbol
            or e is sympy.S.ImaginaryUnit
            or e in (sympy.S.ComplexInfinity, sympy.S.NaN)
        ):
            return (_number(e),)
        if e is sympy.true or e is sympy.false:
            return (bool(e),)
        if e.is_Symbol:
            raise KeyError(f"free symbol {e} has no value")
        if isinstance(e, sympy.Piecewise):
            flat = [part for pair in e.args for part in pair.args]
            ops = [self._emit(a, slots, sympy) for a in flat]
        else:
            ops = [self._emit(a, slots, sympy) for a in e.args]
        if e.is_Add:
            slot = self._add(_sum, ops)
        elif e.is_Mul:
            slot = self._add(_prod, ops)
        elif e.is_Pow:
            exp = e.args[1]
            if exp.is_Integer and int(exp) < 0:
                n = -int(exp)
                slot = self._add(lambda b, n=n: 1.0 / (b**n if n > 1 else b), ops[:1])
            elif exp.is_Integer:
                slot = self._add(lambda b, n=int(exp): b**n, ops[:1])
            elif exp == sympy.Rational(1, 2):
                slot = self._add(xp.sqrt, ops[:1])
            elif exp == sympy.Rational(-1, 2):
                slot = self._add(lambda b: 1.0 / xp.sqrt(b), ops[:1])
            else:
                slot = self._add(xp.power, ops)
        elif isinstance(e, sympy.Piecewise):
            slot = self._add(functools.partial(_piecewise, xp), ops)
        elif isinstance(e, sympy.core.relational.Relational):
            op = _COMPARISONS[getattr(e, "rel_op")]  # noqa: B009 - not in SymPy's stubs
            slot = self._add(getattr(xp, op), ops)
        elif isinstance(e, (sympy.Function, sympy.Min, sympy.Max)):
            slot = self._function(type(e), ops)
        else:
            raise TypeError(f"cannot evaluate {type(e).__name__} node {e}")
        slots[e] = slot
        return slot

    def _function(self, func: Any, ops: list[Any]) -> int:
        if self.xp is not np:
            impl = _registry.jax_impl(func) or builtin_host_function(func, len(ops))
            return self._add(impl, ops)
        impl = _registry.host_impl(func)
        if impl is None:
            raise TypeError(f"'{func.__name__}' has no host implementation")
        if not (isinstance(impl, np.ufunc) or _registry.is_builtin_host(impl)):
            self.thread_safe = False  # user code: call it from one thread only
        multi = getattr(impl, "multi", None)
        if multi is None:
            return self._add(impl, ops)
        fn, index = multi
        key = (fn, tuple(ops))
        if key not in self._multi:
            self._multi[key] = self._add(fn, ops)
        return self._add(lambda t, i=index: t[i], (self._multi[key],))

    def __call__(self, *arrays: Any) -> list[Any]:
        values: list[Any] = list(arrays) + [None] * (self._next - self.n_params)
        for slot, fn, operands in self.steps:
            values[slot] = fn(*[o[0] if isinstance(o, tuple) else values[o] for o in operands])
        return [o[0] if isinstance(o, tuple) else values[o] for o in self.outputs]


def _sum(*terms: Any) -> Any:
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _prod(*factors: Any) -> Any:
    total = factors[0]
    for f in factors[1:]:
        total = total * f
    return total


def _piecewise(xp: Any, *operands: Any) -> Any:
    vals, conds = operands[0::2], operands[1::2]
    shape = np.broadcast_shapes(*(np.shape(v) for v in vals), *(np.shape(c) for c in conds))
    return xp.select(
        [xp.broadcast_to(c, shape) for c in conds],
        [xp.broadcast_to(v, shape) for v in vals],
        xp.nan,
    )


@functools.cache
def builtin_host_function(func: Any, nargs: int) -> Callable[..., Any]:
    """A decorated host function for a built-in SymPy function with no JAX implementation,
    so that JAX-side formulas can call it (with SymPy-derived derivatives)."""
    import sympy

    from ._decorator import HostFunction

    impl = _registry.host_impl(func)
    assert impl is not None
    params = [f"a{i}" for i in range(nargs)]
    symbols = [sympy.Symbol(p, real=True) for p in params]
    return HostFunction._internal(impl, name=func.__name__, params=params, expr=func(*symbols))


# --------------------------------------------------------------------------------------
# Fused evaluation with derivatives of any order


class ExprFunction:
    """A tuple of SymPy expressions of `params`, evaluated on the host in one call."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _cache: ClassVar[dict[Any, ExprFunction]] = {}

    def __init__(self, params: tuple[Any, ...], exprs: tuple[Any, ...], name: str):
        self.params = params
        self.exprs = exprs
        self.name = name
        self._partials: dict[int, tuple[Any, ...]] = {}
        self._plock = threading.Lock()
        self._program: Any = None

    @property
    def program(self) -> Program:
        if self._program is None:
            program = Program(self.params, self.exprs)
            with self._plock:
                if self._program is None:
                    self._program = program
        return self._program

    @classmethod
    def get(cls, params: tuple[Any, ...], exprs: tuple[Any, ...], name: str) -> ExprFunction:
        key = (params, exprs)
        with cls._lock:
            fn = cls._cache.get(key)
            if fn is None:
                fn = cls._cache[key] = ExprFunction(params, exprs, name)
            return fn

    def host(self, *arrays: Any) -> list[Any]:
        program = self.program
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
        if program.thread_safe and _callback.worth_splitting(shape):
            return _callback.map_row_blocks(lambda *a: _evaluate(program, a), arrays, shape)
        return _evaluate(program, arrays, shape)

    def partials(self, index: int) -> tuple[Any, ...]:
        """d(exprs)/d(params[index]), derived once."""
        with self._plock:
            got = self._partials.get(index)
        if got is None:
            got = tuple(e.diff(self.params[index]) for e in self.exprs)
            with self._plock:
                self._partials[index] = got
        return got

    def __call__(
        self, args: Sequence[jax.Array], avals: Sequence[jax.ShapeDtypeStruct]
    ) -> list[jax.Array]:
        from ._decorator import elementwise_call

        exprs = self.exprs
        name = self.name
        _ = self.program  # compile at trace time, not in the first host call

        def primal(*a: jax.Array) -> list[jax.Array]:
            return elementwise_call(self.host, list(a), list(avals), name=name)

        f = jax.custom_jvp(primal)

        def rule(primals: Sequence[jax.Array], tangents: Sequence[Any]) -> tuple[Any, Any]:
            partial_exprs: dict[int, tuple[Any, ...]] = {}
            for i in active_indices(primals, tangents):
                p = self.partials(i)
                bad = [q for q in p if has_unclosed(q)]
                if bad:
                    raise ValueError(
                        f"`{name}`: SymPy could not close the derivative with respect to "
                        f"'{self.params[i]}' needed at this order: {bad[0]}. Give that "
                        f"derivative in `derivatives=`."
                    )
                partial_exprs[i] = p
            return jvp_from_partials(
                lambda *a: f(*a),
                self.params,
                exprs,
                partial_exprs,
                {},
                primals,
                tangents,
                avals,
                name,
            )

        f.defjvp(rule, symbolic_zeros=True)
        return list(f(*args))


def _evaluate(program: Program, arrays: Sequence[Any], shape: Any = None) -> list[Any]:
    with np.errstate(all="ignore"):
        results = program(*arrays)
    # A formula need not use every argument (d(a*x**2)/da = x**2): broadcast.
    if shape is None:
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
    return [r if np.shape(r) == shape else np.broadcast_to(r, shape) for r in results]


def active_indices(primals: Sequence[Any], tangents: Sequence[Any]) -> list[int]:
    from jax.custom_derivatives import SymbolicZero

    out = []
    for i, (p, t) in enumerate(zip(primals, tangents, strict=True)):
        if isinstance(t, SymbolicZero):
            continue
        if not jnp.issubdtype(jnp.result_type(p), jnp.inexact):
            continue
        out.append(i)
    return out


def jvp_from_partials(
    primal_call: Callable[..., Any],
    params: tuple[Any, ...],
    outputs: tuple[Any, ...] | None,
    partial_exprs: dict[int, tuple[Any, ...]],
    partial_values: dict[int, Sequence[jax.Array]],
    primals: Sequence[jax.Array],
    tangents: Sequence[Any],
    avals: Sequence[jax.ShapeDtypeStruct],
    name: str,
) -> tuple[list[jax.Array], list[jax.Array]]:
    """Primal and tangent outputs from partial derivatives.

    `partial_exprs[i][k]` is d(output k)/d(argument i) as a SymPy expression;
    `partial_values[i][k]` the same as a JAX array (from a callable). Host-evaluable,
    non-constant partials are evaluated together in one host call; when they use one of
    the `outputs` expressions (as J' = J_{v-1} - (v/z) J_v uses J_v), the primal is
    computed in that same call, otherwise separately, so that `jax.grad` (which drops the
    unused primal) does no extra host work.
    """
    import sympy

    m = len(avals)
    values: dict[tuple[int, int], Any] = {}
    host_items: list[tuple[tuple[int, int], Any]] = []
    for i, exprs in partial_exprs.items():
        for k, e in enumerate(exprs):
            if e.is_zero:
                values[(i, k)] = None
            elif not e.free_symbols and not e.atoms(sympy.Function):
                values[(i, k)] = _number(e)
            elif host_evaluable(e):
                host_items.append(((i, k), e))
            else:
                values[(i, k)] = Program(params, [e], jnp)(*primals)[0]
    for i, vals in partial_values.items():
        for k, v in enumerate(vals):
            values[(i, k)] = v

    host_exprs = tuple(e for _, e in host_items)
    fuse = outputs is not None and any(
        e.has(o) for e in host_exprs for o in outputs if not o.is_Atom
    )
    if fuse:
        assert outputs is not None
        fn = ExprFunction.get(params, tuple(outputs) + host_exprs, name)
        out_avals = list(avals) + [avals[k] for (_, k), _ in host_items]
        res = fn(primals, out_avals)
        primal_out, host_vals = res[:m], res[m:]
    else:
        primal_out = primal_call(*primals)
        primal_out = list(primal_out) if isinstance(primal_out, (list, tuple)) else [primal_out]
        host_vals = []
        if host_exprs:
            fn = ExprFunction.get(params, host_exprs, name)
            host_vals = fn(primals, [avals[k] for (_, k), _ in host_items])
    for ((i, k), _), v in zip(host_items, host_vals, strict=True):
        values[(i, k)] = v

    tangent_out = []
    for k, aval in enumerate(avals):
        if not jnp.issubdtype(aval.dtype, jnp.inexact):
            # Integer and boolean outputs have no tangent space.
            tangent_out.append(np.zeros(aval.shape, jax.dtypes.float0))
            continue
        total = None
        for i in partial_exprs.keys() | partial_values.keys():
            p = values.get((i, k))
            if p is None:
                continue
            term = p * tangents[i]
            total = term if total is None else total + term
        if total is None:
            total = jnp.zeros(aval.shape, aval.dtype)
        else:
            if jnp.iscomplexobj(total) and not jnp.issubdtype(aval.dtype, jnp.complexfloating):
                total = jnp.real(total)
            total = jnp.broadcast_to(jnp.asarray(total, aval.dtype), aval.shape)
        tangent_out.append(total)
    return primal_out, tangent_out
