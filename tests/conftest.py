"""Shared fixtures for the core test suite.

- `x64`: runs a test with `jax_enable_x64` off and on, restoring the previous value.
- `callback_mode`: runs a test on both callback paths (`buffer_callback`, `pure_callback`).
- `counted`: wraps a host function in a Python counter (`.calls` lists the argument shapes).
- `host_calls`: counts host round trips (callbacks), for functions whose host function is
  called several times per round trip (signature functions loop over core elements).
- `python_path`: native kernels off (SciPy ufuncs take the Python host call).
- `fresh_name`: unique names for `autocallback.register`, unregistered afterwards.

Every test that depends on the configuration decorates its functions inside the test, so
that the configuration applies to a fresh trace.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import jax
import numpy as np
import pytest

from autocallback import _host_call, _names


@pytest.fixture(params=[False, True], ids=["x32", "x64"])
def x64(request: pytest.FixtureRequest) -> Iterator[bool]:
    """`jax_enable_x64` off, then on; the previous value is restored afterwards."""
    previous = bool(jax.config.read("jax_enable_x64"))
    jax.config.update("jax_enable_x64", request.param)
    try:
        yield request.param
    finally:
        jax.config.update("jax_enable_x64", previous)


@pytest.fixture
def enable_x64() -> Iterator[None]:
    """`jax_enable_x64` on for the test (derivative checks in float64)."""
    previous = bool(jax.config.read("jax_enable_x64"))
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", previous)


@pytest.fixture
def python_path() -> Iterator[None]:
    """Native kernels off: SciPy ufuncs take the Python host call (the path of every
    other host function and of GPU/TPU backends), for tests of that path."""
    from autocallback import _kernels

    # The choice is made when a function is traced: programs traced before (cached by
    # jit) are dropped on the way in and out.
    jax.clear_caches()
    previous = _kernels.set_enabled(False)
    try:
        yield
    finally:
        _kernels.set_enabled(previous)
        jax.clear_caches()


@pytest.fixture(params=["buffer", "pure"])
def callback_mode(request: pytest.FixtureRequest) -> Iterator[str]:
    """Both callback paths. Functions must be decorated inside the test."""
    previous = getattr(_host_call, "_mode", "auto")
    _host_call.set_callback_mode(request.param)
    try:
        yield request.param
    finally:
        _host_call.set_callback_mode(previous if previous in ("auto", "buffer", "pure") else "auto")


class Counted:
    """A host function wrapped in a Python counter; keeps the name and signature."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None):
        self.fn = fn
        self.calls: list[tuple[Any, ...]] = []
        self.types: list[tuple[type, ...]] = []
        counted = self

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted.calls.append(tuple(np.shape(a) for a in args))
            counted.types.append(tuple(type(a) for a in args))
            return fn(*args, **kwargs)

        wrapper.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
        if name is not None:
            wrapper.__name__ = name
        self.wrapper = wrapper

    @property
    def count(self) -> int:
        return len(self.calls)

    def reset(self) -> None:
        self.calls.clear()
        self.types.clear()


@pytest.fixture
def counted() -> Callable[..., Counted]:
    """`counted(fn, name=None)` -> `Counted`; decorate `.wrapper`, read `.count`/`.calls`."""
    return Counted


class HostCalls:
    """Host round trips made through autocallback's callback layer, by function name."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[tuple[int, ...], ...]]] = []

    def count(self, name: str | None = None) -> int:
        return sum(1 for n, _ in self.calls if name is None or n == name)

    def shapes(self, name: str) -> list[tuple[tuple[int, ...], ...]]:
        return [s for n, s in self.calls if n == name]

    def reset(self) -> None:
        self.calls.clear()


@pytest.fixture
def host_calls(monkeypatch: pytest.MonkeyPatch) -> HostCalls:
    """Counts host round trips by wrapping `autocallback._host_call._run` (every host call
    of a non-ufunc host function goes through it on both callback paths)."""
    record = HostCalls()
    run = _host_call._run

    def counting_run(name: str, host: Callable[..., Any], args: Any) -> Any:
        record.calls.append((name, tuple(np.shape(a) for a in args)))
        return run(name, host, args)

    monkeypatch.setattr(_host_call, "_run", counting_run)
    return record


@pytest.fixture
def fresh_name() -> Iterator[Callable[[str], str]]:
    """`fresh_name(prefix)` -> a unique formula name; registrations under the names handed
    out are removed after the test (the registry is global)."""
    names: list[str] = []

    def make(prefix: str = "f") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        names.append(name)
        return name

    yield make
    with _names._lock:
        for name in names:
            _names._registered.pop(name, None)
