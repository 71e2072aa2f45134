"""Derivative terms evaluated natively in XLA where JAX can, the rest in one fused host
call per derivative order.

A tuple of SymPy expressions is split once (and the split cached): the calls of
functions that only the host can evaluate (SciPy functions without a JAX counterpart,
decorated host functions) are evaluated on the host in one call, with `sympy.cse`
sharing their common subexpressions, compiled into a flat list of NumPy/SciPy steps; the
arithmetic around them, and every function JAX has (`exp`, `gamma`, `digamma`, ...), runs
in the XLA program. The function's own value is taken from the primal output. The host
evaluator (`ExprFunction`) is itself differentiable: its JVP rule differentiates its
expressions with SymPy (lazily, once per active argument) and goes through this same
split, so every derivative order costs at most one more host round trip.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
import numpy as np

from . import _kernels, _names, _threads
from ._batching import elementwise_call
from ._cache import LruCache
from ._errors import at_call
from ._host_call import HostCall
from ._program import Program, number

# Bounds of the caches of this module (entries, least recently used dropped first).
EXPR_FUNCTIONS = 512
PLANS = 1024


@dataclasses.dataclass(frozen=True)
class Differentiated:
    """The traced function whose JVP is formed from partial derivatives.

    Attributes:
        primal: the traced primal (flat arrays in, its outputs back), called when its
            value is needed and no fused host call gives it.
        symbols: the SymPy symbols of the differentiable (non-static) arguments.
        outputs: SymPy expressions that stand for the function's own outputs in the
            partials (None: the partials do not refer to them).
        avals: the declared outputs.
        name: the function's name, for messages.
    """

    primal: Callable[..., Any]
    symbols: tuple[Any, ...]
    outputs: tuple[Any, ...] | None
    avals: tuple[jax.ShapeDtypeStruct, ...]
    name: str


@dataclasses.dataclass
class Partials:
    """The partial derivatives of one traced call, per active argument index:
    `exprs[i][k]`, d(output k)/d(argument i) as a SymPy expression of the symbols, or
    `values[i][k]` as a JAX array (from a callable)."""

    exprs: dict[int, tuple[Any, ...]] = dataclasses.field(default_factory=dict)
    values: dict[int, Sequence[jax.Array]] = dataclasses.field(default_factory=dict)


def unclosed_error(name: str, arg: str, leftover: Any, where: str) -> TypeError:
    """The error for a derivative SymPy could not close (`where`: "from expr=", or "needed
    at this order"), at first order and at higher orders alike."""
    return TypeError(
        f"{at_call(name)} SymPy could not derive the derivative with respect to argument "
        f"'{arg}' {where} (it left {leftover}). Pass `derivatives={{'{arg}': "
        f"autocallback.numerical()}}` to compute it numerically, a formula, or None to treat "
        f"'{arg}' as constant."
    )


def has_unclosed(expr: Any) -> bool:
    """Whether SymPy left something it could not differentiate or evaluate."""
    import sympy

    return bool(expr.has(sympy.Derivative, sympy.Subs, sympy.Integral)) or bool(
        expr.atoms(sympy.Function)
        and any(type(f).__name__ in ("meijerg", "hyper") for f in expr.atoms(sympy.Function))
    )


def _needs_host(func: Any) -> bool:
    """Whether calls of the SymPy function class `func` must be evaluated on the host: it
    has a host implementation and no native JAX one (a decorated host function's JAX
    implementation is its own callback: fusing it into the one host call is cheaper)."""
    import sympy

    if func in (sympy.Piecewise, sympy.Min, sympy.Max):
        return False
    if _names.builtin_jax_impl(func) is not None:
        return False
    if _names.is_native(func) and not _names.is_symbolic(func):
        return False
    return _names.host_impl(func) is not None


# --------------------------------------------------------------------------------------
# Fused host evaluation with derivatives of any order


class ExprFunction:
    """A tuple of SymPy expressions of `params`, evaluated on the host in one call."""

    _cache: ClassVar[LruCache[Any, ExprFunction]] = LruCache(EXPR_FUNCTIONS)

    def __init__(
        self, params: tuple[Any, ...], exprs: tuple[Any, ...], name: str, native: bool = False
    ):
        self.params = params
        self.exprs = exprs
        self.name = name
        # Every call in the expressions runs in XLA (JAX's own functions and native
        # kernels): evaluated in the program, still differentiated with SymPy (so that
        # Piecewise branches never meet reverse-mode NaN).
        self.native = native
        self._partials: dict[int, tuple[Any, ...]] = {}
        self._plock = threading.Lock()
        self._program: Program | None = None

    @property
    def program(self) -> Program:
        if self._program is None:
            program = Program(self.params, self.exprs)
            with self._plock:
                if self._program is None:
                    self._program = program
        return self._program

    @classmethod
    def get(
        cls, params: tuple[Any, ...], exprs: tuple[Any, ...], name: str, native: bool = False
    ) -> ExprFunction:
        return cls._cache.get(
            (params, exprs, native), lambda: ExprFunction(params, exprs, name, native)
        )

    def host(self, *arrays: Any) -> list[Any]:
        program = self.program
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
        if program.thread_safe and _threads.worth_splitting(shape):
            return _threads.map_row_blocks(lambda *a: _evaluate(program, a), arrays, shape)
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
        if self.native:
            program = Program(self.params, self.exprs, jnp)

            def primal(*a: jax.Array) -> list[jax.Array]:
                return [
                    jnp.broadcast_to(jnp.asarray(r, v.dtype), v.shape)
                    for r, v in zip(program(*a), avals, strict=True)
                ]
        else:
            _ = self.program  # compile at trace time, not in the first host call
            call = HostCall(self.host, tuple(avals), self.name)

            def primal(*a: jax.Array) -> list[jax.Array]:
                return elementwise_call(call, a)

        f = jax.custom_jvp(primal)
        differentiated = Differentiated(
            lambda *a: f(*a), self.params, self.exprs, tuple(avals), self.name
        )

        def rule(primals: Sequence[jax.Array], tangents: Sequence[Any]) -> tuple[Any, Any]:
            partials = Partials()
            for i in active_indices(primals, tangents):
                p = self.partials(i)
                bad = [q for q in p if has_unclosed(q)]
                if bad:
                    raise unclosed_error(
                        self.name, str(self.params[i]), bad[0], "needed at this order"
                    )
                partials.exprs[i] = p
            return jvp_from_partials(differentiated, partials, primals, tangents)

        f.defjvp(rule, symbolic_zeros=True)
        return list(f(*[jnp.asarray(a) for a in args]))


def _evaluate(program: Program, arrays: Sequence[Any], shape: Any = None) -> list[Any]:
    with np.errstate(all="ignore"):
        results = program(*arrays)
    # A formula need not use every argument (d(a*x**2)/da = x**2): broadcast.
    if shape is None:
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays))
    return [r if np.shape(r) == shape else np.broadcast_to(r, shape) for r in results]


