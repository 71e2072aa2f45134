"""Griffe extension for the docs: show module-level host functions as functions.

`autocallback.special` defines most of its functions by assignment
(`jv = _entry(scipy.special.jv, ...)`), so static analysis sees attributes without
docstrings, and dynamic analysis unwraps `__wrapped__` and shows SciPy's docstring instead
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
            for name, member in list(module.members.items()):
                if member.is_alias or not member.is_attribute:
                    continue
                obj = getattr(runtime, name, None)
                if not isinstance(obj, HostFunction) or not obj.__doc__:
                    continue
                function = griffe.Function(
                    name,
                    lineno=member.lineno,
                    endlineno=member.endlineno,
                    parameters=_parameters(obj),
                    docstring=griffe.Docstring(inspect.cleandoc(obj.__doc__), lineno=member.lineno),
                )
                module.set_member(name, function)
