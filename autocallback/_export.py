"""What lets programs and functions travel: `export`, and pickling by reference.

`export` is `jax.export.export(jax.jit(fun))` for programs whose host calls are all native
kernels: those lower to XLA FFI custom calls whose targets (all named `autocallback_...`)
the loading process registers itself when it imports autocallback, and which carry the
kernel's name, never an address. JAX refuses custom calls it does not know unless told;
`export` waives that check for autocallback's own targets and no others. A Python host
call cannot be serialized at all: `export` finds it in the traced program and names it.

A `HostFunction` pickles by reference, as a function does: the module and the name that
reach it. Unpickling looks that name up again and finds the same object.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import jax
import jax.export as jax_export

from ._host_call import HOST_NAME_ATTRIBUTE

# Every XLA FFI target that autocallback registers is named with this prefix.
TARGET_PREFIX = "autocallback_"


def export(
    fun: Callable[..., Any], *, platforms: Sequence[str] | None = None
) -> Callable[..., jax_export.Exported]:
    """Export a function that calls host functions, for serialization.

    `jax.export.export(jax.jit(fun), platforms=platforms)`, called the same way: the
    result takes the arguments (arrays, or `jax.ShapeDtypeStruct`s) and returns a
    `jax.export.Exported`. Host functions that run as native kernels (the catalogue's
    SciPy ufuncs on CPU) are custom calls of autocallback's own targets, which JAX's
    safety check would refuse: that check is waived for those targets, and for no
    others. `exported.serialize(vjp_order=k)` gives bytes that `jax.export.deserialize`
    loads in any process that has imported autocallback, with derivatives up to order k;
    loading resolves kernels by name among those that process registered itself.

    Args:
        fun: the function to export (it may already be a `jax.jit` function).
        platforms: as for `jax.export.export`; default, the default backend.

    Returns:
        A function of the arguments' shapes that returns the `jax.export.Exported`.

    Raises:
        ValueError: the program calls a host function through a Python callback, which
            cannot be serialized (the message names the function).

    Example:
        ```python
        import jax, numpy as np
        import autocallback
        from autocallback import special

        exp = autocallback.export(lambda x: special.kv(1.5, x))(np.ones(3, np.float32))
        data = exp.serialize(vjp_order=1)
        jax.export.deserialize(data).call(np.ones(3, np.float32))
        ```
    """
    jitted: Any = fun if hasattr(fun, "trace") and hasattr(fun, "lower") else jax.jit(fun)
    chosen = tuple(platforms) if platforms is not None else None

    def do_export(*args: Any, **kwargs: Any) -> jax_export.Exported:
        traced = jitted.trace(*args, **kwargs)
        _refuse_python_calls(traced.jaxpr, _what(fun), platforms=chosen)
        allowed = _own_targets(traced.jaxpr, chosen)
        try:
            exp, allowed = _waiving(
                lambda waived: jax_export.export(jitted, platforms=chosen, disabled_checks=waived)(
                    *args, **kwargs
                ),
                allowed,
            )
        except NotImplementedError as error:
            if "host_callbacks" not in str(error):
                raise
            # A host call that is native on CPU only, exported for another platform.
            on = ", ".join(chosen or (jax.default_backend(),))
            raise ValueError(
                f"`autocallback.export` cannot export `{_what(fun)}` for platform(s) {on}: "
                f"a host function in it runs through a Python callback there, and Python "
                f"callbacks cannot be serialized. Native kernels run on CPU: export with "
                f"`platforms=['cpu']`, or keep the host call outside the exported program."
            ) from error
        flat = _flat_function(jitted, traced)
        return _finish(exp, allowed, flat, list(exp.in_avals), fun, 1)

    return do_export


def _what(fun: Any) -> str:
    return getattr(fun, "__name__", None) or type(fun).__name__


# --------------------------------------------------------------------------------------
# Finding what a traced program calls


def _sub_jaxprs(value: Any) -> Iterator[Any]:
    if isinstance(value, (tuple, list)):
        for v in value:
            yield from _sub_jaxprs(v)
    elif hasattr(value, "eqns"):  # a Jaxpr
        yield value
    elif hasattr(getattr(value, "jaxpr", None), "eqns"):  # a ClosedJaxpr
        yield value.jaxpr


def _equations(
    jaxpr: Any, seen: set[int] | None = None, platforms: Sequence[str] | None = None
) -> Iterator[Any]:
    """Every equation of a jaxpr and of the jaxprs in its equations' parameters (`jit`,
    `custom_jvp_call`, `custom_vjp_call`, `custom_vmap_call`, `scan`, `while`, `cond`,
    `shard_map`, `remat`, ...), in program order; of a `lax.platform_dependent` choice
    (a native kernel on CPU, the Python host call elsewhere), only the branches taken on
    `platforms` (default: the default backend)."""
    jaxpr = getattr(jaxpr, "jaxpr", jaxpr)
    seen = set() if seen is None else seen
    if id(jaxpr) in seen:
        return
    seen.add(id(jaxpr))
    chosen = tuple(platforms) if platforms is not None else (jax.default_backend(),)
    for eqn in jaxpr.eqns:
        yield eqn
        for key, value in eqn.params.items():
            if key == "branches" and eqn.params.get("branches_platforms"):
                value = _taken(value, eqn.params["branches_platforms"], chosen)
            for sub in _sub_jaxprs(value):
                yield from _equations(sub, seen, chosen)


def _taken(
    branches: Sequence[Any], per_branch: Sequence[Any], platforms: Sequence[str]
) -> list[Any]:
    """The branches of a platform-dependent choice that run on `platforms`."""
    taken = set()
    for platform in platforms:
        names = {
            platform,
            "cuda" if platform == "gpu" else platform,
            "rocm" if platform == "gpu" else platform,
        }
        match = [i for i, ps in enumerate(per_branch) if ps is not None and names & set(ps)]
        default = [i for i, ps in enumerate(per_branch) if ps is None]
        taken.update(match[:1] or default[:1])
    return [b for i, b in enumerate(branches) if i in taken]


def _host_name(callback: Any) -> str | None:
    """The host function's name on one of our Python callbacks (JAX may wrap it)."""
    for _ in range(8):
        if callback is None:
            return None
        name = getattr(callback, HOST_NAME_ATTRIBUTE, None)
        if isinstance(name, str):
            return name
        callback = (
            getattr(callback, "callback_func", None)
            or getattr(callback, "__wrapped__", None)
            or getattr(callback, "func", None)
        )
    return None


