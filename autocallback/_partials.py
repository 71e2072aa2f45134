"""Partial derivatives, one small class per kind, and how they are built from the options.

Each argument of a function with formula derivatives has one `Partial`: `Zero` (declared
non-differentiable), `CallablePartial` (a JAX-traceable callable), `Symbolic` (SymPy
expressions, from a formula or derived from `expr=`), `Numerical` (a `numerical()`
marker, a SymPy function evaluated on the host), `Unclosed` (SymPy could not derive it)
or `Missing` (nothing given). Each kind knows what the JVP rule needs from it (`collect`),
what SymPy's chain rule sees (`formula`) and how numerical partials differentiate in its
argument (`in_numerical`). `PartialsBuilder` builds them, one job per method: parsing
`expr=`, numerical partials, `derivatives=` formulas, partials derived from `expr=`.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import jax
import numpy as np

from . import _names
from ._errors import FormulaError, at_decoration
from ._fused import Partials, has_unclosed, unclosed_error
from ._numerical import NumericalPartials, numerical
from ._parameters import Parameters


@dataclasses.dataclass(frozen=True)
class Point:
    """Where a JVP rule asks for the partials: one traced call of the function."""

    params: Parameters
    static: Mapping[str, Any]
    subs: Mapping[Any, Any]  # static values that enter formulas as constants
    primals: Sequence[jax.Array]
    multi: bool


class Partial(abc.ABC):
    """The partial derivative of the outputs with respect to one argument."""

    #: whether the argument has a derivative (`check` verifies those)
    differentiable: ClassVar[bool] = True
    #: whether `HostFunction.derivatives` lists it (as `public`)
    listed: ClassVar[bool] = True
    #: what `HostFunction.derivatives` shows for it
    public: Any = None
    #: its SymPy expressions, one per output (none for the kinds without)
    exprs: tuple[Any, ...] = ()

    @abc.abstractmethod
    def collect(self, into: Partials, i: int, arg: str, at: Point) -> None:
        """Add this partial of argument `arg` (index `i`) at `at` to `into`, or raise
        where the argument cannot be differentiated."""

    def formula(self, k: int) -> Any:
        """Output k's partial as a SymPy expression for SymPy's chain rule (None: none)."""
        del k
        return None

    @abc.abstractmethod
    def in_numerical(self, k: int) -> Any:
        """How a numerical partial differentiates in this argument: a SymPy expression,
        None to differentiate numerically, or False where there is no derivative."""


class Missing(Partial):
    """Nothing given: differentiating the argument is an error that names the remedy."""

    differentiable = False
    listed = False

    def collect(self, into: Partials, i: int, arg: str, at: Point) -> None:
        raise TypeError(
            f"`{at.params.name}` has no derivative with respect to argument '{arg}', which is "
            f"being differentiated. Pass `derivatives={{'{arg}': ...}}` (a formula, a "
            f"JAX-traceable callable, `autocallback.numerical()`, or None to treat it as "
            f"constant) or `expr=`."
        )

    def in_numerical(self, k: int) -> Any:
        return False


MISSING = Missing()


class Zero(Partial):
    """`None`: declared non-differentiable; its tangent is taken as zero."""

    differentiable = False

    def collect(self, into: Partials, i: int, arg: str, at: Point) -> None:
        pass

    def in_numerical(self, k: int) -> Any:
        import sympy

        return sympy.S.Zero


class CallablePartial(Partial):
    """A JAX-traceable callable with the function's parameters."""

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn
        self.public = fn

    def collect(self, into: Partials, i: int, arg: str, at: Point) -> None:
        res = at.params.call(self.fn, at.static, at.primals)
        into.values[i] = list(res) if at.multi else [res]

    def in_numerical(self, k: int) -> Any:
        return None  # a mixed numerical derivative


class Symbolic(Partial):
    """One SymPy expression per output, of the function's parameter symbols."""

    def __init__(self, exprs: tuple[Any, ...], public: Any):
        self.exprs = exprs
        self.public = public

    def collect(self, into: Partials, i: int, arg: str, at: Point) -> None:
        subs = at.subs
        into.exprs[i] = tuple(e.xreplace(subs) if subs else e for e in self.exprs)

    def formula(self, k: int) -> Any:
        return self.exprs[k]

    def in_numerical(self, k: int) -> Any:
        return self.exprs[k]


class Numerical(Symbolic):
    """`numerical()`: SymPy functions whose host implementation differentiates the host
    function; their own derivatives in this argument are numerical too."""

    def in_numerical(self, k: int) -> Any:
        return None


