"""Run any NumPy/SciPy function inside JAX with one decorator.

`host_function` wraps a host function through JAX's callbacks (zero-copy on CPU), infers
its output, batches it under `vmap` with one host call, and builds its derivative rules
from formulas, from SymPy, from numerical partials or from user rules.
"""

from importlib import metadata as _metadata
from typing import TYPE_CHECKING

from ._check import check as check
from ._errors import FormulaError as FormulaError
from ._errors import HostCallError as HostCallError
from ._export import export as export
from ._host_function import HostFunction as HostFunction
from ._host_function import host_function as host_function
from ._names import register as register
from ._numerical import numerical as numerical

if TYPE_CHECKING:
    from . import special as special

try:
    __version__ = _metadata.version("autocallback")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "FormulaError",
    "HostCallError",
    "HostFunction",
    "check",
    "export",
    "host_function",
    "numerical",
    "register",
    "special",
]


def __getattr__(name: str):
    # `special` imports SymPy to parse its formulas: load it on first use, so that
    # `import autocallback` stays as light as `import jax`.
    if name == "special":
        import importlib

        return importlib.import_module(".special", __name__)
    raise AttributeError(f"module 'autocallback' has no attribute {name!r}")
