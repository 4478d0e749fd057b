"""Two-core parallelism for whole-column work.

NumPy releases the GIL inside its loops, so large gathers, scatters and per-leaf array
arithmetic run truly in parallel on threads. Work below a size threshold stays on the
calling thread, where a thread hop would cost more than it saves. Results come back in
input order, so parallel runs are exactly as reproducible as serial ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

WORKERS = max(1, min(int(os.environ.get("JIXIAO_ENGINE_THREADS", "2")), os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="jixiao-engine")
    return _pool


def halves(n: int, fn: Callable[[int, int], R], *, threshold: int = 1_000_000) -> list[R]:
    """``fn(lo, hi)`` over [0, n) split into one range per worker when ``n`` is large."""
    if n < threshold or WORKERS == 1:
        return [fn(0, n)]
    bounds = [n * i // WORKERS for i in range(WORKERS + 1)]
    futures = [_executor().submit(fn, bounds[i], bounds[i + 1]) for i in range(WORKERS)]
    return [f.result() for f in futures]


def pmap(fn: Callable[[T], R], items: Sequence[T], *, work: int, threshold: int = 200_000) -> list[R]:
    """``[fn(x) for x in items]`` on the workers when each item covers ``work`` cells or more."""
    if work < threshold or WORKERS == 1 or len(items) < 2:
        return [fn(x) for x in items]
    return list(_executor().map(fn, items))