def python_host_calls(jaxpr: Any, platforms: Sequence[str] | None = None) -> list[str]:
    """The names of the host functions that a traced program calls through Python
    callbacks (on `platforms`, default the default backend), in order of first
    appearance; `"<callback>"` for other Python callbacks."""
    names: dict[str, None] = {}
    for eqn in _equations(jaxpr, platforms=platforms):
        if "callback" not in eqn.params:
            continue
        name = _host_name(eqn.params["callback"])
        names[name if name is not None else "<callback>"] = None
    return list(names)


def _refuse_python_calls(
    jaxpr: Any, what: str, order: int = 0, platforms: Sequence[str] | None = None
) -> None:
    names = python_host_calls(jaxpr, platforms)
    if not names:
        return
    ours = [n for n in names if n != "<callback>"]
    if ours:
        plural = "s" if len(ours) > 1 else ""
        calls = f"it calls {', '.join(f'`{n}`' for n in ours)} through Python callback{plural}"
    else:
        calls = "it contains a Python callback"
    where = f"the derivative of order {order} of `{what}`" if order else f"`{what}`"
    raise ValueError(
        f"`autocallback.export` cannot export {where}: {calls}, and Python callbacks "
        f"cannot be serialized. Use host functions that run as native kernels (on CPU, "
        f"the SciPy ufuncs of `autocallback.special` and "
        f"`host_function(scipy.special.<ufunc>)`), or keep the Python host call outside "
        f"the exported program and pass its result in as an argument."
    )


def _own_targets(jaxpr: Any, platforms: Sequence[str] | None) -> list[str]:
    """autocallback's FFI targets: those this process registered (the derivatives that
    `serialize(vjp_order=k)` exports may call kernels the primal does not, and JAX
    waives the same targets at every order) and those the program names."""
    found = set()
    for eqn in _equations(jaxpr):
        target = eqn.params.get("target_name")  # `jax.ffi.ffi_call`
        if isinstance(target, str) and target.startswith(TARGET_PREFIX):
            found.add(target)
    found.update(_registered_targets(platforms))
    return sorted(found)


def _registered_targets(platforms: Sequence[str] | None) -> set[str]:
    try:
        from jax._src.lib import xla_client  # pyright: ignore[reportPrivateImportUsage]
    except ImportError:  # pragma: no cover - depends on the installed JAX
        return set()
    listing = getattr(xla_client, "custom_call_targets", None)
    if listing is None:  # pragma: no cover - depends on the installed JAX
        return set()
    names: set[str] = set()
    for platform in platforms or (jax.default_backend(),):
        for spelling in {platform, platform.upper(), "CUDA" if platform == "gpu" else platform}:
            try:
                names.update(t for t in listing(spelling) if t.startswith(TARGET_PREFIX))
            except Exception:  # an unknown platform name: nothing registered there
                continue
    return names


# --------------------------------------------------------------------------------------
# Derivatives: `serialize(vjp_order=k)` exports the VJP programs lazily, through JAX


def _flat_function(jitted: Any, traced: Any) -> Callable[..., list[Any]]:
    in_tree = traced.in_tree if hasattr(traced, "in_tree") else None

    def flat(*leaves: Any) -> list[Any]:
        assert in_tree is not None
        args, kwargs = jax.tree.unflatten(in_tree, leaves)
        return jax.tree.leaves(jitted(*args, **kwargs))

    return flat


