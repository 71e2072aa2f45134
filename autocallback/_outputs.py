"""The output strategies, one per mode, chosen once at decoration time.

Each `OutputSpec` answers two questions at trace time: `infer(static, args)` gives the
declared outputs (flat `ShapeDtypeStruct`s and the output tree), and `primal(static,
avals, treedef)` gives the traced host call through batching and sharding.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtypes
from ._batching import VmapMethod, align, elementwise_call
from ._errors import HostCallError, at_call, at_decoration
from ._gufunc import GufuncSignature
from ._host_call import call_host
from ._parameters import Parameters

__all__ = ["Declared", "Elementwise", "Gufunc", "OutputSpec", "Probed", "output_spec"]

PROBE_CACHE_SIZE = 256  # output structures remembered per probed function


class OutputSpec:
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

    def describe(self) -> str:
        """The mode, for messages."""
        raise NotImplementedError

    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        """Declared outputs (flat) and the output tree (None: a list of `nout` arrays)."""
        raise NotImplementedError

    def call_host(self, static: Mapping[str, Any], arrays: Sequence[Any]) -> Any:
        """The host function on NumPy values (static values merged in)."""
        return self.params.call(self.fn, static, arrays)

    def host(self, static: Mapping[str, Any], treedef: Any) -> Callable[..., Sequence[Any]]:
        """The host function as the callback path sees it: NumPy arrays in, a flat
        sequence of outputs back, checked against the declared structure."""
        return self._checked(lambda *arrays: self.call_host(static, arrays), treedef)

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

    def primal(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        treedef: Any,
        vmap_method: VmapMethod,
    ) -> Callable[..., list[jax.Array]]:
        host = self.host(static, treedef)
        name = self.name

        def primal(*args: jax.Array) -> list[jax.Array]:
            if all(int(np.prod(a.shape)) == 0 for a in avals):
                return [jnp.zeros(a.shape, a.dtype) for a in avals]
            return call_host(
                host, list(self.prepare(args)), avals, name=name, vmap_method=vmap_method
            )

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
        return self.call_host(static, dyn)

    def primal(
        self,
        static: Mapping[str, Any],
        avals: list[jax.ShapeDtypeStruct],
        treedef: Any,
        vmap_method: VmapMethod,
    ) -> Callable[..., list[jax.Array]]:
        host = self.host(static, treedef)
        ufunc = self.ufunc if not static else None
        name = self.name

        def primal(*args: jax.Array) -> list[jax.Array]:
            return elementwise_call(
                host, list(args), avals, name=name, ufunc=ufunc, vmap_method=vmap_method
            )

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
        from collections import OrderedDict

        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "out='probe'"

    def infer(
        self, static: Mapping[str, Any], args: Sequence[jax.Array]
    ) -> tuple[list[jax.ShapeDtypeStruct], Any]:
        key = (
            tuple((tuple(a.shape), np.dtype(a.dtype).str) for a in args),
            tuple(sorted(static.items(), key=lambda kv: kv[0])),
        )
        with self._lock:
            spec = self._cache.get(key)
            if spec is not None:
                self._cache.move_to_end(key)
        if spec is None:
            spec = self._probe(static, args)
            with self._lock:
                self._cache[key] = spec
                while len(self._cache) > PROBE_CACHE_SIZE:
                    self._cache.popitem(last=False)
        return _flatten_spec(self.name, spec)

    def _probe(self, static: Mapping[str, Any], args: Sequence[jax.Array]) -> Any:
        zeros = [np.zeros(a.shape, a.dtype) for a in args]
        try:
            with np.errstate(all="ignore"):
                res = self.call_host(static, zeros)
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
