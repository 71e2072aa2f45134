"""`check`: verify a decorated function (placeholder replaced below)."""

from __future__ import annotations

from typing import Any


def check(fn: Any, *args: Any, order: int = 2, rtol: float | None = None, atol: float | None = None, **kwargs: Any) -> Any:
    """Verify a decorated function at the given arguments."""
    raise NotImplementedError