def _vjp_of(flat: Callable[..., list[Any]], n_in: int) -> Callable[..., list[Any]]:
    def vjp(*primals_and_cotangents: Any) -> list[Any]:
        primals = primals_and_cotangents[:n_in]
        cotangents = list(primals_and_cotangents[n_in:])
        _, pullback = jax.vjp(lambda *p: flat(*p), *primals)
        return jax.tree.leaves(pullback(cotangents))

    return vjp


def _waive(targets: Sequence[str]) -> list[jax_export.DisabledSafetyCheck]:
    return [jax_export.DisabledSafetyCheck.custom_call(t) for t in targets]


def _waiving(
    export_with: Callable[[list[jax_export.DisabledSafetyCheck]], jax_export.Exported],
    allowed: Sequence[str],
) -> tuple[jax_export.Exported, list[str]]:
    """`export_with(checks waived for allowed)`; where JAX's custom-call check still
    refuses targets of ours that were not known beforehand (not listed by the backend),
    once more with those waived too. Other targets stay refused."""
    allowed = list(allowed)
    try:
        return export_with(_waive(allowed)), allowed
    except ValueError as error:
        missed = set(_CALLED_TARGET.findall(str(error))) - set(allowed)
        if not missed or "custom calls" not in str(error):
            raise
    allowed = sorted({*allowed, *missed})
    return export_with(_waive(allowed)), allowed


_CALLED_TARGET = re.compile(r'(?:@|call_target_name\s*=\s*")(' + TARGET_PREFIX + r"[\w.$-]*)")


def _finish(
    exp: jax_export.Exported,
    allowed: Sequence[str],
    flat: Callable[..., list[Any]],
    in_avals: list[Any],
    fun: Any,
    order: int,
) -> jax_export.Exported:
    """`exp`, recording as waived only the targets its program calls, and whose `vjp()`
    may call any of autocallback's targets (a derivative may call kernels the primal does
    not), raising the named `ValueError` instead of JAX's `NotImplementedError` where a
    derivative calls a Python host function."""
    used = sorted(set(_CALLED_TARGET.findall(exp.mlir_module())) & set(allowed))
    inner = getattr(exp, "_get_vjp", None)
    if inner is None:  # pragma: no cover - depends on the installed JAX
        return dataclasses.replace(exp, disabled_safety_checks=tuple(_waive(used)))

    def get_vjp(primal: jax_export.Exported) -> jax_export.Exported:
        vjp = _vjp_of(flat, len(in_avals))

        # JAX exports the VJP with the primal's waivers: give it every target of ours.
        def export_with(waived: list[jax_export.DisabledSafetyCheck]) -> jax_export.Exported:
            return inner(dataclasses.replace(primal, disabled_safety_checks=tuple(waived)))

        try:
            result, widened = _waiving(export_with, allowed)
        except NotImplementedError as error:
            if "host_callbacks" not in str(error):
                raise
            specs = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in [*in_avals, *primal.out_avals]]
            _refuse_python_calls(jax.make_jaxpr(vjp)(*specs), _what(fun), order)
            raise
        return _finish(result, widened, vjp, list(result.in_avals), fun, order + 1)

    return dataclasses.replace(exp, disabled_safety_checks=tuple(_waive(used)), _get_vjp=get_vjp)


# --------------------------------------------------------------------------------------
# Pickling by reference


def caller_module(skip: str = "autocallback._") -> str | None:
    """The module of the nearest caller outside autocallback's private modules: where a
    host function made from a callable without `__qualname__` (a ufunc) is defined."""
    try:
        frame = sys._getframe(1)
    except (AttributeError, ValueError):  # pragma: no cover - not CPython
        return None
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if isinstance(name, str) and not name.startswith(skip):
            return name
        frame = frame.f_back
    return None


def _lookup(module: Any, qualname: str) -> Any:
    obj = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def reduce_by_name(obj: Any) -> str:
    """`__reduce__` of a `HostFunction`: the name that reaches it in its module, for
    pickle to store by reference (as it stores functions and classes)."""
    module_name = vars(obj).get("__module__")
    qualname = vars(obj).get("__qualname__") or getattr(obj, "name", "?")
    module = sys.modules.get(module_name) if isinstance(module_name, str) else None
    if module is not None:
        if "<locals>" not in qualname and _lookup(module, qualname) is obj:
            return qualname
        # Assigned to another name than the wrapped function's (`g = host_function(f)`).
        for attr, value in list(vars(module).items()):
            if value is obj:
                return attr
    where = f"`{module_name}.{qualname}`" if module_name else f"`{qualname}`"
    raise pickle.PicklingError(
        f"Cannot pickle host function `{getattr(obj, 'name', qualname)}`: it is not reachable "
        f"as {where}, and host functions pickle by reference, like functions. Define it at "
        f"module level (decorate a `def` there, not a lambda or a nested function), or "
        f"assign the `host_function(...)` result to a module-level name."
    )
