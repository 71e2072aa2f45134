"""Timing, counting and table helpers for `run.py`.

Timings are medians of interleaved repetitions: every repetition times each case once,
in rotating order, so that noise from other processes on a shared machine hits all cases
alike. A ratio is the median of the per-repetition ratios (paired), which cancels slow
drifts in machine load better than a ratio of medians.
"""

from __future__ import annotations

import contextlib
import gc
import math
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Counter",
    "Table",
    "Timings",
    "compare",
    "count_round_trips",
    "fmt_ratio",
    "fmt_time",
    "patched",
]


# --------------------------------------------------------------------------------------
# Timing


@dataclass
class Timings:
    """Per-call times (seconds) of each case, one entry per repetition."""

    samples: dict[str, list[float]]

    def median(self, name: str) -> float:
        return statistics.median(self.samples[name])

    def ratio(self, a: str, b: str) -> float:
        """Median over repetitions of time(a) / time(b)."""
        return statistics.median(
            x / y for x, y in zip(self.samples[a], self.samples[b], strict=True)
        )


def compare(
    cases: Mapping[str, Callable[[], Any]],
    *,
    reps: int,
    min_reps: int | None = None,
    budget_s: float | None = None,
    sample_s: float = 2e-3,
    max_inner: int = 2000,
    warmup: int = 2,
) -> Timings:
    """Time each case (a callable that blocks until its result is ready).

    Each sample runs a case `inner` times in a row (calibrated so one sample takes about
    `sample_s`), so that microsecond calls are not dominated by timer resolution. With
    `budget_s`, the number of repetitions is lowered from `reps` (not below `min_reps`)
    so that the timing takes about `budget_s`: cheap cases get many repetitions, slow
    ones fewer.
    """
    for fn in cases.values():
        for _ in range(warmup):
            fn()
    inner = {}
    per_rep = 0.0
    for name, fn in cases.items():
        t0 = time.perf_counter()
        fn()
        once = time.perf_counter() - t0
        inner[name] = max(1, min(max_inner, math.ceil(sample_s / max(once, 1e-9))))
        per_rep += once * inner[name]
    if budget_s is not None:
        fitting = int(budget_s / max(per_rep, 1e-9))
        reps = max(min_reps if min_reps is not None else 1, min(reps, fitting))
    names = list(cases)
    samples: dict[str, list[float]] = {n: [] for n in names}
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(reps):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                fn, k = cases[name], inner[name]
                t0 = time.perf_counter()
                for _ in range(k):
                    fn()
                samples[name].append((time.perf_counter() - t0) / k)
    finally:
        if gc_was_enabled:
            gc.enable()
    return Timings(samples)


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(r: float) -> str:
    return f"{r:.3f}×" if r < 10 else f"{r:.1f}×"


# --------------------------------------------------------------------------------------
# Counting


class Counter:
    """A named tally, reset with `reset()`."""

    def __init__(self) -> None:
        self.n = 0

    def reset(self) -> None:
        self.n = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.n += 1
            return fn(*args, **kwargs)

        return counted


@contextlib.contextmanager
def patched(obj: Any, attr: str, value: Any) -> Iterator[None]:
    """Temporarily set `obj.attr` (or `obj[attr]` for a dict)."""
    is_dict = isinstance(obj, dict)
    old = obj[attr] if is_dict else getattr(obj, attr)
    if is_dict:
        obj[attr] = value
    else:
        setattr(obj, attr, value)
    try:
        yield
    finally:
        if is_dict:
            obj[attr] = old
        else:
            setattr(obj, attr, old)


@contextlib.contextmanager
def count_round_trips() -> Iterator[Counter]:
    """Count host round trips: calls of the host callbacks handed to `jax.pure_callback`
    and (autocallback's CPU path) `jax.experimental.buffer_callback`.

    Only functions traced inside the block are counted (a callback is wrapped when it is
    handed to JAX, i.e. at trace time), so build fresh functions and jits inside it.
    """
    import jax

    from autocallback import _host_call

    counter = Counter()
    real_pure = jax.pure_callback

    def pure_callback(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return real_pure(counter.wrap(callback), *args, **kwargs)

    with contextlib.ExitStack() as stack:
        stack.enter_context(patched(jax, "pure_callback", pure_callback))
        real_buffer = getattr(_host_call, "_buffer_callback", None)
        if real_buffer is not None:

            def buffer_callback(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
                return real_buffer(counter.wrap(callback), *args, **kwargs)

            stack.enter_context(patched(_host_call, "_buffer_callback", buffer_callback))
        yield counter


# --------------------------------------------------------------------------------------
# Tables


@dataclass
class Table:
    """A titled table whose rows may carry a target and a PASS/MISS verdict."""

    title: str
    columns: Sequence[str]
    note: str = ""
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.title}: row {cells} does not match {self.columns}")
        self.rows.append([str(c) for c in cells])

    @staticmethod
    def verdict(ok: bool | None) -> str:
        return "—" if ok is None else ("PASS" if ok else "MISS")

    def counts(self) -> tuple[int, int]:
        """(passed, missed) over the rows with a verdict column."""
        if "result" not in self.columns:
            return 0, 0
        i = list(self.columns).index("result")
        return sum(r[i] == "PASS" for r in self.rows), sum(r[i] == "MISS" for r in self.rows)

    def text(self) -> str:
        widths = [len(c) for c in self.columns]
        for row in self.rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        out = [self.title, "=" * len(self.title)]
        if self.note:
            out.append(self.note)
        out += [line(self.columns), line(["-" * w for w in widths])]
        out += [line(r) for r in self.rows]
        return "\n".join(out)

    def markdown(self) -> str:
        def line(cells: Sequence[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        out = [f"### {self.title}", ""]
        if self.note:
            out += [self.note, ""]
        out += [line(self.columns), line(["---"] * len(self.columns))]
        out += [line(r) for r in self.rows]
        return "\n".join(out)
