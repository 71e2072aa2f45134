"""SymPy expressions compiled once into flat step lists, evaluated with NumPy or JAX.

No code is generated and nothing is passed to `exec`: each step is a function from the
formula-name table (or arithmetic) and the slots of its operands.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _names


def number(x: Any) -> Any:
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
    `xp=jnp` they are JAX functions, evaluated natively in the XLA program (the caller
    has moved host-only calls to the host). `params` may hold any expressions, not only symbols: their
    values are inputs (the primal output, results of a host call).
    """

    def __init__(
        self,
        params: Sequence[Any],
        exprs: Sequence[Any],
        xp: Any = np,
    ):
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
            return (number(e),)
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
            impl = _names.jax_impl(func)
            if impl is None:
                raise TypeError(f"'{func.__name__}' has no JAX implementation")
            return self._add(impl, ops)
        impl = _names.host_impl(func)
        if impl is None:
            raise TypeError(f"'{func.__name__}' has no host implementation")
        if not (
            isinstance(impl, np.ufunc)
            or _names.is_builtin_host(impl)
            or getattr(impl, "thread_safe", False)
        ):
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