def active_indices(primals: Sequence[Any], tangents: Sequence[Any]) -> list[int]:
    """Arguments with a tangent to push forward: floating, and not a symbolic zero."""
    from jax.custom_derivatives import SymbolicZero

    out = []
    for i, (p, t) in enumerate(zip(primals, tangents, strict=True)):
        if isinstance(t, SymbolicZero):
            continue
        if not jnp.issubdtype(jnp.result_type(p), jnp.inexact):
            continue
        out.append(i)
    return out


# --------------------------------------------------------------------------------------
# The split between the host and the XLA program


class _Plan:
    """How one order's partials are evaluated (built once per set of expressions).

    `host_exprs` go to the host in one call (after the function's outputs when `fused`);
    `native` (a JAX `Program`, or None) computes every partial from the parameters, the
    function's outputs and the host values.
    """

    def __init__(
        self,
        params: tuple[Any, ...],
        outputs: tuple[Any, ...] | None,
        exprs: tuple[Any, ...],
    ):
        import sympy

        outs = tuple(o for o in (outputs or ()) if not o.is_Atom)
        nodes: dict[Any, None] = {}  # host-only calls, outermost first, in order
        whole: list[int] = []  # partials evaluated whole on the host
        with_host = []  # partials that need the host at all
        for j, e in enumerate(exprs):
            found = _host_nodes(e, outs)
            if e.has(sympy.Piecewise):
                # jnp.select would put NaN from the unselected branch into reverse-mode
                # derivatives: branches are evaluated on the host.
                whole.append(j)
            else:
                nodes.update(dict.fromkeys(found))
            if found or j in whole:
                with_host.append(j)
        # The least data between host and device: the host-only calls, or whole partials
        # when those are fewer (jv' = (J_{v-1} - J_{v+1})/2 is one array, not two).
        if len(with_host) < len(nodes) + len(whole):
            whole, nodes = with_host, {}
        host_exprs = [exprs[j] for j in whole] + list(nodes)
        self.host_exprs = tuple(host_exprs)
        self.uses_outputs = any(e.has(o) for e in exprs for o in outs)
        # The primal joins the host call when there is one and its value is needed.
        self.fused = self.uses_outputs and bool(host_exprs)
        # Native program over (params, outputs, host values).
        dummies = [sympy.Dummy(f"h{k}") for k in range(len(host_exprs))]
        out_dummies = [sympy.Dummy(f"o{k}") for k in range(len(outs))]
        replace = dict(zip(list(nodes), dummies[len(whole) :], strict=True))
        replace.update(zip(outs, out_dummies, strict=True))
        native_exprs = []
        for j, e in enumerate(exprs):
            if j in whole:
                native_exprs.append(dummies[whole.index(j)])
            else:
                native_exprs.append(e.xreplace(replace))
        # Whether the "host" expressions can all run in XLA after all (Piecewise
        # formulas of native functions).
        # Numerical partials of native functions land here too: evaluated in the program,
        # differentiated by SymPy (mixed partials are then one and the same function).
        self.in_program = bool(host_exprs) and all(
            not _needs_host(type(f)) or _names.is_native(type(f))
            for e in (*host_exprs, *outs)
            for f in e.atoms(sympy.Function)
        )
        self.n_outputs = len(outs)
        self.output_positions = [k for k, o in enumerate(outputs or ()) if not o.is_Atom]
        self.native = Program((*params, *out_dummies, *dummies), native_exprs, jnp)

    def evaluate(
        self,
        fn: Differentiated,
        primals: Sequence[jax.Array],
        host_avals: Sequence[jax.ShapeDtypeStruct],
    ) -> tuple[list[Any], list[Any]]:
        m = len(fn.avals)
        if self.fused:
            assert fn.outputs is not None
            host = ExprFunction.get(
                fn.symbols, tuple(fn.outputs) + self.host_exprs, fn.name, self.in_program
            )
            res = host(primals, [*fn.avals, *host_avals])
            primal_out, host_vals = list(res[:m]), list(res[m:])
        else:
            primal_out = _primal_values(fn, primals)
            host_vals = []
            if self.host_exprs:
                host = ExprFunction.get(fn.symbols, self.host_exprs, fn.name, self.in_program)
                host_vals = list(host(primals, list(host_avals)))
        outs = (
            [primal_out[k] for k in self.output_positions]
            if self.uses_outputs
            else [jnp.zeros((), jnp.result_type(float))] * self.n_outputs
        )
        return primal_out, self.native(*primals, *outs, *host_vals)


