"""Derivative rules, chosen once at decoration time.

A rule turns the traced primal into a differentiable function (`wrap`). `Formulas` holds
one partial derivative per argument (a small class per kind: `Zero`, `Callable`,
`Symbolic`, `Unclosed`) and pushes tangents forward through `jvp_from_partials`; `UserRule`
calls a user's `jvp=` and/or `vjp=`. Formulas are parsed and `expr=` is differentiated here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _names
from ._errors import FormulaError, at_call, at_decoration
from ._fused import active_indices, has_unclosed, jvp_from_partials
from ._linear import LinearMap, apply
from ._numerical import NumericalPartials, numerical
from ._parameters import Parameters

__all__ = ["DerivativeRule", "Formulas", "UserRule", "derivative_rule"]


# --------------------------------------------------------------------------------------
# Partial derivatives, one kind each


class Partial:
    """The partial derivative of the outputs with respect to one argument."""

    #: whether the argument has a derivative (`check` verifies those)
    differentiable = True


class Zero(Partial):
    """`None`: declared non-differentiable; its tangent is taken as zero."""

    differentiable = False


class CallablePartial(Partial):
    """A JAX-traceable callable with the function's parameters."""

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn


class Symbolic(Partial):
    """One SymPy expression per output, of the function's parameter symbols."""

    def __init__(self, exprs: tuple[Any, ...]):
        self.exprs = exprs


class Unclosed(Partial):
    """SymPy could not close the derivative of `expr=`: an error when differentiated."""

    differentiable = False

    def __init__(self, leftover: Any):
        self.leftover = leftover


# --------------------------------------------------------------------------------------
# Rules


class DerivativeRule:
    """How a host function is differentiated."""

    def differentiable(self, param: str) -> bool:
        """Whether `param` has a derivative."""
        raise NotImplementedError

    def wrap(
        self,
        primal: Callable[..., list[jax.Array]],
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        treedef: Any = None,
    ) -> Callable[..., list[jax.Array]]:
        """`primal` (flat arrays in, a list of outputs back), made differentiable
        (`treedef`: the output tree, None for a list of `nout` arrays)."""
        f = jax.custom_jvp(primal)
        f.defjvp(self.jvp_rule(static, avals, treedef, lambda *a: f(*a)), symbolic_zeros=True)
        return f

    def jvp_rule(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        treedef: Any,
        primal_call: Callable[..., Any],
    ) -> Callable[..., tuple[Any, Any]]:
        """The `custom_jvp` rule `(primals, tangents) -> (primal_out, tangent_out)`."""
        raise NotImplementedError


def _short_list(table: Mapping[str, Any]) -> str:
    names = [n for n in table if n not in ("pi", "E", "I")]
    shown = ", ".join(names[:12])
    return f"{shown}, ... ({len(names)} in all: see the formulas guide)"


