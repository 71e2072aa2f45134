"""`python -m autocallback check [MODULE ...]`: verify every decorated function of modules."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence
from typing import Any

from ._check import check
from ._host_function import HostFunction


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


def run_check(modules: Sequence[str], order: int = 2, out: Any = sys.stdout) -> int:
    """Run `check` on every decorated function of `modules`; print a table; return the
    number of failures."""
    rows = []
    failures = 0
    start = time.perf_counter()
    for mod_name in modules:
        try:
            module = importlib.import_module(mod_name)
        except ImportError as e:
            print(f"error: cannot import {mod_name!r}: {e}", file=out)
            failures += 1
            continue
        for attr, fn in _functions(module):
            points = fn.examples if fn.examples is not None else _default_points(fn)
            if not points:
                rows.append(
                    (f"{mod_name}.{attr}", "-", "-", "-", "-", "-", "skipped: no examples=")
                )
                continue
            agg = {"jit": True, "vmap": True, "grad": None, "higher": None, "err": 0.0}
            status = "ok"
            try:
                for point in points:
                    if isinstance(point, dict):
                        res = check(fn, order=order, **point)
                    else:
                        res = check(
                            fn,
                            *(point if isinstance(point, (tuple, list)) else (point,)),
                            order=order,
                        )
                    agg["err"] = max(agg["err"], res.max_rel_error)
                    if res.grad is not None:
                        agg["grad"] = True
                    if res.higher is not None:
                        agg["higher"] = True
            except AssertionError as e:
                failures += 1
                status = f"FAIL: {e}"
            except Exception as e:
                failures += 1
                status = f"FAIL: {type(e).__name__}: {e}"
            rows.append(
                (
                    f"{mod_name}.{attr}",
                    _mark(agg["jit"] if status == "ok" else None),
                    _mark(agg["vmap"] if status == "ok" else None),
                    _mark(agg["grad"]),
                    _mark(agg["higher"]),
                    f"{agg['err']:.1e}",
                    status,
                )
            )
    headers = ("function", "jit", "vmap", "grad", "order 2+", "worst rel err", "status")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)) + "  " + headers[-1]
    print(line, file=out)
    print("-" * len(line), file=out)
    for r in rows:
        print(
            "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1],
            file=out,
        )
    took = time.perf_counter() - start
    print(
        f"\n{len(rows)} function(s) checked in {took:.1f} s: {len(rows) - failures} passed, {failures} failed",
        file=out,
    )
    return failures


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
    args = parser.parse_args(argv)
    failures = run_check(args.modules, order=args.order)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
