"""The output strategies, one per mode, chosen once at decoration time.

Each `OutputSpec` answers two questions at trace time: `infer(static, args)` gives the
declared outputs (flat `ShapeDtypeStruct`s and the output tree), and `primal(static,
avals, treedef, vmap_method)` gives the traced host call (a `HostCall`, sent down
through batching and sharding).
"""

from __future__ import annotations

import abc
import dataclasses
import inspect
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtypes, _kernels
from ._batching import align, elementwise_call
from ._cache import LruCache
from ._errors import HostCallError, at_call, at_decoration
from ._gufunc import GufuncSignature
from ._host_call import HostCall, VmapMethod, call_host
from ._parameters import Parameters

PROBE_CACHE_SIZE = 256  # output structures remembered per probed function


@dataclasses.dataclass(frozen=True)
class Traced:
    """One traced call: its static values and declared outputs, flat and as a tree
    (`treedef` None: a list of `nout` arrays), as `infer` gave them."""

    static: Mapping[str, Any]
    avals: tuple[jax.ShapeDtypeStruct, ...]
    treedef: Any = None


class OutputSpec(abc.ABC):
    """How the outputs of a host function are declared and computed."""

    #: whether formulas (elementwise partial derivatives) apply
    elementwise: bool = False
    #: the number of outputs when it is fixed (0: given by the declared pytree)
    nout: int = 1
    #: whether the function returns a tuple of `nout` arrays
    multi: bool = False
    default_vmap_method: VmapMethod = "sequential"

    def __init__(self, params: Parameters, fn: Callable[..., Any]):
        self.params = params
        self.fn = fn
        self.name = params.name

    @abc.abstractmethod
    def describe(self) -> str:
        """The mode, for messages."""

    @abc.abstractmethod
    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        """Declared outputs (flat) and the output tree (None: a list of `nout` arrays)."""

    def evaluate(self, static: Mapping[str, Any], arrays: Sequence[Any]) -> Any:
        """The host function on NumPy values (static values merged in), as it returns."""
        return self.params.call(self.fn, static, arrays)

    def host(self, static: Mapping[str, Any], treedef: Any) -> Callable[..., Sequence[Any]]:
        """The host function as the callback path sees it: NumPy arrays in, a flat
        sequence of outputs back, checked against the declared structure."""
        return self._checked(lambda *arrays: self.evaluate(static, arrays), treedef)

    def _checked(self, compute: Callable[..., Any], treedef: Any) -> Callable[..., Sequence[Any]]:
        name, multi, nout = self.name, self.multi, self.nout

        def host(*arrays: Any) -> Sequence[Any]:
            res = compute(*arrays)
            if treedef is not None:
                leaves, got = jax.tree.flatten(res)
                if got != treedef:
                    raise HostCallError(
                        f"`{name}` returned a result of structure {got} on the host; the "
                        f"declared structure is {treedef}."
                    )
                return leaves
            if multi:
                if not isinstance(res, (tuple, list)):
                    raise HostCallError(
                        f"`{name}` returned a single {type(res).__name__} on the host; it is "
                        f"declared with {nout} outputs."
                    )
                return list(res)
            return [res]

        return host

    def primal(self, traced: Traced, vmap_method: VmapMethod) -> Callable[..., list[jax.Array]]:
        """The traced host call (flat arrays in, a list of outputs back)."""
        avals = traced.avals
        call = HostCall(self.host(traced.static, traced.treedef), avals, self.name, vmap_method)

        def primal(*args: jax.Array) -> list[jax.Array]:
            if all(int(np.prod(a.shape)) == 0 for a in avals):
                return [jnp.zeros(a.shape, a.dtype) for a in avals]
            return call_host(call, self.prepare(args))

        return primal

    def prepare(self, args: Sequence[jax.Array]) -> Sequence[jax.Array]:
        return args


