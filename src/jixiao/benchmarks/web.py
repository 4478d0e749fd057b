"""Web benchmarks (`make bench`, ``python -m jixiao.benchmarks.web [--json]``): the county demo in a
fresh SQLite database (or DATABASE_URL).

Prints, each measured in this one run:
- the ranking page's server time (request in, HTML out, through the whole Django stack);
- one value change reflected in the stored totals (service call incl. recompute of the category);
- an Excel import of 50,000 values (validation + all-or-nothing write + recompute), via
  :func:`jixiao.benchmarks.importing.bench_import`.

Targets from the issue: ranking < 150 ms, one change < 200 ms, 50,000-value import < 15 s.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

from jixiao.benchmarks.common import bench_main, median_ms


def run(*, import_values: int = 50_000, runs: int = 15) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from jixiao.collection.services import value_save
    from jixiao.demo.builder import build_demo
    from jixiao.org.models import AssessedObject
    from jixiao.org.selectors import scope_for_user
    from jixiao.schemes.models import Assessment
    from jixiao.scoring.models import Result

    out: dict[str, Any] = {"database": connection.vendor}
    t = time.perf_counter()
    summary = build_demo()
    out["demo_build_s"] = round(time.perf_counter() - t, 2)
    out["demo_counts"] = summary.counts

    office = User.objects.get(username="office")
    client = Client()
    client.force_login(office)
    assessment = Assessment.objects.get(code="zhengding-2024")
    url = f"/results/{assessment.code}/category/bumen/"
    assert client.get(url).status_code == 200  # warm caches (compiled scheme, templates)
    # request_started resets Django's query log, so count with an execute wrapper instead.
    seen: list[str] = []

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        client.get(url)
    med, _ = median_ms(lambda: client.get(url), runs)
    out["ranking_page_ms"] = round(med, 1)
    out["ranking_page_queries"] = len(seen)

    scope = scope_for_user(office)
    obj = AssessedObject.objects.get(code=Result.objects.filter(assessment=assessment, category="bumen")
                                     .order_by("rank").values_list("object__code", flat=True).last())
    period = assessment.periods.get(code="2024-end")
    from jixiao.schemes.selectors import catalog_of

    leaf = next(lf for lf in catalog_of(assessment).categories["bumen"].leaves
                if lf.kind == "value" and lf.applies(period.code) and "value" in lf.variables)
    state = {"n": 0}
    before = Result.objects.get(assessment=assessment, object=obj).total

    def change() -> None:
        state["n"] += 1
        value_save(actor=office, scope=scope, period=period, obj=obj, indicator=leaf.code, variable="value",
                   value=Decimal(1000 + state["n"]))

    med, _ = median_ms(change, runs)
    after = Result.objects.get(assessment=assessment, object=obj).total
    out["value_change_ms"] = round(med, 1)
    out["value_change_checked"] = f"{obj.name} {leaf.name}: total {before} → {after}"

    from jixiao.benchmarks.importing import bench_import

    out["import"] = bench_import(import_values)
    return out


def show(result: dict[str, Any]) -> None:
    print(f"Web benchmarks on the county demo ({result['database']}), one run:")
    print(f"  demo data set built in {result['demo_build_s']} s: {result['demo_counts']}")
    print(f"  ranking page (32 departments), server time: median {result['ranking_page_ms']} ms "
          f"({result['ranking_page_queries']} queries)  [target < 150 ms]")
    print(f"  one value change reflected in the totals (save, history, audit, recompute of its category): "
          f"median {result['value_change_ms']} ms  [target < 200 ms]")
    print(f"    ({result['value_change_checked']})")
    imp = result["import"]
    print(f"  Excel import of {imp.get('values')} values, validation + write + recompute: {imp.get('total_s')} s"
          f"  [target < 15 s]")
    print(f"    {json.dumps(imp, ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    return bench_main("web", run, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
