"""The internal door: what autocallback's own tools use of a `HostFunction`.

`check`, the command line and the catalogue reach a `HostFunction` through these names
only, never through its private attributes (as lineax's `lineax.internal` serves lineax's
own modules). Not public API: it may change with any release.

- `Options`: the options of `host_function`, as one frozen value.
- `HostFunction.deferred(fn, options)`: a function whose derivative rule is built on its
  first use after the `finish(scope_of)` it returns with it (catalogue entries, whose
  formulas name one another, and whose import parses nothing).
- `internals(fn)`: a read-only view (`Internals`) of a function's parameters, output
  strategy and derivative rule.
"""

from __future__ import annotations

from ._host_function import HostFunction as HostFunction
from ._host_function import Internals as Internals
from ._host_function import internals as internals
from ._options import Options as Options
