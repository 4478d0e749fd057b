"""What every benchmark shares: a scratch data directory, Django set up as in production (DEBUG
off) on a migrated database, and the timing helpers.

A bench module is run as ``python -m jixiao.benchmarks.<name> [--json]``; its ``main`` calls
:func:`bench_main`, which makes a scratch directory (the SQLite file lives there unless
``DATABASE_URL`` is set), sets Django up in it, runs the module's ``run`` and prints its report.
Nothing in the application imports this package.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from typing import Any


def setup(data_dir: str, env: Mapping[str, str] | None = None, *, migrate: bool = True) -> None:
    """Django on a migrated database under ``data_dir``, with DEBUG off (DEBUG keeps the text of
    every query, as no production server does). ``env``: more settings for this run; ``migrate``
    false: the database is migrated already."""
    os.environ["JIXIAO_DATA_DIR"] = data_dir
    os.environ["JIXIAO_DEBUG"] = "0"
    # A bench floods on purpose (20 API writers, thousands of ballots from one address): the rate
    # limits (jixiao.core.ratelimit) are off unless the run's env turns them back on.
    os.environ.setdefault("JIXIAO_RATE_LIMITS_ENABLED", "0")
    os.environ.update(env or {})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.project.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``fn()`` took, and what it returned."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    """The median of ``runs`` calls of ``fn`` in milliseconds, and every call's time."""
    times = [timed(fn)[0] * 1000 for _ in range(runs)]
    return statistics.median(times), times


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def bench_main(name: str, run: Callable[[], dict[str, Any]], show: Callable[[dict[str, Any]], None],
               argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run a bench module: scratch directory, Django set up in it, ``run()``, then its report —
    ``show(result)`` for people, or with ``--json`` the result as JSON."""
    args = argv if argv is not None else sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix=f"jixiao-{name}-bench-") as tmp:
        setup(tmp, env)
        result = run()
    if "--json" in args:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        show(result)
    return 0
