"""`Options`: the keyword options of `host_function`, as one frozen value.

`host_function` collects its keyword arguments here once; `HostFunction` reads them at
decoration time, and the catalogue builds its entries from them. Their meaning is
documented on `host_function`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._host_call import VmapMethod


@dataclasses.dataclass(frozen=True)
class Options:
    """The options given to `host_function` (see its docstring for each)."""

    out: Any = None
    signature: str | None = None
    dtype: Any = None
    derivatives: Mapping[str, Any] | None = None
    expr: Any = None
    jvp: Callable[..., Any] | None = None
    vjp: Callable[..., Any] | None = None
    static_argnames: str | Sequence[str] = ()
    vmap_method: VmapMethod | None = None
    name: str | None = None
    examples: Sequence[Any] | None = None

    @property
    def user_rule(self) -> bool:
        """Whether the derivative comes from `jvp=`/`vjp=` (not formulas)."""
        return self.jvp is not None or self.vjp is not None

    @property
    def formulas(self) -> bool:
        """Whether derivative formulas or `expr=` are given."""
        return bool(self.derivatives) or self.expr is not None