class Formulas(DerivativeRule):
    """Partial derivatives per argument: formulas, `expr=`-derived, callables or None."""

    def __init__(
        self,
        params: Parameters,
        *,
        nout: int,
        multi: bool,
        partials: dict[str, Partial],
        derivatives: dict[str, Any],
        own: Any,
    ):
        self.params = params
        self.name = params.name
        self.nout = nout
        self.multi = multi
        self.partials = partials
        self.derivatives = derivatives
        self.own = own
        self._symbols = _symbols(params)
        self._param_symbols = tuple(self._symbols[p] for p in params.dynamic)
        self._outputs_expr = (
            None if multi or own is None else (own(*[self._symbols[q] for q in params.names]),)
        )

    def differentiable(self, param: str) -> bool:
        partial = self.partials.get(param)
        return partial is not None and partial.differentiable

    def fdiff(self, node: Any, argindex: int) -> Any:
        """d(own function)/d(argument argindex) at `node`, for SymPy (None: unknown)."""
        param = self.params.names[argindex - 1]
        partial = self.partials.get(param)
        if not isinstance(partial, Symbolic) or self.multi:
            return None
        mapping = {self._symbols[p]: a for p, a in zip(self.params.names, node.args, strict=True)}
        return partial.exprs[0].xreplace(mapping)

    def jvp_rule(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        treedef: Any,
        primal_call: Callable[..., Any],
    ) -> Callable[..., tuple[Any, Any]]:
        del treedef  # partials are per flat output
        subs = _static_substitutions(self._symbols, static)
        name, params = self.name, self.params

        def rule(primals: Sequence[jax.Array], tangents: Sequence[Any]) -> tuple[Any, Any]:
            partial_exprs: dict[int, tuple[Any, ...]] = {}
            partial_values: dict[int, Sequence[jax.Array]] = {}
            for i in active_indices(primals, tangents):
                p = params.dynamic[i]
                partial = self.partials.get(p)
                if partial is None:
                    raise TypeError(
                        f"`{name}` has no derivative with respect to argument '{p}', which "
                        f"is being differentiated. Pass `derivatives={{'{p}': ...}}` (a formula, "
                        f"a JAX-traceable callable, `autocallback.numerical()`, or None to treat "
                        f"it as constant) or `expr=`."
                    )
                if isinstance(partial, Zero):
                    continue
                if isinstance(partial, Unclosed):
                    raise TypeError(
                        f"`{name}`: SymPy could not derive the derivative with respect to "
                        f"argument '{p}' from expr= (it left {partial.leftover}). Pass "
                        f"`derivatives={{'{p}': autocallback.numerical()}}` to compute it "
                        f"numerically, a formula, or None to treat '{p}' as constant."
                    )
                if isinstance(partial, CallablePartial):
                    res = params.call(partial.fn, static, primals)
                    partial_values[i] = list(res) if self.multi else [res]
                    continue
                assert isinstance(partial, Symbolic)
                partial_exprs[i] = tuple(e.xreplace(subs) if subs else e for e in partial.exprs)
            outputs = None
            if self._outputs_expr is not None and partial_exprs:
                outputs = tuple(o.xreplace(subs) if subs else o for o in self._outputs_expr)
            return jvp_from_partials(
                primal_call,
                self._param_symbols,
                outputs,
                partial_exprs,
                partial_values,
                primals,
                tangents,
                avals,
                name,
            )

        return rule


def _symbols(params: Parameters) -> dict[str, Any]:
    import sympy

    return {p: sympy.Symbol(p, real=True) for p in params.names}


def _static_substitutions(symbols: Mapping[str, Any], static: Mapping[str, Any]) -> dict[Any, Any]:
    """Static values that are numbers enter the formulas as constants (booleans as 0/1)."""
    if not static:
        return {}
    import sympy

    subs: dict[Any, Any] = {}
    for s, v in static.items():
        if not isinstance(v, (int, float, complex, bool, np.number, np.bool_)):
            continue
        with contextlib.suppress(TypeError, ValueError):
            subs[symbols[s]] = sympy.sympify(int(v) if isinstance(v, (bool, np.bool_)) else v)
    return subs


