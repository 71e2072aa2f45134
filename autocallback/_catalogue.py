"""A catalogue of host functions declared as a table (the machinery of
`autocallback.special`).

Entries are added in sections; each is one `host_function` with its docstring and
sample points. Once the table is finished, each entry's derivative formulas are parsed on
its first use, with every entry's name in scope, so entries may name one another in any
order (the Kelvin functions differentiate into each other in a cycle), no formula name
becomes global, and importing the table parses nothing. The docs' catalogue page is
generated from the sections and entries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from ._internal import HostFunction, Options


class Catalogue:
    """Sections of catalogue entries, and helpers their formulas may use."""

    def __init__(self, source: str):
        self.source = source  # the module whose functions are wrapped, for docstrings
        self.sections: list[tuple[str, list[HostFunction[Any]]]] = []
        self.helpers: list[HostFunction[Any]] = []
        self._finish: dict[int, Callable[[Callable[[], Mapping[str, Any]]], None]] = {}
        self._finished = False
        self._lock = threading.Lock()
        self._scope: dict[str, Any] | None = None

    def section(self, heading: str) -> None:
        """Start a section of the docs' table."""
        self.sections.append((heading, []))

    def add(
        self, fn: Callable[..., Any] | None = None, doc: str | None = None, **options: Any
    ) -> Any:
        """One entry: `fn` wrapped with `host_function(**options)`; `doc` (description,
        then details) becomes its docstring after "autocallback wrapper of ...". Without
        `fn`, a decorator (the docstring is then the function's own)."""
        if fn is None:
            return lambda f: self.add(f, doc, **options)
        if not self.sections:
            raise RuntimeError("Catalogue.add before the first section")
        wrapped = self._wrap(fn, doc, options)
        self.sections[-1][1].append(wrapped)
        return wrapped

    def helper(self, fn: Callable[..., Any], doc: str, **options: Any) -> HostFunction[Any]:
        """A function that formulas may use but that is not part of the catalogue."""
        wrapped = self._wrap(fn, None, options)
        wrapped.__doc__ = doc
        self.helpers.append(wrapped)
        return wrapped

    def _wrap(self, fn: Callable[..., Any], doc: str | None, options: dict[str, Any]) -> Any:
        if self._finished:
            raise RuntimeError("Catalogue.add after finish()")
        name = options.pop("name", getattr(fn, "__name__", None))
        wrapped, finish = HostFunction.deferred(fn, Options(name=name, **options))
        self._finish[id(wrapped)] = finish
        if doc is not None:
            wrapped.__doc__ = f"autocallback wrapper of `{self.source}.{name}`.\n\n{doc.strip()}\n"
        return wrapped

    @property
    def entries(self) -> list[HostFunction[Any]]:
        return [fn for _, fns in self.sections for fn in fns]

    def finish(self) -> None:
        """Close the table. Each entry's formulas are parsed on its first use (a call, its
        `derivatives`, a formula differentiating it), with the names of all entries and
        helpers in scope."""
        self._finished = True
        for fn in [*self.helpers, *self.entries]:
            self._finish.pop(id(fn))(self._names)

    def _names(self) -> Mapping[str, Any]:
        """The formula names of all entries and helpers (made on the first use of any)."""
        with self._lock:
            if self._scope is None:
                everything = [*self.helpers, *self.entries]
                self._scope = {fn.name: fn.formula_class() for fn in everything}
            return self._scope
