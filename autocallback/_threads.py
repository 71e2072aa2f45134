"""Large elementwise host calls split into row blocks evaluated on a thread pool.

NumPy/SciPy ufunc loops release the GIL, so the blocks run in parallel (measured on 2
cores at 1e6 elements: jv 1.6x, kv 2.0x, erf 1.9x faster). AUTOCALLBACK_THREADS sets the
number of threads (1 turns splitting off).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _config

__all__ = ["map_row_blocks", "ufunc_into", "worth_splitting"]

_THREADS = _config.thread_count()
_MIN_BLOCK = 1 << 14  # elements per thread: below that, thread hand-offs cost more than they save
_pool: Any = None
_pool_lock = threading.Lock()


def _thread_pool() -> Any:
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                from concurrent.futures import ThreadPoolExecutor

                _pool = ThreadPoolExecutor(max(1, _THREADS - 1), thread_name_prefix="autocallback")
    return _pool


def _row_edges(shape: tuple[int, ...]) -> list[int] | None:
    """Block edges along the first axis for an output of `shape`, or None when it is too
    small to be worth splitting."""
    if _THREADS < 2 or not shape:
        return None
    rows = shape[0]
    blocks = min(_THREADS, math.prod(shape) // _MIN_BLOCK, rows)
    if blocks < 2:
        return None
    return [rows * i // blocks for i in range(blocks + 1)]


def worth_splitting(shape: tuple[int, ...]) -> bool:
    """Whether an elementwise evaluation of this output shape is split over threads."""
    return _row_edges(shape) is not None


def _in_blocks(compute: Callable[[int, slice], Any], edges: list[int]) -> list[Any]:
    """`compute(i, rows)` for each block, the first on this thread, the others on the pool."""
    pool = _thread_pool()
    slices = [slice(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]
    futures = [pool.submit(compute, i, rows) for i, rows in enumerate(slices) if i > 0]
    results = [None] * len(slices)
    try:
        results[0] = compute(0, slices[0])
    finally:
        for i, f in enumerate(futures, start=1):
            results[i] = f.result()
    return results


def _block(a: np.ndarray, rows: slice, n_rows: int) -> np.ndarray:
    # Arrays have the output's rank; a leading dimension of size 1 broadcasts, whole.
    return a[rows] if a.ndim and a.shape[0] == n_rows else a


def ufunc_into(ufunc: np.ufunc, arrays: Sequence[np.ndarray], outs: Sequence[np.ndarray]) -> None:
    """`ufunc(*arrays, out=outs)`, in blocks along the first axis on several threads when
    the output is large. The arrays have the output's rank (size-1 dimensions broadcast)."""
    edges = _row_edges(outs[0].shape)
    if edges is None:
        ufunc(*arrays, out=tuple(outs))
        return
    n_rows = outs[0].shape[0]

    def block(i: int, rows: slice) -> None:
        ufunc(*[_block(a, rows, n_rows) for a in arrays], out=tuple(o[rows] for o in outs))

    _in_blocks(block, edges)


def map_row_blocks(
    compute: Callable[..., list[np.ndarray]], arrays: Sequence[np.ndarray], shape: tuple[int, ...]
) -> list[np.ndarray]:
    """`compute(*arrays)` (elementwise, thread-safe, returning arrays of `shape`), in blocks
    along the first axis on several threads when `shape` is large."""
    edges = _row_edges(shape)
    if edges is None:
        return compute(*arrays)
    n_rows = shape[0]
    parts = _in_blocks(lambda i, rows: compute(*[_block(a, rows, n_rows) for a in arrays]), edges)
    return [np.concatenate([p[k] for p in parts], axis=0) for k in range(len(parts[0]))]
