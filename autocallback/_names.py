"""The table of names a formula may use, and `register`.

Each name maps to a SymPy object (constant or function). Each SymPy function maps to a
host implementation (NumPy/SciPy, used by the fused host evaluator) and, where
`jax.numpy`/`jax.scipy.special` has one, a native JAX implementation. The table is ours:
SymPy's own printers are not used (its JAX printer prints `math.erf` and cannot print
`besselj`). Note the name clash this table settles: SymPy's `jn`/`yn` are *spherical*
Bessel functions, and so they are here (`scipy.special.spherical_jn`/`spherical_yn`).

Names of a module of decorated functions that refer to one another (such as
`autocallback.special`) are not global: they are passed to those functions as a scope.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

_lock = threading.RLock()
# name -> (sympy object, host impl or None, jax impl or None), added by `register`.
_registered: dict[str, Any] = {}


def _int_array(n: Any) -> Any:
    n = np.asarray(n)
    if n.dtype.kind in "iub":
        return n
    if n.dtype.kind == "f" and np.all(n == np.round(n)):
        return n.astype(np.int64)
    return n


def _project(fn: Callable[..., Any], index: int) -> Callable[..., Any]:
    """Host implementation that is one output of a multi-output host call.

    The fused evaluator calls `fn` once per distinct argument list and shares the
    result between projections (Ai and Ai' of `airy` come from one call).
    """

    def impl(*args: Any) -> Any:
        return fn(*args)[index]

    impl.multi = (fn, index)  # type: ignore[attr-defined]
    return impl


@functools.cache
def builtin_table() -> tuple[
    dict[str, Any], dict[Any, Callable[..., Any]], dict[Any, Callable[..., Any]]
]:
    """(names, host implementations, JAX implementations) of the built-in formula names."""
    import jax.numpy as jnp
    import jax.scipy.special as jsp
    import scipy.special as sc
    import sympy as sp

    names: dict[str, Any] = {"pi": sp.pi, "E": sp.E, "I": sp.I}
    host: dict[Any, Callable[..., Any]] = {}
    jax: dict[Any, Callable[..., Any]] = {}

    def add(
        name: str, obj: Any, h: Callable[..., Any] | None, j: Callable[..., Any] | None = None
    ) -> None:
        names[name] = obj
        cls = obj
        if h is not None:
            host[cls] = h
        if j is not None:
            jax[cls] = j

    elementary = {
        "exp": (np.exp, jnp.exp),
        "log": (
            lambda x, b=None: np.log(x) if b is None else np.log(x) / np.log(b),
            lambda x, b=None: jnp.log(x) if b is None else jnp.log(x) / jnp.log(b),
        ),
        "sin": (np.sin, jnp.sin),
        "cos": (np.cos, jnp.cos),
        "tan": (np.tan, jnp.tan),
        "asin": (np.arcsin, jnp.arcsin),
        "acos": (np.arccos, jnp.arccos),
        "atan": (np.arctan, jnp.arctan),
        "sinh": (np.sinh, jnp.sinh),
        "cosh": (np.cosh, jnp.cosh),
        "tanh": (np.tanh, jnp.tanh),
        "asinh": (np.arcsinh, jnp.arcsinh),
        "acosh": (np.arccosh, jnp.arccosh),
        "atanh": (np.arctanh, jnp.arctanh),
        "floor": (np.floor, jnp.floor),
        "ceiling": (np.ceil, jnp.ceil),
        "conjugate": (np.conj, jnp.conj),
        "re": (np.real, jnp.real),
        "im": (np.imag, jnp.imag),
        "sign": (np.sign, jnp.sign),
        "Abs": (np.abs, jnp.abs),
    }
    for name, (h, j) in elementary.items():
        add(name, getattr(sp, name), h, j)
    names["abs"] = sp.Abs
    names["ln"] = sp.log
    add("sqrt", sp.sqrt, None)  # builds Pow(x, 1/2); evaluated as a power
    add("cot", sp.cot, lambda x: 1 / np.tan(x), lambda x: 1 / jnp.tan(x))
    add("sec", sp.sec, lambda x: 1 / np.cos(x), lambda x: 1 / jnp.cos(x))
    add("csc", sp.csc, lambda x: 1 / np.sin(x), lambda x: 1 / jnp.sin(x))
    add("acot", sp.acot, lambda x: np.arctan(1 / x), lambda x: jnp.arctan(1 / x))
    add("atan2", sp.atan2, np.arctan2, jnp.arctan2)
    add(
        "Min",
        sp.Min,
        lambda *a: functools.reduce(np.minimum, a),
        lambda *a: functools.reduce(jnp.minimum, a),
    )
    add(
        "Max",
        sp.Max,
        lambda *a: functools.reduce(np.maximum, a),
        lambda *a: functools.reduce(jnp.maximum, a),
    )
    add(
        "Heaviside",
        sp.Heaviside,
        lambda x, h0=0.5: np.heaviside(x, h0),
        lambda x, h0=0.5: jnp.heaviside(x, h0),
    )
    add(
        "DiracDelta",
        sp.DiracDelta,
        lambda x, k=0: np.zeros_like(np.real(x)),
        lambda x, k=0: jnp.zeros_like(jnp.real(x)),
    )
    add("sinc", sp.sinc, lambda x: np.sinc(np.asarray(x) / np.pi), lambda x: jnp.sinc(x / jnp.pi))
    names["Piecewise"] = sp.Piecewise  # evaluated by the interpreter (np.select / jnp.select)
    names["exp_polar"] = sp.exp_polar
    host[sp.exp_polar] = np.exp
    jax[sp.exp_polar] = jnp.exp

    # Special functions.
    add("gamma", sp.gamma, sc.gamma, jsp.gamma)
    add("loggamma", sp.loggamma, sc.loggamma, jsp.gammaln)
    add("digamma", sp.digamma, sc.digamma, jsp.digamma)
    add(
        "polygamma",
        sp.polygamma,
        lambda n, x: sc.polygamma(_int_array(n), x),
        lambda n, x: jsp.polygamma(n, x),
    )
    add("beta", sp.beta, sc.beta, jsp.beta)
    add(
        "factorial",
        sp.factorial,
        lambda x: sc.gamma(np.asarray(x, dtype=float) + 1),
        lambda x: jsp.gamma(x + 1.0),
    )
    add("binomial", sp.binomial, sc.binom, None)
    add(
        "uppergamma",
        sp.uppergamma,
        lambda s, x: sc.gammaincc(s, x) * sc.gamma(s),
        lambda s, x: jsp.gammaincc(s, x) * jsp.gamma(s),
    )
    add(
        "lowergamma",
        sp.lowergamma,
        lambda s, x: sc.gammainc(s, x) * sc.gamma(s),
        lambda s, x: jsp.gammainc(s, x) * jsp.gamma(s),
    )
    add("erf", sp.erf, sc.erf, jsp.erf)
    add("erfc", sp.erfc, sc.erfc, jsp.erfc)
    add("erfi", sp.erfi, sc.erfi, None)
    add("erfinv", sp.erfinv, sc.erfinv, jsp.erfinv)
    add("erfcinv", sp.erfcinv, sc.erfcinv, None)
    add("besselj", sp.besselj, sc.jv)
    add("bessely", sp.bessely, sc.yv)
    add("besseli", sp.besseli, sc.iv)
    add("besselk", sp.besselk, sc.kv)
    add("hankel1", sp.hankel1, sc.hankel1)
    add("hankel2", sp.hankel2, sc.hankel2)
    add("jn", sp.jn, lambda n, z: sc.spherical_jn(_int_array(n), z))
    add("yn", sp.yn, lambda n, z: sc.spherical_yn(_int_array(n), z))
    add("airyai", sp.airyai, _project(sc.airy, 0))
    add("airyaiprime", sp.airyaiprime, _project(sc.airy, 1))
    add("airybi", sp.airybi, _project(sc.airy, 2))
    add("airybiprime", sp.airybiprime, _project(sc.airy, 3))
    add(
        "zeta",
        sp.zeta,
        lambda s, a=None: sc.zeta(s) if a is None else sc.zeta(s, a),
        lambda s, a=None: jsp.zeta(s, 1.0 if a is None else a),
    )
    add("expint", sp.expint, lambda n, z: sc.expn(_int_array(n), z), None)
    add("Ei", sp.Ei, sc.expi, jsp.expi)
    add("E1", sp.E1, sc.exp1, jsp.exp1)
    add("li", sp.li, lambda x: sc.expi(np.log(x)), None)
    add("Si", sp.Si, _project(sc.sici, 0))
    add("Ci", sp.Ci, _project(sc.sici, 1))
    add("Shi", sp.Shi, _project(sc.shichi, 0))
    add("Chi", sp.Chi, _project(sc.shichi, 1))
    add("fresnels", sp.fresnels, _project(sc.fresnel, 0))
    add("fresnelc", sp.fresnelc, _project(sc.fresnel, 1))
    add("elliptic_k", sp.elliptic_k, sc.ellipk)
    add(
        "elliptic_e",
        sp.elliptic_e,
        lambda a, b=None: sc.ellipe(a) if b is None else sc.ellipeinc(a, b),
    )
    add("elliptic_f", sp.elliptic_f, sc.ellipkinc)
    add("LambertW", sp.LambertW, lambda x, k=0: sc.lambertw(x, _int_array(k)))
    add("chebyshevt", sp.chebyshevt, sc.eval_chebyt)
    add("chebyshevu", sp.chebyshevu, sc.eval_chebyu)
    add("hermite", sp.hermite, sc.eval_hermite)
    add("laguerre", sp.laguerre, sc.eval_laguerre)
    add("assoc_laguerre", sp.assoc_laguerre, sc.eval_genlaguerre)
    add("legendre", sp.legendre, sc.eval_legendre)
    add("gegenbauer", sp.gegenbauer, sc.eval_gegenbauer)
    add("jacobi", sp.jacobi, sc.eval_jacobi)
    return names, host, jax


def function_class(
    name: str,
    *,
    host: Callable[..., Any] | None,
    jax: Callable[..., Any] | None,
    fdiff: Callable[[Any, int], Any] | None = None,
    nargs: int | None = None,
    native: Callable[[], bool] | None = None,
) -> Any:
    """A SymPy function class standing for a decorated or registered function (`native()`:
    whether its JAX implementation runs without Python, so that formulas calling it are
    evaluated in the XLA program rather than in a host call)."""
    import sympy

    namespace: dict[str, Any] = {
        "_ac_host": staticmethod(host) if host else None,
        "_ac_jax": staticmethod(jax) if jax else None,
        "_ac_native": staticmethod(native) if native else None,
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


def formula_symbol(name: str, fn: Callable[..., Any]) -> Any:
    """The SymPy function class standing for `fn` in formulas: a decorated host function's
    own class (its derivatives then carry through), or a JAX-only function."""
    own = getattr(fn, "formula_class", None)
    if callable(own):
        return own()
    return function_class(name, host=None, jax=fn)


def formula_names(scope: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every name a formula may use besides the function's own: built-ins, registered
    names, then the names of `scope`."""
    names = dict(builtin_table()[0])
    with _lock:
        for name, entry in _registered.items():
            names[name] = entry[0]
    if scope:
        names.update(scope)
    return names


@functools.cache
def _builtin_hosts() -> frozenset[int]:
    return frozenset(id(f) for f in builtin_table()[1].values())


def is_builtin_host(impl: Any) -> bool:
    """Whether `impl` is one of the built-in host implementations (NumPy/SciPy only)."""
    return id(impl) in _builtin_hosts()


def host_impl(func: Any) -> Callable[..., Any] | None:
    """The host implementation of a SymPy function class, or None."""
    impl = builtin_table()[1].get(func)
    if impl is None:
        impl = getattr(func, "_ac_host", None)
    return impl


def jax_impl(func: Any) -> Callable[..., Any] | None:
    """The JAX implementation of a SymPy function class, or None."""
    impl = builtin_table()[2].get(func)
    if impl is None:
        impl = getattr(func, "_ac_jax", None)
    if impl is None:
        builtin = _native_builtin(func)
        if builtin is not None and builtin.native:
            impl = builtin
    return impl


def is_native(func: Any) -> bool:
    """Whether a SymPy function class has a JAX implementation that runs natively (a
    function evaluated by a native kernel, or a numerical partial of one)."""
    builtin = _native_builtin(func)
    if builtin is not None:
        return builtin.native
    native = getattr(func, "_ac_native", None)
    return native is not None and jax_impl(func) is not None and bool(native())


def is_symbolic(func: Any) -> bool:
    """Whether calls of `func` evaluated in the program are differentiated by SymPy, not
    by JAX through the call (numerical partials, SciPy-backed built-in names)."""
    return bool(getattr(func, "_ac_symbolic", False)) or func in _native_builtin_ufuncs()


@functools.cache
def _native_builtin_ufuncs() -> dict[Any, tuple[np.ufunc, int | None]]:
    """The built-in names without a JAX implementation whose host implementation is a
    SciPy ufunc, or one output of one (`besselj`, `airyai`, ...), which may have a native
    kernel: (ufunc, output index or None)."""
    _, host, jax = builtin_table()
    found: dict[Any, tuple[np.ufunc, int | None]] = {}
    for func, impl in host.items():
        if func in jax:
            continue
        multi = getattr(impl, "multi", None)
        if isinstance(impl, np.ufunc):
            found[func] = (impl, None)
        elif multi is not None and isinstance(multi[0], np.ufunc):
            found[func] = (multi[0], multi[1])
    return found


class _NativeBuiltin:
    """A built-in name's SciPy ufunc as a JAX function, evaluated by its native kernel (a
    host function made on first use; SymPy differentiates the formulas that call it)."""

    def __init__(self, ufunc: np.ufunc, index: int | None):
        self.ufunc, self.index = ufunc, index
        self._fn: Any = None

    @property
    def fn(self) -> Any:
        if self._fn is None:
            if _host_function_type is None:
                raise RuntimeError("autocallback._host_function is not imported")
            self._fn = _host_function_type(self.ufunc)
        return self._fn

    @property
    def native(self) -> bool:
        return bool(self.fn.native)

    def __call__(self, *args: Any) -> Any:
        out = self.fn(*args)
        return out if self.index is None else out[self.index]


_builtins_made: dict[Any, _NativeBuiltin] = {}
# `HostFunction`, set by `_host_function` (a layer above this one) when it is imported.
_host_function_type: Callable[[Any], Any] | None = None


def use_host_functions(host_function_type: Callable[[Any], Any]) -> None:
    """Make built-in names' host functions with `host_function_type` (`HostFunction`)."""
    global _host_function_type
    _host_function_type = host_function_type


def _native_builtin(func: Any) -> _NativeBuiltin | None:
    found = _native_builtin_ufuncs().get(func)
    if found is None:
        return None
    with _lock:
        made = _builtins_made.get(func)
        if made is None:
            made = _builtins_made[func] = _NativeBuiltin(*found)
        return made


def registered_names(scope: Mapping[str, Any] | None = None) -> list[str]:
    with _lock:
        return sorted({*_registered, *(scope or ())})


def register(name: str, fn: Callable[..., Any], *, replace: bool = False) -> None:
    """Make `name` usable in every later formula.

    Args:
        name: a Python identifier, not a dunder name.
        fn: a function decorated with `host_function` (its own derivatives then carry into
            every formula that uses it, at every order) or a JAX-traceable callable (which
            JAX differentiates itself; formulas using it are evaluated in JAX).
        replace: allow replacing a name registered before. Built-in formula names (`sin`,
            `besselj`, ...) can be shadowed only with `replace=True`.

    Raises:
        ValueError: the name is taken (a built-in formula name or one registered before)
            and `replace` is False, or the name is not a valid identifier.
        TypeError: `fn` is not callable.

    Example:
        ```python
        import scipy.special
        import autocallback as ac

        struve = ac.host_function(scipy.special.struve,
                                  derivatives={"v": None, "x": "..."})
        ac.register("struve", struve)
        ```
    """
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("__"):
        raise ValueError(
            f"`register` needs a Python identifier that is not a dunder name as the name, got {name!r}."
        )
    if not callable(fn):
        raise TypeError(f"`register` needs a callable for {name!r}, got {type(fn).__name__}.")
    with _lock:
        if not replace:
            if name in builtin_table()[0] or name in {"abs", "ln", "Piecewise", "pi", "E", "I"}:
                raise ValueError(
                    f"`register`: {name!r} is a built-in formula name. Choose another name, "
                    f"or pass `replace=True` to shadow it in later formulas."
                )
            if name in _registered:
                raise ValueError(
                    f"`register`: {name!r} is already registered. Choose another name, or "
                    f"pass `replace=True` to replace it."
                )
        # The function itself is kept: the formula class of a decorated function refers
        # to it weakly.
        _registered[name] = (formula_symbol(name, fn), fn)


def builtin_jax_impl(func: Any) -> Callable[..., Any] | None:
    """The native JAX implementation of a built-in SymPy function class, or None."""
    return builtin_table()[2].get(func)
