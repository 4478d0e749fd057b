"""Reports benchmarks (`make bench`): the county demo in a fresh SQLite database (or DATABASE_URL).

``python -m jixiao.benchmarks.reports [--json]`` builds the demo and times the download of the 考核汇总表
of the 32 departments (category ``bumen``) as the office, through the whole Django stack (request
in, file out: the stored results read, the table built and drawn):

- as XLSX — the first download in the process, then the median of 5 — target < 2 s;
- as PDF, cold — the first download in the process (WeasyPrint and the font loaded on the way),
  then the median of 3 with the PDF cache of :mod:`jixiao.core.exports` emptied before each, so
  the cache never makes the PDF look faster — target < 5 s;
- as PDF from that cache (the same table downloaded again, nothing changed) — noted, no target.
"""

from __future__ import annotations

import statistics
from typing import Any

from jixiao.benchmarks.common import bench_main, timed

URL = "/reports/zhengding-2024/summary/bumen"


def run(*, runs: int = 5) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from jixiao.core import exports
    from jixiao.demo.builder import build_demo
    from jixiao.scoring.models import Result

    out: dict[str, Any] = {"database": connection.vendor}
    seconds, _summary = timed(build_demo)
    out["demo_build_s"] = round(seconds, 2)
    out["rows"] = Result.objects.filter(assessment__code="zhengding-2024", category="bumen").count()
    client = Client()
    client.force_login(User.objects.get(username="office"))

    def get(fmt: str) -> int:
        r = client.get(f"{URL}.{fmt}")
        assert r.status_code == 200, (fmt, r.status_code)
        return len(r.content)

    seconds, size = timed(lambda: get("xlsx"))
    out["xlsx_first_s"] = round(seconds, 3)
    out["xlsx_bytes"] = size
    out["xlsx_s"] = round(statistics.median(timed(lambda: get("xlsx"))[0] for _ in range(runs)), 3)

    exports._render.cache_clear()
    seconds, size = timed(lambda: get("pdf"))
    out["pdf_first_s"] = round(seconds, 3)
    out["pdf_bytes"] = size
    cold = []
    for _ in range(3):
        exports._render.cache_clear()  # every render from HTML, as after any change to the results
        cold.append(timed(lambda: get("pdf"))[0])
    out["pdf_cold_s"] = round(statistics.median(cold), 3)
    out["pdf_cached_s"] = round(statistics.median(timed(lambda: get("pdf"))[0] for _ in range(runs)), 3)
    return out


def show(result: dict[str, Any]) -> None:
    rows = [
        ("XLSX, first download", f"{result['xlsx_first_s']:.2f} s", "< 2 s"),
        ("XLSX, median of 5", f"{result['xlsx_s']:.2f} s", "< 2 s"),
        ("PDF, first download (WeasyPrint loaded)", f"{result['pdf_first_s']:.2f} s", "< 5 s"),
        ("PDF, cold (PDF cache emptied), median of 3", f"{result['pdf_cold_s']:.2f} s", "< 5 s"),
        ("PDF, from the PDF cache (not a target)", f"{result['pdf_cached_s']:.2f} s", ""),
    ]
    width = max(len(x[0]) for x in rows)
    print(f"Reports benchmarks ({result['database']}): 考核汇总表 of the {result['rows']} departments (bumen), "
          f"demo built in {result['demo_build_s']} s; XLSX {result['xlsx_bytes'] // 1024} KB, "
          f"PDF {result['pdf_bytes'] // 1024} KB")
    print(f"  {'':<{width}}  {'measured':>10}  target")
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value:>10}  {target}")


def main(argv: list[str] | None = None) -> int:
    return bench_main("reports", run, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