class UserRule(DerivativeRule):
    """`jvp=` and/or `vjp=`: the tangent map is one `linear_p` equation (`_linear.py`)
    whose forward map is the user's `jvp` and whose transpose is the user's `vjp`.

    Without `vjp`, the transpose is JAX's transpose of the `jvp` tangent map (as for any
    `custom_jvp` rule); where that fails, because the map passes tangents to host
    functions, the error names `vjp=`. Without `jvp`, evaluating the tangent map (forward
    mode) raises an error naming `jvp=`.
    """

    def __init__(
        self,
        params: Parameters,
        *,
        multi: bool,
        jvp: Callable[..., Any] | None = None,
        vjp: Callable[..., Any] | None = None,
    ):
        self.params = params
        self.name = params.name
        self.multi = multi
        self.jvp = jvp
        self.vjp = vjp

    def differentiable(self, param: str) -> bool:
        return True

    def _structure(self, treedef: Any, leaves: Sequence[Any]) -> Any:
        """Flat outputs as the function returns them."""
        if treedef is not None:
            return jax.tree.unflatten(treedef, leaves)
        return tuple(leaves) if self.multi else leaves[0]

    def jvp_rule(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        treedef: Any,
        primal_call: Callable[..., Any],
    ) -> Callable[..., tuple[Any, Any]]:
        del static  # jvp= and vjp= see the non-static arguments only
        from jax.custom_derivatives import SymbolicZero

        name = self.name
        floats = [j for j, a in enumerate(avals) if jnp.issubdtype(a.dtype, jnp.inexact)]

        def rule(primals: Sequence[jax.Array], tangents: Sequence[Any]) -> tuple[Any, Any]:
            primal_out = list(primal_call(*primals))
            active = [
                i
                for i, (p, t) in enumerate(zip(primals, tangents, strict=True))
                if not isinstance(t, SymbolicZero) and jnp.issubdtype(p.dtype, jnp.inexact)
            ]
            tangent_out: list[Any] = [np.zeros(a.shape, jax.dtypes.float0) for a in avals]
            if not floats:
                return primal_out, tangent_out
            if not active:
                for j in floats:
                    tangent_out[j] = jnp.zeros_like(primal_out[j])
                return primal_out, tangent_out
            # Types as traced (with their varying manual axes inside `shard_map`).
            primal_avals = [jax.typeof(p) for p in primals]
            res = [*primals, *primal_out] if self.vjp is not None else list(primals)
            lmap = LinearMap(
                self._forward(primal_avals, avals, floats, active) if self.jvp else None,
                self._transpose(primal_avals, avals, floats, active, treedef),
                forward_error=(
                    f"{at_call(name)} forward-mode differentiation (`jax.jvp`, `jax.jacfwd`, "
                    f"`jax.hessian`) needs a forward rule, but `{name}` has only `vjp=`. Pass "
                    f"`jvp=` as well: a JAX-traceable jvp(primals, tangents) -> tangents_out."
                ),
                transpose_error=(
                    f"{at_call(name)} reverse-mode differentiation (`jax.grad`, `jax.vjp`, "
                    f"`jax.jacrev`) found the tangent map depending nonlinearly on a tangent. "
                    f"Pass tangents to host functions only as the tangent arguments of `jvp=`."
                ),
            )
            out_avals = [jax.typeof(primal_out[j]).to_tangent_aval() for j in floats]
            lin = [tangents[i] for i in active]
            for j, t in zip(floats, apply(lmap, res, lin, out_avals), strict=True):
                tangent_out[j] = t
            return primal_out, tangent_out

        return rule

    def _forward(
        self,
        primal_avals: Sequence[Any],
        avals: Sequence[jax.ShapeDtypeStruct],
        floats: Sequence[int],
        active: Sequence[int],
    ) -> Callable[[Sequence[Any], Sequence[Any]], list[Any]]:
        """The user's `jvp` as a map (residuals, active tangents) -> float output tangents."""
        name, jvp = self.name, self.jvp
        assert jvp is not None
        n = len(primal_avals)

        def forward(res: Sequence[Any], lin: Sequence[Any]) -> list[Any]:
            tans: list[Any] = [
                jnp.zeros_like(r)
                if jnp.issubdtype(r.dtype, jnp.inexact)
                else np.zeros(r.shape, jax.dtypes.float0)
                for r in res[:n]
            ]
            for i, t in zip(active, lin, strict=True):
                tans[i] = t
            out = jvp(tuple(res[:n]), tuple(tans))
            leaves = jax.tree.leaves(out) if not isinstance(out, (jax.Array, np.ndarray)) else [out]
            if len(leaves) != len(avals):
                raise TypeError(
                    f"{at_call(name)} jvp= returned {len(leaves)} tangent output(s); the "
                    f"function has {len(avals)} output(s)."
                )
            result = []
            for j in floats:
                leaf, aval = jnp.asarray(leaves[j]), avals[j]
                if tuple(leaf.shape) != tuple(aval.shape):
                    raise ValueError(
                        f"{at_call(name)} jvp= returned a tangent of shape "
                        f"{tuple(leaf.shape)}; the output has shape {tuple(aval.shape)}."
                    )
                result.append(leaf.astype(aval.dtype))
            return result

        return forward

    def _transpose(
        self,
        primal_avals: Sequence[Any],
        avals: Sequence[jax.ShapeDtypeStruct],
        floats: Sequence[int],
        active: Sequence[int],
        treedef: Any,
    ) -> Callable[[Sequence[Any], Sequence[Any]], list[Any]]:
        """The map (residuals, float output cotangents) -> active input cotangents: the
        user's `vjp`, or else JAX's transpose of the `jvp` tangent map."""
        name, vjp, params = self.name, self.vjp, self.params
        n = len(primal_avals)
        if vjp is None:
            forward = self._forward(primal_avals, avals, floats, active)
            lin_structs = [primal_avals[i] for i in active]

            def transposed_jvp(res: Sequence[Any], cts: Sequence[Any]) -> list[Any]:
                try:
                    transpose = jax.linear_transpose(lambda *t: forward(res, t), *lin_structs)
                    return list(transpose(list(cts)))
                except Exception as e:
                    text = str(e).strip()
                    if "callbacks do not support transpose" in text:
                        reason = (
                            "it passes a tangent to a host function, and a host call cannot "
                            "be transposed"
                        )
                    else:
                        reason = f"JAX: {text.splitlines()[0] if text else type(e).__name__}"
                    raise TypeError(_reverse_error(name, reason)) from e

            return transposed_jvp

        def transpose(res: Sequence[Any], cts: Sequence[Any]) -> list[Any]:
            primals, outs = tuple(res[:n]), list(res[n:])
            full: list[Any] = [np.zeros(a.shape, jax.dtypes.float0) for a in avals]
            for j, c in zip(floats, cts, strict=True):
                full[j] = c
            got = vjp(primals, self._structure(treedef, outs), self._structure(treedef, full))
            if isinstance(got, (jax.Array, np.ndarray)) and n == 1:
                got = (got,)
            if not isinstance(got, (tuple, list)) or len(got) != n:
                if isinstance(got, (tuple, list)):
                    found = f"{len(got)} cotangent(s)"
                else:
                    found = "an array" if hasattr(got, "shape") else f"a {type(got).__name__}"
                raise TypeError(
                    f"{at_call(name)} vjp= returned {found}; expected a tuple of {n} "
                    f"cotangent(s), one per non-static argument ({', '.join(params.dynamic)}), "
                    f"None for an argument without one."
                )
            result = []
            for i in active:
                ct, aval = got[i], primal_avals[i]
                if ct is None:
                    result.append(jnp.zeros_like(primals[i]))
                    continue
                ct = jnp.asarray(ct)
                if tuple(ct.shape) != tuple(aval.shape):
                    raise ValueError(
                        f"{at_call(name)} vjp= returned a cotangent of shape "
                        f"{tuple(ct.shape)} for argument '{params.dynamic[i]}', which has "
                        f"shape {tuple(aval.shape)}."
                    )
                result.append(ct.astype(aval.dtype))
            return result

        return transpose


