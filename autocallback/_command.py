"""The command line, `python -m autocallback check [MODULE ...]`: verify every decorated
function of modules.

Functions are checked in worker processes (one per CPU core by default, `--jobs`), each
function's `examples=` in one batched call of `check`; rows are printed in order as soon as
they are known.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from ._check import check
from ._internal import HostFunction

HEADERS = ("function", "jit", "vmap", "grad", "order 2+", "native", "worst rel err", "status")
# Examples are checked as one batch of this many points (repeated to fill it), so that
# the programs JAX compiles for the batch's shape are shared by every function.
BATCH = 4


def _functions(module: Any) -> list[tuple[str, HostFunction[Any]]]:
    seen: set[int] = set()
    out = []
    names = getattr(module, "__all__", None) or sorted(vars(module))
    for attr in names:
        obj = getattr(module, attr, None)
        if isinstance(obj, HostFunction) and id(obj) not in seen:
            seen.add(id(obj))
            out.append((attr, obj))
    return out


def _default_points(fn: HostFunction[Any]) -> list[tuple[Any, ...]] | None:
    if fn.static_argnames:
        return None
    return [tuple(0.5 + 0.1 * i for i in range(len(fn.parameters)))]


def _mark(value: bool | None) -> str:
    return "-" if value is None else ("ok" if value else "FAIL")


def _batch(fn: HostFunction[Any], points: Sequence[Any]) -> tuple[Any, ...] | None:
    """The points as one tuple of arrays (columns, padded to a multiple of BATCH), or None
    where they cannot be stacked (keyword points, static arguments, arrays)."""
    if fn.static_argnames or not all(isinstance(p, (tuple, list)) for p in points):
        return None
    if len({len(p) for p in points}) != 1 or len(points[0]) != len(fn.parameters):
        return None
    if not all(np.ndim(a) == 0 for p in points for a in p):
        return None
    size = -(-len(points) // BATCH) * BATCH
    return tuple(np.resize(np.asarray(col), size) for col in zip(*points, strict=True))


def _native(fn: HostFunction[Any]) -> str:
    """Whether the value is computed by a native kernel (no Python in the loop)."""
    return "yes" if fn.native else "no"


def check_function(fn: HostFunction[Any], order: int = 2) -> tuple[str, ...]:
    """Check one function at its examples; return the row's cells after the name."""
    points = fn.examples if fn.examples is not None else _default_points(fn)
    if not points:
        return ("-", "-", "-", "-", _native(fn), "-", "skipped: no examples=")
    agg: dict[str, Any] = {"grad": None, "higher": None, "err": 0.0}

    def run(*args: Any, **kwargs: Any) -> None:
        res = check(fn, *args, order=order, **kwargs)
        agg["err"] = max(agg["err"], res.max_rel_error)
        if res.grad is not None:
            agg["grad"] = True
        if res.higher is not None:
            agg["higher"] = True

    def one_by_one() -> None:
        for point in points:
            if isinstance(point, dict):
                run(**point)
            else:
                run(*(point if isinstance(point, (tuple, list)) else (point,)))

    status = "ok"
    try:
        batch = _batch(fn, points)
        if batch is None:
            one_by_one()
        else:
            try:
                run(*batch)
            except Exception:
                # Check point by point, so that the failure names its point.
                agg = {"grad": None, "higher": None, "err": 0.0}
                one_by_one()
    except AssertionError as e:
        status = f"FAIL: {e}"
    except Exception as e:
        status = f"FAIL: {type(e).__name__}: {e}"
    ok = status == "ok"
    return (
        _mark(True if ok else None),
        _mark(True if ok else None),
        _mark(agg["grad"]),
        _mark(agg["higher"]),
        _native(fn),
        f"{agg['err']:.1e}",
        status,
    )


def _worker_init() -> None:
    # The programs `check` compiles are small and run once: compiling them without LLVM's
    # optimizations saves about a quarter of the whole command and changes no result that
    # matters here (set before the worker's XLA backend starts).
    flags = os.environ.get("XLA_FLAGS", "")
    if "xla_backend_optimization_level" not in flags:
        os.environ["XLA_FLAGS"] = f"{flags} --xla_backend_optimization_level=0".strip()


def _check_by_name(mod_name: str, attr: str, order: int) -> tuple[str, ...]:
    fn = getattr(importlib.import_module(mod_name), attr)
    return check_function(fn, order)