def _host_nodes(e: Any, outputs: tuple[Any, ...]) -> list[Any]:
    """The outermost calls in `e` that only the host can evaluate (the function's own
    outputs excepted: they come from the primal)."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if node in outputs:
            return
        if node.is_Function and _needs_host(type(node)):
            found.append(node)
            return
        for a in node.args:
            walk(a)

    walk(e)
    return found


_plans: LruCache[Any, _Plan] = LruCache(PLANS)


def _primal_values(fn: Differentiated, primals: Sequence[jax.Array]) -> list[Any]:
    out = fn.primal(*primals)
    return list(out) if isinstance(out, (list, tuple)) else [out]


def jvp_from_partials(
    fn: Differentiated,
    partials: Partials,
    primals: Sequence[jax.Array],
    tangents: Sequence[Any],
) -> tuple[list[jax.Array], list[jax.Array]]:
    """Primal and tangent outputs from partial derivatives.

    In `partials.exprs`, `fn.outputs[k]` (when given) stands for the function's own value.
    Terms JAX can evaluate run in the XLA program; host-only calls go to the host in one
    call, fused with the primal when they, or the native terms, use the function's value
    (as J' = J_{v-1} - (v/z) J_v uses J_v), otherwise the primal is computed separately so
    that `jax.grad` (which drops an unused primal) does no extra host work.
    """
    values, primal_out = _partial_values(fn, partials, primals)
    tangent_out = []
    for k, aval in enumerate(fn.avals):
        if not jnp.issubdtype(aval.dtype, jnp.inexact):
            # Integer and boolean outputs have no tangent space.
            tangent_out.append(np.zeros(aval.shape, jax.dtypes.float0))
            continue
        total = None
        for i in partials.exprs.keys() | partials.values.keys():
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


def _partial_values(
    fn: Differentiated, partials: Partials, primals: Sequence[jax.Array]
) -> tuple[dict[tuple[int, int], Any], list[Any]]:
    """Every partial's value, keyed (argument, output), and the primal outputs."""
    import sympy

    values: dict[tuple[int, int], Any] = {}
    keyed: list[tuple[tuple[int, int], Any]] = []
    for i, exprs in partials.exprs.items():
        for k, e in enumerate(exprs):
            if e.is_zero:
                values[(i, k)] = None
            elif not e.free_symbols and not e.atoms(sympy.Function):
                values[(i, k)] = number(e)
            else:
                keyed.append(((i, k), e))
    for i, vals in partials.values.items():
        for k, v in enumerate(vals):
            values[(i, k)] = v
    exprs = tuple(e for _, e in keyed)
    if not exprs:
        return values, _primal_values(fn, primals)
    # What runs natively depends on x64 (numerical partials do in float64 only) and on
    # whether native kernels are on.
    key = (
        fn.symbols,
        fn.outputs,
        exprs,
        bool(jax.config.read("jax_enable_x64")),
        _kernels.available(),
    )
    plan = _plans.get(key, lambda: _Plan(fn.symbols, fn.outputs, exprs))
    host_avals = [_host_aval(e, keyed, fn.avals) for e in plan.host_exprs]
    primal_out, results = plan.evaluate(fn, primals, host_avals)
    for (key, _), v in zip(keyed, results, strict=True):
        values[key] = v
    return values, primal_out


def _host_aval(
    e: Any,
    keyed: Sequence[tuple[tuple[int, int], Any]],
    avals: Sequence[jax.ShapeDtypeStruct],
) -> jax.ShapeDtypeStruct:
    """The declared output of one host expression: that of the output whose partial it
    is, or contains it."""
    for (_, k), whole in keyed:
        if whole == e:
            return avals[k]
    for (_, k), whole in keyed:
        if whole.has(e):
            return avals[k]
    return avals[0]