def _reverse_error(name: str, reason: str) -> str:
    return (
        f"{at_call(name)} reverse-mode differentiation (`jax.grad`, `jax.vjp`, `jax.jacrev`) "
        f"transposes the tangent map of `jvp=`, which cannot be transposed ({reason}). Pass "
        f"`vjp=`: a JAX-traceable vjp(primals, output, cotangent) -> cotangents (or call host "
        f"functions in `jvp=` on the primals only)."
    )


# --------------------------------------------------------------------------------------
# Building the rule from the options


def _check_keys(params: Parameters, derivatives: Mapping[str, Any]) -> None:
    name = params.name
    for key in derivatives:
        if key not in params.names:
            raise ValueError(
                f"{at_decoration(name)} derivatives= names {key!r}, which is not a parameter "
                f"(parameters: {', '.join(params.dynamic)})."
            )
        if key in params.static:
            raise ValueError(
                f"{at_decoration(name)} derivatives= names static argument {key!r}; static "
                f"arguments are not differentiated."
            )


def _plain_partial(name: str, key: str, value: Any) -> Partial:
    if value is None:
        return Zero()
    if callable(value):
        return CallablePartial(value)
    raise TypeError(
        f"{at_decoration(name)} derivatives[{key!r}] must be a formula string, a tuple of "
        f"formulas (one per output), a callable, `autocallback.numerical()` or None, got "
        f"{type(value).__name__}."
    )


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    )


