"""Evaluation benchmarks (`make bench`): ballot submission and closing a campaign of 100,000 ballots.

``python -m jixiao.benchmarks.evaluations [--json] [--small]`` sets up a county of 100 towns on the
test scheme (``mini.yaml``: 领导评估 is a 30-point 评分 indicator) and an open campaign rating them,
then measures, in a fresh SQLite database (or DATABASE_URL, e.g. PostgreSQL):

- ballot submission through the whole Django stack (test client → URL → view → ``token_redeem``:
  the token's atomic ``UPDATE … WHERE used = false``, ballots and their dimension rows), each
  request one one-time token rating ``PER_TOKEN`` towns — target ≥ 500 ballots/s on PostgreSQL;
- closing a campaign of 100,000 ballots (1,000 per town, bulk-inserted: the set-up is not
  measured) into scores: the aggregates, the results, the ledger's ballots for 领导评估, and the
  recompute of the assessment's scores the write path triggers — target < 5 s.

``--small`` runs a few hundred of each (a quick check that the bench works; the numbers then say
little).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

from jixiao.benchmarks.common import bench_main

TOWNS = 100
BALLOTS = 100_000
REQUESTS = 1_000
PER_TOKEN = 5
MINI = Path(__file__).resolve().parents[1] / "demo" / "schemes" / "mini.yaml"


def _small() -> bool:
    return "--small" in sys.argv[1:]


def build(towns: int) -> dict[str, Any]:
    """The county, the office, the assessment and two open campaigns (one to submit to, one to close)."""
    from decimal import Decimal

    from django.utils import timezone

    from jixiao.evaluations import rules
    from jixiao.evaluations.services import campaign_create, campaign_open, rater_group_add
    from jixiao.org import services as org
    from jixiao.org.models import RoleGrant, Unit
    from jixiao.org.selectors import scope_for_user
    from jixiao.schemes import services as sch

    county = org.unit_create(actor=None, code="county", name="测试县人民政府", kind=Unit.Kind.GOVERNMENT)
    cat = org.category_create(actor=None, code="town", name="乡镇")
    objs = [org.object_create(actor=None, code=f"t{i:03d}", name=f"乡镇{i:03d}", category=cat,
                              unit=org.unit_create(actor=None, code=f"t{i:03d}", name=f"乡镇{i:03d}",
                                                   kind=Unit.Kind.TOWN, parent=county))
            for i in range(towns)]
    office = org.account_create(actor=None, username="office", password="bench-password-1", display_name="绩效办")
    org.grant_add(actor=None, user=office, role=RoleGrant.Role.OFFICE_ADMIN)
    version = sch.scheme_create(actor=None, code="mini", name="测试方案", text=MINI.read_text(encoding="utf-8"))
    sch.scheme_version_adopt(actor=None, version=version)
    assessment = sch.assessment_create(actor=None, code="mini-2024", name="测试县2024年度考核", year=2024,
                                       version=version)
    scope = scope_for_user(office)
    now = timezone.now()
    made = {}
    for key, period in (("submit", "2024-Q1"), ("close", "2024-Q2")):
        c = campaign_create(actor=office, scope=scope, assessment=assessment,
                            period=assessment.periods.get(code=period),
                            name=f"领导评估测评（{period}）", indicator="ldpg", feed="score",
                            scale=rules.parse_scale("优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60"),
                            dimensions=rules.parse_weights("总体评价", what="测评维度"), objects=objs,
                            opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1),
                            trim_pct=Decimal(10))
        group = rater_group_add(actor=office, scope=scope, campaign=c, kind="public", name="群众",
                                weight=Decimal(1))
        made[key] = (campaign_open(actor=office, scope=scope, campaign=c), group)
    return {"office": office, "scope": scope, "objects": objs, "assessment": assessment, **made}


def submissions(world: dict[str, Any], requests: int) -> dict[str, Any]:
    from django.test import Client

    from jixiao.evaluations.models import Ballot
    from jixiao.evaluations.services import tokens_issue

    campaign, group = world["submit"]
    issued = tokens_issue(actor=world["office"], scope=world["scope"], campaign=campaign, group=group, count=requests)
    objs = world["objects"]
    labels = ["优秀", "称职", "基本称职", "不称职"]
    client = Client()
    client.get("/e/")  # the URL map and the middleware, loaded once before the clock starts
    t = time.perf_counter()
    for n, (_, token) in enumerate(issued):
        data = {f"o{objs[(n + k) % len(objs)].pk}d0": labels[(n + k) % 4] for k in range(PER_TOKEN)}
        resp = client.post(f"/e/{token}", data)
        assert resp.status_code == 302, resp.status_code
    seconds = time.perf_counter() - t
    cast = Ballot.objects.filter(campaign=campaign).count()
    return {"requests": requests, "ballots": cast, "seconds": round(seconds, 3),
            "ballots_per_s": round(cast / seconds, 1), "requests_per_s": round(requests / seconds, 1)}


def closing(world: dict[str, Any], ballots: int) -> dict[str, Any]:
    import random
    import uuid
    from decimal import Decimal

    from django.utils import timezone

    from jixiao.evaluations.models import Ballot
    from jixiao.evaluations.services import campaign_close
    from jixiao.scoring.models import Result
    from jixiao.scoring.recompute import results_refresh

    campaign, group = world["close"]
    objs = world["objects"]
    rnd = random.Random(2024)
    points = [Decimal(100), Decimal(90), Decimal(80), Decimal(60)]
    day = timezone.localdate()
    rows = [Ballot(id=uuid.UUID(int=rnd.getrandbits(128), version=4), campaign=campaign, group=group,
                   object=objs[i % len(objs)], day=day, score=rnd.choice(points)) for i in range(ballots)]
    Ballot.objects.bulk_create(rows, batch_size=5000)
    t = time.perf_counter()
    results = campaign_close(actor=world["office"], scope=world["scope"], campaign=campaign)
    close_s = time.perf_counter() - t
    t = time.perf_counter()
    results_refresh(assessment_id=world["assessment"].pk)  # whatever the task backend left to do
    refresh_s = time.perf_counter() - t
    return {"ballots": ballots, "objects": len(results), "close_s": round(close_s, 3),
            "refresh_after_s": round(refresh_s, 3), "total_s": round(close_s + refresh_s, 3),
            "scored": Result.objects.filter(assessment=world["assessment"]).count()}


def run() -> dict[str, Any]:
    from django.db import connection

    small = _small()
    out: dict[str, Any] = {"database": connection.vendor, "small": small}
    t = time.perf_counter()
    world = build(20 if small else TOWNS)
    out["build_s"] = round(time.perf_counter() - t, 2)
    out["submit"] = submissions(world, 100 if small else REQUESTS)
    out["close"] = closing(world, 2_000 if small else BALLOTS)
    return out


def show(result: dict[str, Any]) -> None:
    s, c = result["submit"], result["close"]
    rows = [
        (f"ballot submission through the Django stack ({s['requests']} tokens × {PER_TOKEN} towns)",
         f"{s['ballots_per_s']:.0f} ballots/s", "≥ 500 ballots/s (PostgreSQL)"),
        (f"closing {c['ballots']} ballots of {c['objects']} towns into scores", f"{c['total_s']:.2f} s", "< 5 s"),
    ]
    width = max(len(x[0]) for x in rows)
    print(f"Evaluation benchmarks ({result['database']}{', small' if result['small'] else ''}): "
          f"built in {result['build_s']} s")
    print(f"  {'':<{width}}  {'measured':>16}  target")
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value:>16}  {target}")
    print(f"  (closing: {c['close_s']:.2f} s in the closing transaction and its recompute, "
          f"{c['refresh_after_s']:.2f} s of recompute after it; {s['requests_per_s']:.0f} requests/s)")


def main(argv: list[str] | None = None) -> int:
    return bench_main("evaluations", run, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
