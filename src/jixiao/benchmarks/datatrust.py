"""``python -m jixiao.benchmarks.datatrust [--json]``: every data-quality flag over a city-size year.

The ledger frame is synthetic and built in memory with a fixed seed, in the shape of the city-size
year (``bench_scale``): 32,000 staff in 81 units, 30 indicators, 12 months — 11.52 million values,
a third with targets, five amount indicators, five lower-is-better ones with incidents against a
few objects, change times spread over each month with deadlines at its end. A few hundred values
are planted to trip each rule. Target: all flags in < 3 s (:func:`jixiao.datatrust.flags.flags_compute`,
median of 3). No database: the gathering from the ledger is column-wise reading measured elsewhere.

The rules allocate a few arrays of eleven million numbers each; glibc returns each freed one to
the system and the next one page-faults its 90 MB in afresh, which on a virtual machine can cost
more than the arithmetic. ``make bench`` runs this with ``MALLOC_MMAP_THRESHOLD_`` and
``MALLOC_TRIM_THRESHOLD_`` raised (freed memory is kept and reused: what a worker that computes
flags should be started with); the report says which allocator setting it ran under.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any

import numpy as np
import polars as pl

from jixiao.datatrust.flags import flags_compute

SEED = 20261206
STAFF = 32_000
UNITS = 81
INDICATORS = 30
MONTHS = 12
YEAR = 2024
BASE = 1_704_067_200  # 2024-01-01 00:00 UTC
MONTH = 30 * 86_400


def ledger(staff: int = STAFF, seed: int = SEED) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(values, indicators, incidents) of a synthetic year, as :mod:`jixiao.datatrust.flags` takes them."""
    rnd = np.random.default_rng(seed)
    n = staff * INDICATORS * MONTHS
    idx = np.arange(n, dtype=np.int64)
    obj = (idx // (INDICATORS * MONTHS)).astype(np.int32)
    ind = ((idx // MONTHS) % INDICATORS).astype(np.int32)
    seq = (idx % MONTHS + 1).astype(np.int32)
    level = rnd.lognormal(7.0, 1.5, staff * INDICATORS)[obj.astype(np.int64) * INDICATORS + ind]
    value = np.round(level * rnd.normal(1.0, 0.05, n), 2)
    has_target = ind % 3 == 0
    target = np.where(has_target, np.round(level, 2), np.nan)
    deadline = BASE + seq.astype(np.int64) * MONTH
    changed = deadline - rnd.integers(3600, 20 * 86_400, n)
    # Planted: object 0 at its targets in month 1, a jump for object 1, identical values, a late burst.
    value[(obj == 0) & has_target & (seq == 1)] = target[(obj == 0) & has_target & (seq == 1)]
    value[(obj == 1) & (ind == 1) & (seq == 7)] *= 40
    value[(obj < 5) & (ind == 4) & (seq == 3)] = 12345.67
    late = (obj // (staff // UNITS + 1) == 3) & (seq == 5)
    changed[late] = deadline[late] - 1800
    values = pl.DataFrame({
        "vid": idx + 1, "object": obj, "unit": (obj // (staff // UNITS + 1)).astype(np.int32), "indicator": ind,
        "year": np.full(n, YEAR, dtype=np.int32), "seq": seq, "value": value,
        "target": pl.Series(target).fill_nan(None), "changed_at": changed, "deadline": deadline})
    indicators = pl.DataFrame({"indicator": np.arange(INDICATORS, dtype=np.int32),
                               "lower_better": np.arange(INDICATORS) % 6 == 5,
                               "amount": np.arange(INDICATORS) % 6 == 2})
    k = 2000
    incidents = pl.DataFrame({"object": rnd.integers(0, staff, k).astype(np.int32),
                              "indicator": (rnd.integers(0, INDICATORS // 6, k) * 6 + 5).astype(np.int32),
                              "year": np.full(k, YEAR, dtype=np.int32),
                              "seq": rnd.integers(1, MONTHS + 1, k).astype(np.int32),
                              "count": np.ones(k)})
    return values, indicators, incidents


def run(staff: int = STAFF, repeat: int = 3) -> dict[str, Any]:
    t0 = time.perf_counter()
    values, indicators, incidents = ledger(staff)
    built = time.perf_counter() - t0
    times = []
    flags = pl.DataFrame()
    for _ in range(repeat):
        t = time.perf_counter()
        flags = flags_compute(values, indicators, incidents)
        times.append(time.perf_counter() - t)
    by_rule = dict(flags.group_by("rule").len().sort("rule").iter_rows())
    return {"allocator": "glibc keeps freed memory" if os.environ.get("MALLOC_MMAP_THRESHOLD_") else "glibc default",
            "values": values.height, "build_s": round(built, 2), "flags_s": round(statistics.median(times), 3),
            "flags_s_runs": [round(x, 3) for x in times], "target_s": 3.0, "flags": flags.height,
            "by_rule": by_rule}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    staff = STAFF
    if "--staff" in args:
        staff = int(args[args.index("--staff") + 1])
    report = run(staff)
    if "--json" in args:
        print(json.dumps(report, ensure_ascii=False))
        return
    ok = "OK" if report["flags_s"] < report["target_s"] else "SLOW"
    print(f"数据质量提示 (data-quality flags): {report['values']:,} values, all rules in {report['flags_s']} s "
          f"(median of {len(report['flags_s_runs'])}; target < {report['target_s']} s) {ok}")
    print(f"  flags by rule: {report['by_rule']}  (ledger frame built in {report['build_s']} s; "
          f"allocator: {report['allocator']})")


if __name__ == "__main__":
    main()