def derivative_rule(
    params: Parameters,
    *,
    elementwise: bool,
    mode: str,
    nout: int,
    multi: bool,
    derivatives: Mapping[str, Any] | None,
    expr: Any,
    jvp: Callable[..., Any] | None,
    own: Callable[[], Any],
    vjp: Callable[..., Any] | None = None,
    hosts: Callable[[], list[Callable[..., Any]]] | None = None,
    thread_safe: bool = False,
    scope: Mapping[str, Any] | None = None,
    sympy_expr: Any = None,
) -> DerivativeRule:
    """The rule for the options given to `host_function` (`own()`: this function's SymPy
    class; `hosts()`: one host evaluator per output, on values in parameter order, for
    numerical partials (`thread_safe`: they may run on several threads); `scope`: extra
    formula names, such as the other entries of a catalogue)."""
    name = params.name
    if jvp is not None and (derivatives or expr is not None):
        raise ValueError(f"{at_decoration(name)} pass `jvp=` or `derivatives=`/`expr=`, not both.")
    if vjp is not None and (derivatives or expr is not None or sympy_expr is not None):
        raise ValueError(
            f"{at_decoration(name)} pass `vjp=` or `derivatives=`/`expr=`, not both (formulas "
            f"already give reverse mode)."
        )
    if jvp is not None or vjp is not None:
        if jvp is not None and not callable(jvp):
            raise TypeError(
                f"{at_decoration(name)} jvp= must be a callable jvp(primals, tangents)."
            )
        if vjp is not None and not callable(vjp):
            raise TypeError(
                f"{at_decoration(name)} vjp= must be a callable vjp(primals, output, cotangent)."
            )
        return UserRule(params, multi=multi, jvp=jvp, vjp=vjp)
    if derivatives is not None and not isinstance(derivatives, Mapping):
        raise TypeError(
            f"{at_decoration(name)} derivatives= must be a dict from argument name to formula, "
            f"callable or None, got {type(derivatives).__name__}."
        )
    raw = dict(derivatives or {})
    _check_keys(params, raw)
    uses_formulas = (
        expr is not None
        or sympy_expr is not None
        or any(isinstance(v, (str, tuple, numerical)) for v in raw.values())
    )
    if not uses_formulas:
        partials = {k: _plain_partial(name, k, v) for k, v in raw.items()}
        return Formulas(
            params, nout=nout, multi=multi, partials=partials, derivatives=raw, own=None
        )
    if not elementwise:
        raise FormulaError(
            f"{at_decoration(name)} derivative formulas and `expr=` are elementwise partial "
            f"derivatives, but `{name}` is not elementwise ({mode}). Pass `jvp=`: a "
            f"JAX-traceable jvp(primals, tangents) -> tangents_out."
        )
    return _formulas(params, nout, multi, raw, expr, sympy_expr, own(), scope, hosts, thread_safe)