class Elementwise(OutputSpec):
    """Mode 1 (and all-scalar signatures): outputs of the broadcast shape; a NumPy ufunc's
    own type resolution decides real versus complex."""

    elementwise = True
    default_vmap_method: VmapMethod = "expand_dims"

    def __init__(
        self,
        params: Parameters,
        fn: Callable[..., Any],
        *,
        nout: int,
        dtype: Any,
        signature: GufuncSignature | None = None,
    ):
        super().__init__(params, fn)
        self.ufunc = fn if isinstance(fn, np.ufunc) else None
        self.nout = nout
        self.multi = nout > 1 if signature is None else nout != 1
        self.dtype = dtype
        self.signature = signature

    def describe(self) -> str:
        return "elementwise"

    def kernel_source(self, static: Mapping[str, Any]) -> _kernels.Source | None:
        """Where a native kernel for these static values comes from: the ufunc itself, or
        a host function's `_ac_kernel(static)` (catalogue helpers around a ufunc)."""
        fn = self.fn
        if isinstance(fn, np.ufunc):
            return None if static else _kernels.source_of(fn)
        hook = getattr(fn, "_ac_kernel", None)
        return hook(static) if hook is not None else None

    def jax_impl(self) -> Callable[..., Any] | None:
        """A JAX implementation that runs natively, when the host function has one
        (`_ac_jax`, used while `_ac_jax_native()`: catalogue helpers computed by
        differences of a native function)."""
        impl = getattr(self.fn, "_ac_jax", None)
        native = getattr(self.fn, "_ac_jax_native", None)
        if impl is None or native is None or not native():
            return None
        return impl

    @property
    def native(self) -> bool:
        """Whether the value is computed natively on CPU (a native kernel for the ufunc's
        double-precision loops, static arguments at their defaults)."""
        if self.jax_impl() is not None:
            return True
        if not _kernels.available():
            return False
        if self._has_kernel is None:
            self._has_kernel = self._find_kernel()
        return self._has_kernel

    _has_kernel: bool | None = None

    def _find_kernel(self) -> bool:
        defaults = {}
        for p in self.params.static:
            default = self.params.signature.parameters[p].default
            if default is inspect.Parameter.empty:
                return False
            defaults[p] = default
        source = self.kernel_source(defaults)
        if source is None:
            return False
        # The double-precision loops of the ufunc (integer orders, complex arguments
        # included), float64 first.
        n = len(self.params.dynamic)
        # (Constant trailing arguments of the kernel follow the dynamic ones.)
        candidates = [[np.dtype(np.float64)] * n] + [
            [np.dtype(c) for c in t.split("->")[0][:n]]
            for t in source.ufunc.types
            if set(t.split("->")[0][:n]) <= set("dlD")
            and len(t.split("->")[0]) == n + len(source.constants)
        ]
        for dtypes in candidates:
            kernel = _kernels.find(source, dtypes)
            if kernel is not None:
                return len(kernel.code.split(">")[1]) == self.nout
        return False

    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        try:
            shape = tuple(jnp.broadcast_shapes(*(a.shape for a in args))) if args else ()
        except ValueError:
            shapes = ", ".join(
                f"{p}={tuple(a.shape)}" for p, a in zip(self.params.dynamic, args, strict=True)
            )
            raise ValueError(
                f"{at_call(self.name)} argument shapes {shapes} do not broadcast together. "
                f"Elementwise functions broadcast their arguments like NumPy; for core "
                f"dimensions pass `signature=`."
            ) from None
        dtypes = _dtypes.elementwise_dtypes(self.ufunc, args, self.nout, self.dtype)
        return [jax.ShapeDtypeStruct(shape, d) for d in dtypes], None

    def call_values(self, values: Sequence[Any]) -> Any:
        """The host function on values in parameter order (a formula calling it)."""
        static, dyn = self.params.split(values)
        dyn = [np.asarray(v) for v in dyn]
        shape = np.broadcast_shapes(*(a.shape for a in dyn)) if dyn else ()
        dyn = [a.reshape((1,) * (len(shape) - a.ndim) + a.shape) for a in dyn]
        return self.evaluate(static, dyn)

    @property
    def thread_safe(self) -> bool:
        """Whether the host may run on several threads at once (a ufunc, called whole)."""
        return self.ufunc is not None and not self.params.static

    def formula_host(self) -> Callable[..., Any]:
        """The host function on values in parameter order, as formulas call it.

        A ufunc with no static arguments broadcasts by itself and is called directly (this
        is the inner loop of every fused derivative evaluation that uses the function);
        anything else through `call_values`, referring to this strategy weakly (SymPy's
        global caches keep formula classes, which must not keep a dropped function).
        """
        if self.ufunc is not None and not self.params.static:
            return self.ufunc
        ref, name = weakref.ref(self), self.name
        return lambda *values: alive(ref, name).call_values(values)

    def output_hosts(self) -> list[Callable[..., Any]]:
        """One host evaluator per output, on values in parameter order (numerical
        partials differentiate these)."""
        if not self.multi:
            return [self.formula_host()]
        ref, name = weakref.ref(self), self.name
        return [
            (lambda *values, k=k: alive(ref, name).call_values(values)[k]) for k in range(self.nout)
        ]

    def primal(self, traced: Traced, vmap_method: VmapMethod) -> Callable[..., list[jax.Array]]:
        static = traced.static
        call = HostCall(
            self.host(static, traced.treedef),
            traced.avals,
            self.name,
            vmap_method,
            self.ufunc if not static else None,
        )
        source = self.kernel_source(static)
        impl = self.jax_impl() if not static else None
        avals = traced.avals
        multi = self.multi

        def primal(*args: jax.Array) -> list[jax.Array]:
            if impl is not None:
                res = impl(*args)
                res = list(res) if multi else [res]
                return [
                    jnp.broadcast_to(jnp.asarray(r, a.dtype), a.shape)
                    for r, a in zip(res, avals, strict=True)
                ]
            kernel = _kernels.find(source, [a.dtype for a in args]) if source else None
            if kernel is not None and _kernels.fits(kernel, avals):
                return elementwise_call(dataclasses.replace(call, kernel=kernel), args)
            return elementwise_call(call, args)

        return primal