class Unclosed(Partial):
    """SymPy could not close the derivative of `expr=`: an error when differentiated."""

    differentiable = False
    listed = False

    def __init__(self, leftover: Any):
        self.leftover = leftover

    def collect(self, into: Partials, i: int, arg: str, at: Point) -> None:
        raise unclosed_error(at.params.name, arg, self.leftover, "from expr=")

    def in_numerical(self, k: int) -> Any:
        return False


def plain_partial(name: str, key: str, value: Any) -> Partial:
    """The partial of a `derivatives=` value that is not a formula."""
    if value is None:
        return Zero()
    if callable(value):
        return CallablePartial(value)
    raise TypeError(
        f"{at_decoration(name)} derivatives[{key!r}] must be a formula string, a tuple of "
        f"formulas (one per output), a callable, `autocallback.numerical()` or None, got "
        f"{type(value).__name__}."
    )


def symbols(params: Parameters) -> dict[str, Any]:
    """One real SymPy symbol per parameter."""
    import sympy

    return {p: sympy.Symbol(p, real=True) for p in params.names}


def static_substitutions(symbols: Mapping[str, Any], static: Mapping[str, Any]) -> dict[Any, Any]:
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


def _short_list(table: Mapping[str, Any]) -> str:
    names = [n for n in table if n not in ("pi", "E", "I")]
    shown = ", ".join(names[:12])
    return f"{shown}, ... ({len(names)} in all: see the formulas guide)"


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    )


