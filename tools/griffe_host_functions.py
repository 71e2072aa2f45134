"""Griffe extension for the docs: show module-level host functions as functions.

`autocallback.special` defines most of its functions by assignment
(`jv = _entry(scipy.special.jv, ...)`, in its family modules, re-exported by its
`__init__.py` with a `__all__` computed from its table), so static analysis sees
attributes (or imports) without docstrings, and dynamic analysis unwraps `__wrapped__` and shows SciPy's docstring instead
of ours. This extension keeps static analysis and replaces each such attribute by a
function with the runtime object's signature (`inspect.signature`, which reads the
wrapper's `__signature__`) and docstring.

Used by mkdocs.yml (`plugins.mkdocstrings.handlers.python.options.extensions`).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import griffe

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.VAR_POSITIONAL: griffe.ParameterKind.var_positional,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
    inspect.Parameter.VAR_KEYWORD: griffe.ParameterKind.var_keyword,
}


def _parameters(obj: Any) -> griffe.Parameters:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return griffe.Parameters()
    return griffe.Parameters(
        *(
            griffe.Parameter(
                p.name,
                kind=_KINDS[p.kind],
                default=None if p.default is inspect.Parameter.empty else repr(p.default),
            )
            for p in signature.parameters.values()
        )
    )


class HostFunctionsAsFunctions(griffe.Extension):
    """Replace module attributes bound to host functions by documented functions."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != "autocallback":
            return
        from autocallback import HostFunction

        for module in [pkg, *pkg.modules.values()]:
            try:
                runtime = importlib.import_module(module.path)
            except ImportError:
                continue
            exported = getattr(runtime, "__all__", None)
            if exported is not None and not module.exports:
                # `autocallback.special` re-exports the entries of its family modules and
                # derives `__all__` from its table: both come from the runtime module, the
                # entries in the table's order.
                module.exports = list(exported)
                table = getattr(runtime, "CATALOGUE", None)
                order = [fn.name for fn in table.entries] if table is not None else exported
                places = {name: (i + 1, i + 1) for i, name in enumerate(order) if name in exported}
            else:
                places = {
                    name: (member.lineno, member.endlineno)
                    for name, member in module.members.items()
                    if not member.is_alias and member.is_attribute
                }
            for name, (lineno, endlineno) in places.items():
                obj = getattr(runtime, name, None)
                if not isinstance(obj, HostFunction) or not obj.__doc__:
                    continue
                function = griffe.Function(
                    name,
                    lineno=lineno,
                    endlineno=endlineno,
                    parameters=_parameters(obj),
                    docstring=griffe.Docstring(inspect.cleandoc(obj.__doc__), lineno=lineno),
                )
                module.set_member(name, function)