def _jobs(requested: int | None, count: int) -> int:
    if requested is not None:
        return max(1, requested)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8, count))


def _rows(
    tasks: list[tuple[str, str, HostFunction[Any]]], order: int, jobs: int
) -> Iterator[tuple[str, ...]]:
    """Rows in the order of `tasks`, each as soon as it and those before it are done."""
    if jobs == 1:
        for mod_name, attr, fn in tasks:
            yield (f"{mod_name}.{attr}", *check_function(fn, order))
        return
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_init
    ) as pool:
        futures = [
            pool.submit(_check_by_name, mod_name, attr, order) for mod_name, attr, _ in tasks
        ]
        for (mod_name, attr, _), future in zip(tasks, futures, strict=True):
            try:
                cells = future.result()
            except Exception as e:  # the worker itself died
                cells = ("-", "-", "-", "-", "-", "-", f"FAIL: {type(e).__name__}: {e}")
            yield (f"{mod_name}.{attr}", *cells)


def run_check(
    modules: Sequence[str], order: int = 2, out: Any = sys.stdout, jobs: int | None = None
) -> int:
    """Run `check` on every decorated function of `modules`, printing one row per function
    as soon as it is checked; return the number of failures.

    Args:
        modules: module names.
        order: highest derivative order to check.
        out: where the table goes.
        jobs: worker processes (default: one per CPU core, at most 8); 1 checks in this
            process.
    """
    start = time.perf_counter()
    failures = 0  # modules that cannot be imported, then functions that fail
    tasks: list[tuple[str, str, HostFunction[Any]]] = []
    for mod_name in modules:
        try:
            module = importlib.import_module(mod_name)
        except ImportError as e:
            print(f"error: cannot import {mod_name!r}: {e}", file=out)
            failures += 1
            continue
        tasks += [(mod_name, attr, fn) for attr, fn in _functions(module)]
    jobs = _jobs(jobs, len(tasks))
    where = "in this process" if jobs == 1 else f"in {jobs} worker processes"
    print(f"Checking {len(tasks)} function(s) of {', '.join(modules)} {where}.\n", file=out)
    name_width = max([len(HEADERS[0])] + [len(f"{m}.{a}") for m, a, _ in tasks])
    widths = [name_width, *(len(h) for h in HEADERS[1:-1])]
    widths[-1] = max(widths[-1], 7)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)) + (
            "  " + cells[-1]
        )

    header = line(HEADERS)
    print(header, file=out)
    print("-" * len(header), file=out, flush=True)
    checked = failed = 0
    for row in _rows(tasks, order, jobs):
        checked += 1
        failed += row[-1].startswith("FAIL")
        print(line(row), file=out, flush=True)
    took = time.perf_counter() - start
    print(
        f"\n{checked} function(s) checked in {took:.1f} s: {checked - failed} passed, "
        f"{failed} failed",
        file=out,
    )
    return failures + failed


def use_compilation_cache(directory: str) -> None:
    """Store every compiled program in JAX's persistent compilation cache in `directory`,
    in this process and in the worker processes it starts (they read the environment)."""
    import jax

    settings = {
        "jax_compilation_cache_dir": os.path.abspath(directory),
        # `check` compiles many small programs: store them all.
        "jax_persistent_cache_min_compile_time_secs": "0",
        "jax_persistent_cache_min_entry_size_bytes": "-1",
    }
    for name, value in settings.items():
        os.environ[name.upper()] = value
    jax.config.update("jax_compilation_cache_dir", settings["jax_compilation_cache_dir"])
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autocallback", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="verify every decorated function of modules")
    p.add_argument(
        "modules",
        nargs="*",
        default=["autocallback.special"],
        help="modules to check (default: autocallback.special)",
    )
    p.add_argument("--order", type=int, default=2, help="highest derivative order (default 2)")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="worker processes (default: one per CPU core, at most 8; 1: no workers)",
    )
    p.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help="JAX's persistent compilation cache in DIR: a later run loads the programs "
        "that this one compiled, instead of compiling them again",
    )
    args = parser.parse_args(argv)
    if args.cache_dir is not None:
        use_compilation_cache(args.cache_dir)
    failures = run_check(args.modules, order=args.order, jobs=args.jobs)
    return 1 if failures else 0