class PartialsBuilder:
    """The partials of one function from `derivatives=` and `expr=`, one job per method.

    `own` is the function's SymPy class; `hosts()` gives one host evaluator per output
    (values in parameter order) for numerical partials, `thread_safe` whether they may
    run on several threads; `scope` holds extra formula names (a catalogue's entries).
    """

    def __init__(
        self,
        params: Parameters,
        *,
        nout: int,
        multi: bool,
        own: Any,
        scope: Mapping[str, Any] | None,
    ):
        self.params = params
        self.name = params.name
        self.nout = nout
        self.multi = multi
        self.own = own
        self.symbols = symbols(params)
        self.table = _names.formula_names(scope)
        self.registered = ", ".join(_names.registered_names(scope)) or "none"
        self.partials: dict[str, Partial] = {}
        self.head: Any = None  # expr='s head function, when it stands for this function

    def _known(self, *own: str) -> str:
        """The names a formula may use, for messages (`own`: this function's names)."""
        params = ", ".join(self.params.names)
        return ", ".join(
            [
                f"{params} (arguments)",
                *own,
                f"pi, E, I, SymPy functions ({_short_list(self.table)})",
                f"registered: {self.registered}",
            ]
        )

    def parse_expr(self, expr: Any) -> tuple[Any, ...]:
        """`expr=` as one SymPy expression per output (its head noted in `self.head`)."""
        from ._formula import parse_formula

        name, known = self.name, self._known()
        names = {**self.table, **self.symbols}
        if isinstance(expr, (tuple, list)):
            value = tuple(
                parse_formula(t, fn_name=name, arg="expr", names=names, known=known) for t in expr
            )
        else:
            value = parse_formula(
                expr, fn_name=name, arg="expr", names=names, known=known, allow_tuple=True
            )
        exprs = value if isinstance(value, tuple) else (value,)
        if len(exprs) != self.nout:
            raise FormulaError(
                f"{at_decoration(name)} expr= gives {len(exprs)} expression(s), but the "
                f"function has {self.nout} output(s)."
            )
        if len(exprs) == 1 and self._is_head(exprs[0]):
            self.head = exprs[0]
        free = set().union(*({s.name for s in e.free_symbols} for e in exprs))
        extra = free - set(self.params.names)
        if extra:
            raise FormulaError(f"{at_decoration(name)} expr= uses unknown names {sorted(extra)}.")
        return exprs

    def _is_head(self, e: Any) -> bool:
        """Whether `e` is a call whose arguments are exactly the parameters (any order)."""
        import sympy

        return (
            isinstance(e, sympy.Function)
            and sorted(map(str, e.args)) == sorted(self.params.names)
            and all(a.is_Symbol for a in e.args)
        )

    def add_numerical(
        self,
        markers: Mapping[str, numerical],
        hosts: Callable[[], list[Callable[..., Any]]],
        thread_safe: bool,
    ) -> None:
        """`numerical()` partials: SymPy functions differentiating the host function."""
        partials = self.partials

        def in_numerical(param: str, k: int) -> Any:
            return partials.get(param, MISSING).in_numerical(k)

        order = [self.symbols[p] for p in self.params.names]
        # The function's own JAX evaluation, when it is native: the differences then run
        # in the XLA program (for several outputs, each from the function's call).
        jax_value = getattr(self.own, "_ac_jax", None)
        native = getattr(self.own, "_ac_native", None)
        owner = getattr(self.own, "_ac_owner", None)
        jax_hosts = None
        if jax_value is not None and self.nout == 1:
            jax_hosts = [jax_value]
        elif owner is not None and self.nout > 1:
            jax_hosts = [_output_of(owner, k) for k in range(self.nout)]
        numerics = NumericalPartials(
            self.name,
            self.params.names,
            order,
            hosts(),
            markers,
            in_numerical,
            thread_safe,
            jax_hosts=jax_hosts,
            native=native,
        )
        for key, marker in markers.items():
            exprs = tuple(numerics.call(k, key, order) for k in range(self.nout))
            partials[key] = Numerical(exprs, marker)

    def add_formulas(self, raw: Mapping[str, Any]) -> None:
        """The other `derivatives=` values: formulas parsed, callables and None kept."""
        from ._formula import parse_formula

        name, nout, own = self.name, self.nout, self.own
        # A name that is not an identifier (a lambda's) cannot be written in a formula.
        own_name = name if name.isidentifier() else None
        names = {**self.table, **self.symbols, **({own_name: own} if own_name else {})}
        mine = [f"{name} (this function)"] if own_name else []
        if self.head is not None:
            names[type(self.head).__name__] = own
            mine.append(f"{type(self.head).__name__} (this function, from expr)")
        known = self._known(*mine) + (
            "" if own_name else ". To call this function in its formulas, pass `name=`"
        )
        for key, value in raw.items():
            if not _is_formula(value):
                self.partials[key] = plain_partial(name, key, value)
                continue
            texts = self._texts(key, value)
            arg = f"argument '{key}'"
            parsed = tuple(
                parse_formula(t, fn_name=name, arg=arg, names=names, known=known) for t in texts
            )
            if self.multi and any(e.has(own) for e in parsed):
                raise FormulaError(
                    f"Formula for {arg} of `{name}` calls `{name}`, which has {nout} outputs: "
                    f"a formula can only call functions of one output. Use the SymPy "
                    f"functions for the outputs (e.g. airyai, airyaiprime), `register` "
                    f"single-output functions, or give a callable."
                )
            self.partials[key] = Symbolic(parsed, value if isinstance(value, str) else texts)

    def _texts(self, key: str, value: str | tuple[str, ...]) -> tuple[str, ...]:
        """One formula text per output, or a `FormulaError`."""
        name, nout = self.name, self.nout
        if isinstance(value, str) and nout > 1:
            raise FormulaError(
                f"{at_decoration(name)} derivatives[{key!r}] must be a tuple of {nout} "
                f"formulas, one per output."
            )
        texts = (value,) if isinstance(value, str) else tuple(value)
        if len(texts) != nout:
            raise FormulaError(
                f"{at_decoration(name)} derivatives[{key!r}] has {len(texts)} formula(s) but "
                f"the function has {nout} output(s)."
            )
        return texts

    def add_derived(self, exprs: tuple[Any, ...]) -> None:
        """Partials derived from `expr=` with SymPy, for the arguments not given."""
        symbols, head = self.symbols, self.head
        own_call = self.own(*[symbols[q] for q in self.params.names]) if head is not None else None
        for p in self.params.dynamic:
            if p in self.partials:
                continue
            derived = []
            for e in exprs:
                d = e.diff(symbols[p])
                if head is not None:
                    d = d.xreplace({head: own_call})
                if has_unclosed(d):
                    self.partials[p] = Unclosed(d)
                    break
                derived.append(d)
            else:
                public = str(derived[0]) if len(derived) == 1 else tuple(map(str, derived))
                self.partials[p] = Symbolic(tuple(derived), public)


def check_keys(params: Parameters, derivatives: Mapping[str, Any]) -> None:
    """Every key of `derivatives=` names a non-static parameter."""
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


def _output_of(owner: Any, k: int) -> Callable[..., Any]:
    """Output k of the host function that `owner` (a weak reference) refers to, in JAX."""

    def output(*values: Any) -> Any:
        fn = owner()
        pos, kw = fn._params.arguments(values)
        return fn(*pos, **kw)[k]

    return output
