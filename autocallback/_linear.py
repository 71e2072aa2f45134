"""`linear_p`: a linear map that carries its own transpose, for `jvp=` and `vjp=` rules.

JAX's reverse mode transposes the tangent map of a `custom_jvp` rule, and a host call
cannot be transposed. A rule whose tangent map calls host functions on the tangents, or
that knows only the transpose (`vjp=`), therefore computes its output tangent with
`apply`: the tangent map becomes one `linear_p` equation that evaluates
`forward(residuals, tangents)` and transposes to `transpose(residuals, cotangents)`.
Either may be missing; using a missing one raises the message the rule gave, naming the
function and the option that supplies it.

`jax.custom_derivatives.linear_call` is the same idea, but (JAX 0.10 to 0.12) it has no
batching rule, and it cannot be differentiated in its residuals: `vmap` of a gradient and
every second derivative need both. Here

- evaluation runs the forward map, traced once into a jaxpr when the equation is made (so
  the output types and effects are exact and a malformed rule fails at trace time);
- the JVP is linear in the tangents, plus the derivative of the forward map in its
  residuals (JAX differentiates the rule's own code, so second derivatives work whenever
  the host functions it calls have derivatives);
- the transpose calls `transpose` directly: the cotangents are then ordinary JAX code,
  which later transformations (a JVP for `jax.hessian`, `vmap`) handle as usual;
- batching maps both functions with `jax.vmap` (unbatched residuals stay unbatched).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
from jax.interpreters import ad, batching, mlir

Map = Callable[[Sequence[Any], Sequence[Any]], Sequence[Any]]


class LinearMap:
    """`forward(res, lin)`, linear in `lin`, and its transpose `transpose(res, cts)`.

    Either function may be None; using it then raises `TypeError` with its message.
    Instances are parameters of `linear_p` equations, compared by identity.
    """

    __slots__ = ("forward", "forward_error", "transpose", "transpose_error")

    def __init__(
        self,
        forward: Map | None,
        transpose: Map | None,
        *,
        forward_error: str = "",
        transpose_error: str = "",
    ):
        self.forward = forward
        self.transpose = transpose
        self.forward_error = forward_error
        self.transpose_error = transpose_error

    def _with(self, forward: Map | None, transpose: Map | None) -> LinearMap:
        return LinearMap(
            forward,
            transpose,
            forward_error=self.forward_error,
            transpose_error=self.transpose_error,
        )

    def batched(self, res_axes: Sequence[int | None]) -> LinearMap:
        """Both maps under `jax.vmap`: residuals batched at `res_axes`, linear inputs and
        outputs at axis 0."""
        axes = list(res_axes)

        def vmapped(f: Map | None) -> Map | None:
            if f is None:
                return None
            return lambda res, lin: jax.vmap(f, in_axes=(axes, 0), out_axes=0)(list(res), list(lin))

        return self._with(vmapped(self.forward), vmapped(self.transpose))


def apply(
    lmap: LinearMap,
    res: Sequence[Any],
    lin: Sequence[Any],
    out_avals: Sequence[Any] | None = None,
) -> list[Any]:
    """`lmap.forward(res, lin)` as one `linear_p` equation; `out_avals` (the tangent
    types of the outputs) is needed only when there is no forward map."""
    res = [jnp.asarray(r) for r in res]
    lin = [jnp.asarray(x) for x in lin]
    jaxpr = None
    if lmap.forward is not None:
        n = len(res)
        forward = lmap.forward
        closed = jax.make_jaxpr(lambda *a: list(forward(a[:n], a[n:])))(
            *[jax.typeof(x) for x in (*res, *lin)]
        )
        # Values the forward map closes over (constants, or traced values of an outer
        # trace) become leading residuals, so that the equation holds no tracers.
        consts = list(closed.consts)
        inner = closed.jaxpr
        k = len(consts)
        jaxpr = type(closed)(
            inner.replace(constvars=[], invars=[*inner.constvars, *inner.invars]), []
        )
        out_avals = jaxpr.out_avals
        transpose = lmap.transpose
        lmap = lmap._with(
            lambda r, x: _jaxpr_as_fun(jaxpr)(*r, *x),
            None if transpose is None else (lambda r, c: transpose(r[k:], c)),
        )
        res = [*consts, *res]
    assert out_avals is not None
    return _linear_p().bind(
        *res, *lin, lmap=lmap, jaxpr=jaxpr, n_res=len(res), out_avals=tuple(out_avals)
    )


def _impl(*args: Any, lmap: LinearMap, jaxpr: Any, n_res: int, out_avals: Any) -> list[Any]:
    if jaxpr is None:
        raise TypeError(lmap.forward_error)
    return _jaxpr_as_fun(jaxpr)(*args)


def _abstract_eval(*avals: Any, lmap: LinearMap, jaxpr: Any, n_res: int, out_avals: Any) -> Any:
    effects = jaxpr.effects if jaxpr is not None else frozenset()
    return list(out_avals), effects


def _is_zero(t: Any) -> bool:
    return type(t) is ad.Zero


def _jvp(primals: Sequence[Any], tangents: Sequence[Any], **params: Any) -> Any:
    lmap: LinearMap = params["lmap"]
    n_res: int = params["n_res"]
    res, lin = list(primals[:n_res]), list(primals[n_res:])
    dres, dlin = tangents[:n_res], tangents[n_res:]
    out = _linear_p().bind(*primals, **params)
    terms = []
    if not all(_is_zero(t) for t in dlin):
        terms.append(_linear_p().bind(*res, *map(ad.instantiate_zeros, dlin), **params))
    if not all(_is_zero(t) for t in dres):
        # The map also depends on its residuals (the primals of the function whose
        # tangent map it is): differentiate the forward map there.
        forward = lmap.forward
        if forward is None:
            raise TypeError(lmap.forward_error)
        _, t = jax.jvp(
            lambda *r: list(forward(r, lin)), tuple(res), tuple(map(ad.instantiate_zeros, dres))
        )
        terms.append(t)
    if not terms:
        return out, [ad.Zero(a.to_tangent_aval()) for a in params["out_avals"]]
    tangent = terms[0]
    for extra in terms[1:]:
        tangent = [a + b for a, b in zip(tangent, extra, strict=True)]
    return out, tangent


def _transpose(cts: Sequence[Any], *args: Any, **params: Any) -> list[Any]:
    lmap: LinearMap = params["lmap"]
    n_res: int = params["n_res"]
    res, lin = args[:n_res], args[n_res:]
    if any(ad.is_undefined_primal(r) for r in res) or lmap.transpose is None:
        raise TypeError(lmap.transpose_error)
    cts = [ad.instantiate_zeros(c) for c in cts]
    lin_cts = list(lmap.transpose(list(res), cts))
    return [None] * n_res + [
        ct if ad.is_undefined_primal(x) else None for x, ct in zip(lin, lin_cts, strict=True)
    ]


def _batch(args: Sequence[Any], dims: Sequence[Any], **params: Any) -> Any:
    lmap: LinearMap = params["lmap"]
    n_res: int = params["n_res"]
    size = next(a.shape[d] for a, d in zip(args, dims, strict=True) if d is not None)
    moved = [a if d is None else jnp.moveaxis(a, d, 0) for a, d in zip(args, dims, strict=True)]
    res = moved[:n_res]
    res_axes = [None if d is None else 0 for d in dims[:n_res]]
    # Linear inputs are all batched: broadcasting is linear, and JAX transposes it.
    lin = [
        x if d is not None else jnp.broadcast_to(x, (size, *jnp.shape(x)))
        for x, d in zip(moved[n_res:], dims[n_res:], strict=True)
    ]
    from jax.extend.core import unmapped_aval

    out_avals = [unmapped_aval(size, 0, a) for a in params["out_avals"]]
    outs = apply(lmap.batched(res_axes), res, lin, out_avals)
    return outs, [0] * len(outs)


@functools.cache
def _linear_p() -> Any:
    """The primitive, made on first use (`jax.extend` costs import time)."""
    from jax.extend.core import Primitive

    p = Primitive("autocallback_linear")
    p.multiple_results = True
    p.def_impl(_impl)
    p.def_effectful_abstract_eval(_abstract_eval)
    ad.primitive_jvps[p] = _jvp
    ad.primitive_transposes[p] = _transpose
    batching.primitive_batchers[p] = _batch
    mlir.register_lowering(p, mlir.lower_fun(_impl, multiple_results=True))
    return p


def _jaxpr_as_fun(jaxpr: Any) -> Callable[..., Any]:
    from jax.extend.core import jaxpr_as_fun

    return jaxpr_as_fun(jaxpr)
