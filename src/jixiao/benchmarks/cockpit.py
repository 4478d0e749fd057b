"""Cockpit benchmarks (`make bench`, ``python -m jixiao.benchmarks.cockpit [--json]``): server time of
the cockpit's first view, in a fresh SQLite database (or DATABASE_URL), each figure measured in this
one run.

- County demo (seed 001 Zhengding: 7 towns, 32 departments, 9 restoration units), as the county
  leader: the first view in a running server (after one request to the home page; the scheme's
  parsed form dropped, so the view parses it) and the median of later views, for the towns and
  for the 32 departments.
- City-size synthetic year: the units of the engine bench's city (81 units, 30 indicators in three
  weighted groups, 12 months: 29,160 values), written through the services, as the office.

Targets from the issue: first view < 300 ms on the county demo, < 1 s on the city-size year.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from jixiao.benchmarks.common import bench_main, median_ms

CITY_UNITS = 81


def _first_and_median(client: Any, url: str, runs: int) -> tuple[float, float]:
    """The first view of the page in a running server (the scheme not yet parsed in this process),
    then the median of later views."""
    from jixiao.schemes.catalog import _catalog

    _catalog.cache_clear()
    t = time.perf_counter()
    assert client.get(url).status_code == 200, url
    first = (time.perf_counter() - t) * 1000
    med, _ = median_ms(lambda: client.get(url), runs)
    return round(first, 1), round(med, 1)


def _city(units: int) -> str:
    """The city-size year as an assessment: the bench scheme's unit category and its data."""
    import numpy as np
    import yaml
    from django.contrib.auth.models import User

    from jixiao.benchmarks.engine import SEED, bench_scheme
    from jixiao.collection.services import ValueInput, values_bulk_upsert
    from jixiao.org import services as org
    from jixiao.org.models import Category, RoleGrant, Unit
    from jixiao.org.selectors import scope_for_user
    from jixiao.schemes import services as sch
    from jixiao.schemes.models import Period

    scheme = bench_scheme().model_dump(mode="json", exclude_none=True)
    scheme["categories"] = [c for c in scheme["categories"] if c["code"] == "units"]
    # Manual scores are raters' ballots in the ledger; here they are typed as values out of 10.
    for group in scheme["categories"][0]["indicators"]:
        for leaf in group["children"]:
            if leaf["rule"]["method"] == "manual":
                leaf["rule"] = {"method": "ratio", "target": 10.0}
    # The city is an organisation of its own (its root names it); the demo's office admin works in it too.
    city = org.unit_create(actor=None, code="city", name="合成市人民政府", kind=Unit.Kind.GOVERNMENT)
    tenant = city.organisation
    version = sch.scheme_create(actor=None, code="bench-city", name="城市级合成年度",
                                text=yaml.safe_dump(scheme, allow_unicode=True, sort_keys=False), organisation=tenant)
    sch.scheme_version_adopt(actor=None, version=version)
    cat = org.category_create(actor=None, code="units", name="市直单位", organisation=tenant)
    a = sch.assessment_create(actor=None, code="bench-city-2026", name="城市级合成年度考核", year=2026,
                              version=version)
    assert cat.subject == Category.Subject.UNIT
    codes = []
    for i in range(units):
        u = org.unit_create(actor=None, code=f"cu{i:03d}", name=f"市直单位{i:03d}", kind=Unit.Kind.DEPARTMENT,
                            parent=city)
        org.object_create(actor=None, code=f"cu{i:03d}", name=u.name, category=cat, unit=u)
        codes.append(u.code)
    office = User.objects.get(username="office")
    org.grant_add(actor=None, user=office, role=RoleGrant.Role.OFFICE_ADMIN, organisation=tenant)
    scope = scope_for_user(office, organisation_id=tenant.pk)
    leaves = [n for n in bench_scheme().categories[0].root(100).walk() if n.is_leaf]  # same codes and order
    rng = np.random.default_rng(SEED)
    skill = dict(zip(codes, rng.normal(0, 6, len(codes)), strict=True))
    for period in Period.objects.filter(assessment=a).order_by("position"):
        rows = []
        for c in codes:
            base = rng.normal(92, 9, len(leaves)) + skill[c]
            for leaf, b in zip(leaves, base, strict=True):
                method = leaf.rule.method if leaf.rule else ""
                lower = bool(getattr(leaf.rule, "lower_is_better", False))
                v = abs(rng.normal(4, 2)) if lower else min(max(b / 10, 0), 10) if method == "manual" else max(b, 0)
                rows.append(ValueInput(object=c, indicator=leaf.code, variable="value", value=Decimal(f"{v:.2f}")))
        values_bulk_upsert(actor=office, scope=scope, period=period, rows=rows, via="api")
    return a.code


def run(*, runs: int = 15, city_units: int = CITY_UNITS) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from jixiao.demo.builder import build_demo
    from jixiao.org.models import Organisation

    out: dict[str, Any] = {"database": connection.vendor}
    build_demo()
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    assert client.get("/").status_code == 200  # the server is up: Django's first request is behind it
    for cat in ("xiangzhen", "bumen"):
        out[f"county_{cat}"] = _first_and_median(client, f"/cockpit/zhengding-2024/{cat}/", runs)
    out["county_drill_unit"] = _first_and_median(client, "/cockpit/zhengding-2024/bumen/unit/jyj/", runs)
    t = time.perf_counter()
    code = _city(city_units)
    out["city_build_s"] = round(time.perf_counter() - t, 1)
    office = Client()
    office.force_login(User.objects.get(username="office"))
    office.post("/org/switch/", {"organisation": Organisation.objects.get(code="city").pk})
    out["city_units"] = _first_and_median(office, f"/cockpit/{code}/units/", runs)
    out["city_values"] = city_units * 30 * 12
    return out


def show(result: dict[str, Any]) -> None:
    print(f"Cockpit benchmarks ({result['database']}), one run, server time (first view / median of later views):")
    pages = (("county_xiangzhen", "county demo, towns (7)"), ("county_bumen", "county demo, departments (32)"),
             ("county_drill_unit", "county demo, drill-down to a department"))
    for key, label in pages:
        first, med = result[key]
        print(f"  {label}: first {first} ms / median {med} ms  [target first view < 300 ms]")
    first, med = result["city_units"]
    print(f"  city-size year, {CITY_UNITS} units, {result['city_values']:,} values "
          f"(built in {result['city_build_s']} s): first {first} ms / median {med} ms  [target < 1 s]")


def main(argv: list[str] | None = None) -> int:
    return bench_main("cockpit", run, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