class Gufunc(OutputSpec):
    """Mode 2: a gufunc signature with core dimensions; the host is written for the core
    dimensions and `np.vectorize` handles the loop dimensions inside the one host call."""

    default_vmap_method: VmapMethod = "expand_dims"

    def __init__(
        self, params: Parameters, fn: Callable[..., Any], *, signature: GufuncSignature, dtype: Any
    ):
        super().__init__(params, fn)
        self.signature = signature
        self.nout = len(signature.outputs)
        self.multi = self.nout != 1
        self.dtype = dtype
        self._n_core = [len(c) for c in signature.inputs]

    def describe(self) -> str:
        return f"signature {self.signature.text!r}"

    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        _, shapes = self.signature.resolve(
            self.name, self.params.dynamic, [tuple(a.shape) for a in args]
        )
        base = _dtypes.promoted_dtype(args)
        dt = _dtypes.resolve_kind(self.dtype, base) if self.dtype is not None else base
        return [jax.ShapeDtypeStruct(s, dt) for s in shapes], None

    def host(self, static: Mapping[str, Any], treedef: Any) -> Callable[..., Sequence[Any]]:
        n_core = self._n_core

        def core(*a: Any) -> Any:
            return self.params.call(self.fn, static, a)

        looped = np.vectorize(core, signature=self.signature.text.replace(" ", ""))

        def compute(*arrays: Any) -> Any:
            if all(a.ndim == n for a, n in zip(arrays, n_core, strict=True)):
                return core(*arrays)
            return looped(*arrays)

        return self._checked(compute, treedef)

    def prepare(self, args: Sequence[jax.Array]) -> Sequence[jax.Array]:
        loop_ranks = [a.ndim - n for a, n in zip(args, self._n_core, strict=True)]
        top = max(loop_ranks, default=0)
        return align(args, [a.ndim + top - r for a, r in zip(args, loop_ranks, strict=True)])


def _flatten_spec(name: str, spec: Any) -> tuple[list[jax.ShapeDtypeStruct], Any]:
    leaves, treedef = jax.tree.flatten(spec)
    out = []
    for leaf in leaves:
        if not (hasattr(leaf, "shape") and hasattr(leaf, "dtype")):
            raise TypeError(
                f"{at_decoration(name)} out= must be a pytree of jax.ShapeDtypeStruct, found "
                f"{type(leaf).__name__}."
            )
        out.append(jax.ShapeDtypeStruct(tuple(leaf.shape), _dtypes.canonical_dtype(leaf.dtype)))
    return out, treedef


