"""Derivative rules, chosen once at decoration time.

A rule turns the traced primal into a differentiable function (`wrap`). `Formulas` holds
one partial derivative per argument (`_partials.py`: a small class per kind, each knowing
what the JVP rule needs from it) and pushes tangents forward through `jvp_from_partials`;
`UserRule` calls a user's `jvp=` and/or `vjp=`. `derivative_rule` chooses the rule from
the options.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ._errors import FormulaError, at_call, at_decoration
from ._fused import Differentiated, Partials, active_indices, jvp_from_partials
from ._linear import LinearMap, apply
from ._numerical import numerical
from ._options import Options
from ._outputs import Elementwise, OutputSpec, Traced
from ._parameters import Parameters
from ._partials import (
    MISSING,
    Partial,
    PartialsBuilder,
    Point,
    check_keys,
    plain_partial,
    static_substitutions,
    symbols,
)


class DerivativeRule(abc.ABC):
    """How a host function is differentiated."""

    @abc.abstractmethod
    def differentiable(self, param: str) -> bool:
        """Whether `param` has a derivative."""

    @property
    def forward(self) -> bool:
        """Whether forward mode works (else reverse mode only)."""
        return True

    @property
    def transposes_user_jvp(self) -> bool:
        """Whether reverse mode is a user's `vjp=` beside a user's `jvp=` (so that `check`
        tests that one is the transpose of the other)."""
        return False

    def derivatives(self) -> dict[str, Any]:
        """Argument -> what `HostFunction.derivatives` shows."""
        return {}

    def expressions(self) -> Iterator[Any]:
        """The SymPy expressions of the partials (the functions they call are kept)."""
        return iter(())

    def fdiff(self, node: Any, argindex: int) -> Any:
        """d(own function)/d(argument argindex) at `node`, for SymPy (None: unknown)."""
        del node, argindex
        return None

    def wrap(
        self, primal: Callable[..., list[jax.Array]], traced: Traced
    ) -> Callable[..., list[jax.Array]]:
        """`primal` (flat arrays in, a list of outputs back), made differentiable."""
        f = jax.custom_jvp(primal)
        f.defjvp(self.jvp_rule(traced, lambda *a: f(*a)), symbolic_zeros=True)
        return f

    @abc.abstractmethod
    def jvp_rule(
        self, traced: Traced, primal_call: Callable[..., Any]
    ) -> Callable[..., tuple[Any, Any]]:
        """The `custom_jvp` rule `(primals, tangents) -> (primal_out, tangent_out)`."""


class Formulas(DerivativeRule):
    """Partial derivatives per argument: formulas, `expr=`-derived, numerical, callables
    or None."""

    def __init__(self, params: Parameters, *, multi: bool, partials: dict[str, Partial], own: Any):
        self.params = params
        self.name = params.name
        self.multi = multi
        self.partials = partials
        self.own = own
        self._symbols = symbols(params)
        self._param_symbols = tuple(self._symbols[p] for p in params.dynamic)
        self._outputs_expr = (
            None if multi or own is None else (own(*[self._symbols[q] for q in params.names]),)
        )

    def differentiable(self, param: str) -> bool:
        return self.partials.get(param, MISSING).differentiable

    def derivatives(self) -> dict[str, Any]:
        return {k: p.public for k, p in self.partials.items() if p.listed}

    def expressions(self) -> Iterator[Any]:
        for partial in self.partials.values():
            yield from partial.exprs

    def fdiff(self, node: Any, argindex: int) -> Any:
        if self.multi:
            return None
        formula = self.partials.get(self.params.names[argindex - 1], MISSING).formula(0)
        if formula is None:
            return None
        mapping = {self._symbols[p]: a for p, a in zip(self.params.names, node.args, strict=True)}
        return formula.xreplace(mapping)

    def jvp_rule(
        self, traced: Traced, primal_call: Callable[..., Any]
    ) -> Callable[..., tuple[Any, Any]]:
        static, avals = traced.static, traced.avals  # partials are per flat output
        subs = static_substitutions(self._symbols, static)
        params, multi = self.params, self.multi
        outputs = self._outputs_expr
        if subs and outputs is not None:
            outputs = tuple(o.xreplace(subs) for o in outputs)
        differentiated = Differentiated(
            primal_call, self._param_symbols, outputs, tuple(avals), self.name
        )

        def rule(primals: Sequence[jax.Array], tangents: Sequence[Any]) -> tuple[Any, Any]:
            at = Point(params, static, subs, primals, multi)
            partials = Partials()
            for i in active_indices(primals, tangents):
                arg = params.dynamic[i]
                self.partials.get(arg, MISSING).collect(partials, i, arg, at)
            return jvp_from_partials(differentiated, partials, primals, tangents)

        return rule


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

    @property
    def forward(self) -> bool:
        return self.jvp is not None

    @property
    def transposes_user_jvp(self) -> bool:
        return self.jvp is not None and self.vjp is not None

    def _structure(self, treedef: Any, leaves: Sequence[Any]) -> Any:
        """Flat outputs as the function returns them."""
        if treedef is not None:
            return jax.tree.unflatten(treedef, leaves)
        return tuple(leaves) if self.multi else leaves[0]

    def jvp_rule(
        self, traced: Traced, primal_call: Callable[..., Any]
    ) -> Callable[..., tuple[Any, Any]]:
        # jvp= and vjp= see the non-static arguments only.
        avals, treedef = traced.avals, traced.treedef
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
# Choosing the rule


def derivative_rule(
    params: Parameters,
    outputs: OutputSpec,
    options: Options,
    own: Callable[[], Any],
    scope: Mapping[str, Any] | None = None,
) -> DerivativeRule:
    """The rule for the options given to `host_function` (`own()`: this function's SymPy
    class; `scope`: extra formula names, such as the other entries of a catalogue)."""
    name = params.name
    if options.user_rule:
        return _user_rule(params, outputs, options)
    derivatives = options.derivatives
    if derivatives is not None and not isinstance(derivatives, Mapping):
        raise TypeError(
            f"{at_decoration(name)} derivatives= must be a dict from argument name to formula, "
            f"callable or None, got {type(derivatives).__name__}."
        )
    raw = dict(derivatives or {})
    check_keys(params, raw)
    uses_formulas = options.expr is not None or any(
        isinstance(v, (str, tuple, numerical)) for v in raw.values()
    )
    if not uses_formulas:
        partials = {k: plain_partial(name, k, v) for k, v in raw.items()}
        return Formulas(params, multi=outputs.multi, partials=partials, own=None)
    if not isinstance(outputs, Elementwise):
        raise FormulaError(
            f"{at_decoration(name)} derivative formulas and `expr=` are elementwise partial "
            f"derivatives, but `{name}` is not elementwise ({outputs.describe()}). Pass "
            f"`jvp=`: a JAX-traceable jvp(primals, tangents) -> tangents_out."
        )
    return _formulas(params, outputs, raw, options.expr, own(), scope)


def _user_rule(params: Parameters, outputs: OutputSpec, options: Options) -> UserRule:
    name, jvp, vjp = params.name, options.jvp, options.vjp
    if jvp is not None and options.formulas:
        raise ValueError(f"{at_decoration(name)} pass `jvp=` or `derivatives=`/`expr=`, not both.")
    if vjp is not None and options.formulas:
        raise ValueError(
            f"{at_decoration(name)} pass `vjp=` or `derivatives=`/`expr=`, not both (formulas "
            f"already give reverse mode)."
        )
    if jvp is not None and not callable(jvp):
        raise TypeError(f"{at_decoration(name)} jvp= must be a callable jvp(primals, tangents).")
    if vjp is not None and not callable(vjp):
        raise TypeError(
            f"{at_decoration(name)} vjp= must be a callable vjp(primals, output, cotangent)."
        )
    return UserRule(params, multi=outputs.multi, jvp=jvp, vjp=vjp)


def _formulas(
    params: Parameters,
    outputs: Elementwise,
    raw: dict[str, Any],
    expr: Any,
    own: Any,
    scope: Mapping[str, Any] | None,
) -> Formulas:
    """The partials from formulas, `numerical()` markers and `expr=`, in that order of
    precedence."""
    builder = PartialsBuilder(params, nout=outputs.nout, multi=outputs.multi, own=own, scope=scope)
    exprs = builder.parse_expr(expr) if expr is not None else None
    markers = {k: v for k, v in raw.items() if isinstance(v, numerical)}
    if markers:
        builder.add_numerical(markers, outputs.output_hosts, outputs.thread_safe)
    builder.add_formulas({k: v for k, v in raw.items() if k not in markers})
    if exprs is not None:
        builder.add_derived(exprs)
    return Formulas(params, multi=outputs.multi, partials=builder.partials, own=own)