def _formulas(
    params: Parameters,
    nout: int,
    multi: bool,
    raw: dict[str, Any],
    expr: Any,
    sympy_expr: Any,
    own: Any,
    scope: Mapping[str, Any] | None,
    hosts: Callable[[], list[Callable[..., Any]]] | None = None,
    thread_safe: bool = False,
) -> Formulas:
    import sympy

    from ._formula import parse_formula

    name = params.name
    symbols = _symbols(params)
    table = _names.formula_names(scope)
    params_text = ", ".join(params.names)
    registered = ", ".join(_names.registered_names(scope)) or "none"
    partials: dict[str, Partial] = {}
    public: dict[str, Any] = {}

    # expr=
    expr_value = sympy_expr
    head = None
    if expr is not None:
        known = (
            f"{params_text} (arguments), pi, E, I, SymPy functions ({_short_list(table)}), "
            f"registered: {registered}"
        )
        names = {**table, **symbols}
        if isinstance(expr, (tuple, list)):
            expr_value = tuple(
                parse_formula(t, fn_name=name, arg="expr", names=names, known=known) for t in expr
            )
        else:
            expr_value = parse_formula(
                expr, fn_name=name, arg="expr", names=names, known=known, allow_tuple=True
            )
        if isinstance(expr_value, tuple) and len(expr_value) == 1:
            expr_value = expr_value[0]
    if expr_value is not None:
        n_expr = len(expr_value) if isinstance(expr_value, tuple) else 1
        if n_expr != nout:
            raise FormulaError(
                f"{at_decoration(name)} expr= gives {n_expr} expression(s), but the function "
                f"has {nout} output(s)."
            )
        if not isinstance(expr_value, tuple):
            free = {s.name for s in expr_value.free_symbols}
            if (
                isinstance(expr_value, sympy.Function)
                and sorted(map(str, expr_value.args)) == sorted(params.names)
                and all(a.is_Symbol for a in expr_value.args)
            ):
                head = expr_value
        else:
            free = set().union(*({s.name for s in e.free_symbols} for e in expr_value))
        extra = free - set(params.names)
        if extra:
            raise FormulaError(f"{at_decoration(name)} expr= uses unknown names {sorted(extra)}.")

    # derivatives= formulas
    # A name that is not an identifier (a lambda's) cannot be written in a formula.
    own_name = name if name.isidentifier() else None
    names = {**table, **symbols, **({own_name: own} if own_name else {})}
    if head is not None:
        names[type(head).__name__] = own
    known = (
        f"{params_text} (arguments)"
        + (f", {name} (this function)" if own_name else "")
        + (f", {type(head).__name__} (this function, from expr)" if head is not None else "")
        + f", pi, E, I, SymPy functions ({_short_list(table)}), registered: {registered}"
        + ("" if own_name else ". To call this function in its formulas, pass `name=`")
    )
    markers = {k: v for k, v in raw.items() if isinstance(v, numerical)}
    if markers:
        if hosts is None:
            raise TypeError(f"{at_decoration(name)} numerical() needs an elementwise host.")

        def partial_of(param: str, k: int) -> Any:
            partial = partials.get(param)
            if isinstance(partial, Zero):
                return sympy.S.Zero
            if param in markers or isinstance(partial, CallablePartial):
                return None
            if isinstance(partial, Symbolic):
                return partial.exprs[k]
            return False

        order = [symbols[p] for p in params.names]
        numerics = NumericalPartials(
            name, params.names, order, hosts(), markers, partial_of, thread_safe
        )
        for key, marker in markers.items():
            partials[key] = Symbolic(tuple(numerics.call(k, key, order) for k in range(nout)))
            public[key] = marker
    for key, value in raw.items():
        if key in markers:
            continue
        if not _is_formula(value):
            partials[key] = _plain_partial(name, key, value)
            public[key] = value
            continue
        arg = f"argument '{key}'"
        texts = (value,) if isinstance(value, str) else value
        if isinstance(value, str) and nout > 1:
            raise FormulaError(
                f"{at_decoration(name)} derivatives[{key!r}] must be a tuple of {nout} "
                f"formulas, one per output."
            )
        if len(texts) != nout:
            raise FormulaError(
                f"{at_decoration(name)} derivatives[{key!r}] has {len(texts)} formula(s) but "
                f"the function has {nout} output(s)."
            )
        parsed = tuple(
            parse_formula(t, fn_name=name, arg=arg, names=names, known=known) for t in texts
        )
        if multi and any(e.has(own) for e in parsed):
            raise FormulaError(
                f"Formula for {arg} of `{name}` calls `{name}`, which has {nout} outputs: a "
                f"formula can only call functions of one output. Use the SymPy functions for "
                f"the outputs (e.g. airyai, airyaiprime), `register` single-output functions, "
                f"or give a callable."
            )
        partials[key] = Symbolic(parsed)
        public[key] = value if isinstance(value, str) else tuple(value)

    if expr_value is not None:
        exprs = expr_value if isinstance(expr_value, tuple) else (expr_value,)
        for p in params.dynamic:
            if p in partials:
                continue
            derived = []
            leftover = None
            for e in exprs:
                d = e.diff(symbols[p])
                if head is not None:
                    d = d.xreplace({head: own(*[symbols[q] for q in params.names])})
                if has_unclosed(d):
                    leftover = d
                    break
                derived.append(d)
            if leftover is not None:
                partials[p] = Unclosed(leftover)
                continue
            partials[p] = Symbolic(tuple(derived))
            public[p] = str(derived[0]) if len(derived) == 1 else tuple(map(str, derived))
    return Formulas(params, nout=nout, multi=multi, partials=partials, derivatives=public, own=own)