class Declared(OutputSpec):
    """Mode 3: `out=` a `ShapeDtypeStruct` pytree, or a callable returning one."""

    nout = 0

    def __init__(self, params: Parameters, fn: Callable[..., Any], *, out: Any):
        super().__init__(params, fn)
        self.out = out

    def describe(self) -> str:
        return f"out={self.out!r}"

    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        spec = self.out
        if callable(spec) and not isinstance(spec, jax.ShapeDtypeStruct):
            structs = [jax.ShapeDtypeStruct(a.shape, a.dtype) for a in args]
            try:
                spec = self.params.call(spec, static, structs)
            except Exception as e:
                raise type(e)(f"{at_call(self.name)} the out= callable raised: {e}") from e
        return _flatten_spec(self.name, spec)


class Probed(OutputSpec):
    """Mode 4: `out="probe"`: the host function called once on zeros at trace time,
    remembered per shapes, dtypes and static values (at most PROBE_CACHE_SIZE)."""

    nout = 0

    def __init__(self, params: Parameters, fn: Callable[..., Any]):
        super().__init__(params, fn)
        self._cache: LruCache[Any, Any] = LruCache(PROBE_CACHE_SIZE)

    def describe(self) -> str:
        return "out='probe'"

    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        key = (
            tuple((tuple(a.shape), np.dtype(a.dtype).str) for a in args),
            tuple(sorted(static.items(), key=lambda kv: kv[0])),
        )
        spec = self._cache.get(key, lambda: self._probe(static, args))
        return _flatten_spec(self.name, spec)

    def _probe(self, static: Mapping[str, Any], args: Sequence[jax.Array]) -> Any:
        zeros = [np.zeros(a.shape, a.dtype) for a in args]
        try:
            with np.errstate(all="ignore"):
                res = self.evaluate(static, zeros)
        except Exception as e:
            raise ValueError(
                f"`host_function` could not infer the output of `{self.name}` by probing: "
                f"calling it on zeros of shapes {[z.shape for z in zeros]} raised "
                f"{type(e).__name__}: {e}. Pass `out=` or `signature=`."
            ) from None
        return jax.tree.map(
            lambda r: jax.ShapeDtypeStruct(
                np.shape(r), _dtypes.canonical_dtype(np.asarray(r).dtype)
            ),
            res,
        )


def alive(ref: weakref.ref[Any], name: str) -> Any:
    """The object behind a weak reference that formulas hold, or an error naming `name`."""
    target = ref()
    if target is None:
        raise ReferenceError(
            f"`{name}` was freed, but a formula still uses it. Keep a reference to the "
            f"decorated function (or `register` it) while formulas use it."
        )
    return target


def output_spec(
    params: Parameters,
    fn: Callable[..., Any],
    *,
    out: Any,
    signature: GufuncSignature | None,
    dtype: Any,
) -> OutputSpec:
    """The strategy for the options given to `host_function`."""
    name = params.name
    if dtype is not None and not (isinstance(dtype, str) and dtype in ("float", "complex")):
        try:
            np.dtype(dtype)
        except TypeError:
            raise ValueError(
                f'{at_decoration(name)} dtype= must be a dtype or "float"/"complex", got {dtype!r}.'
            ) from None
    if out is not None and signature is not None:
        raise ValueError(f"{at_decoration(name)} pass either `out=` or `signature=`, not both.")
    if out is not None and dtype is not None:
        raise ValueError(
            f"{at_decoration(name)} `dtype=` applies to elementwise and signature functions; "
            f"with `out=` put the dtype in `out`."
        )
    if isinstance(out, str) and out != "probe":
        raise ValueError(
            f'{at_decoration(name)} out= must be "probe", a ShapeDtypeStruct pytree or a '
            f"callable, got {out!r}."
        )
    if signature is not None:
        if len(signature.inputs) != len(params.dynamic):
            raise ValueError(
                f"{at_decoration(name)} signature {signature.text!r} has "
                f"{len(signature.inputs)} input(s), but the function has "
                f"{len(params.dynamic)} non-static parameter(s) ({', '.join(params.dynamic)})."
            )
        if signature.all_scalar:
            return Elementwise(
                params, fn, nout=len(signature.outputs), dtype=dtype, signature=signature
            )
        return Gufunc(params, fn, signature=signature, dtype=dtype)
    if out == "probe":
        return Probed(params, fn)
    if out is not None:
        return Declared(params, fn, out=out)
    nout = fn.nout if isinstance(fn, np.ufunc) else 1
    return Elementwise(params, fn, nout=nout, dtype=dtype)
