"""Supervision benchmarks (`make bench`): 10,000 open matters in a fresh SQLite database (or DATABASE_URL).

``python -m jixiao.benchmarks.supervision [--json]`` builds ~100 units, each with a reporter (half of
them with an e-mail address) and a leader over every ten units, then 10,000 open matters across
them with one to three milestones and deadlines spread so that about a third are green, a third
yellow and a third red. It measures, each in this one run:

- the lights of all 10,000 (``selectors.lights_for`` over the open matters; median of 5) —
  target < 1 s;
- the reminder run over them (``reminders_run``: lights, the notices due, steps, audit entries,
  deliveries in-app and by e-mail, then sending the e-mails — one digest per recipient, up to 50
  notices each — through Django's in-memory mail backend) — target < 5 s;
- the same run again that day (issues nothing); three days later (every flagged matter is due
  its second notice, now read against the first ones) and six days later (the third notices,
  escalated to the leaders in charge or overseeing).

The matters are written with bulk inserts (the set-up is not what is measured).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

from jixiao.benchmarks.common import bench_main

MATTERS = 10_000
UNITS = 100
TODAY = dt.date(2026, 6, 1)
# Reminders go out in-app and by e-mail, through Django's in-memory mail backend.
ENV = {"JIXIAO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
       "JIXIAO_NOTIFY_CHANNELS": "inapp,email"}


def build(*, matters: int = MATTERS, units: int = UNITS, today: dt.date = TODAY) -> dict[str, int]:
    """The synthetic county: units, their reporters and leaders, open matters with milestones."""
    import random

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User

    from jixiao.org.models import Organisation, RoleGrant, Unit
    from jixiao.supervision.models import Matter, Milestone

    rnd = random.Random(2026)
    tenant = Organisation.objects.create(code="county", name="测试县人民政府")
    root = Unit.objects.create(code="county", name="测试县人民政府", kind=Unit.Kind.GOVERNMENT, level=1,
                               organisation=tenant)
    Unit.objects.bulk_create([Unit(code=f"u{i:03d}", name=f"单位{i:03d}", kind=Unit.Kind.DEPARTMENT, level=2,
                                   parent=root, position=i, organisation=tenant) for i in range(units)])
    unit_ids = list(Unit.objects.filter(parent=root).order_by("position").values_list("id", flat=True))
    password = make_password(None)
    User.objects.bulk_create(
        [User(username=f"tb{i:03d}", first_name=f"填报员{i:03d}", email=f"tb{i:03d}@example.org" if i % 2 else "",
              password=password) for i in range(units)]
        + [User(username=f"ld{i:02d}", first_name=f"领导{i:02d}", email=f"ld{i:02d}@example.org", password=password)
           for i in range(units // 10)])
    users = dict(User.objects.values_list("username", "id"))
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=users[f"tb{i:03d}"], role=RoleGrant.Role.UNIT_REPORTER, unit_id=u, organisation=tenant)
         for i, u in enumerate(unit_ids)]
        + [RoleGrant(user_id=users[f"ld{i // 10:02d}"], role=RoleGrant.Role.LEADER, unit_id=u, organisation=tenant)
           for i, u in enumerate(unit_ids)])
    states = [Matter.State.ASSIGNED, Matter.State.SIGNED, Matter.State.IN_PROGRESS, Matter.State.IN_PROGRESS,
              Matter.State.RETURNED, Matter.State.REPORTED]
    leaders = [users[f"ld{i:02d}"] for i in range(units // 10)]
    rows = []
    for i in range(matters):
        third = i % 3  # 0 green (deadline far), 1 yellow (deadline near), 2 red (overdue)
        deadline = today + dt.timedelta(days={0: rnd.randint(20, 120), 1: rnd.randint(0, 3),
                                              2: -rnd.randint(1, 40)}[third])
        state = rnd.choice(states)
        rows.append(Matter(organisation=tenant, kind=Matter.Kind.SUPERVISION if i % 4 else Matter.Kind.RECTIFICATION,
                           number=f"DB-2026-{i + 1:05d}", title=f"督办事项{i + 1:05d}", year=2026,
                           lead_unit_id=unit_ids[i % units], leader_id=leaders[i % len(leaders)] if i % 2 else None,
                           assigned_on=today - dt.timedelta(days=60), deadline=deadline, original_deadline=deadline,
                           state=state, completed_on=today - dt.timedelta(days=1) if state == "reported" else None))
    Matter.objects.bulk_create(rows, batch_size=2000)
    ids = list(Matter.objects.order_by("id").values_list("id", "deadline"))
    milestones = []
    for mid, deadline in ids:
        for k in range(rnd.randint(1, 3)):
            due = min(deadline, today + dt.timedelta(days=rnd.randint(-10, 40)))
            milestones.append(Milestone(matter_id=mid, position=k, title=f"阶段{k + 1}", due=due,
                                        done_on=today - dt.timedelta(days=1) if rnd.random() < 0.3 else None))
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    return {"units": units, "users": len(users), "matters": matters, "milestones": len(milestones)}


def run(*, matters: int = MATTERS, units: int = UNITS, runs: int = 5) -> dict[str, Any]:
    from collections import Counter

    import time_machine
    from django.core import mail
    from django.db import connection

    from jixiao.supervision.models import Delivery, Matter, Notice
    from jixiao.supervision.selectors import lights_for
    from jixiao.supervision.services.reminders import reminders_run

    out: dict[str, Any] = {"database": connection.vendor}
    t = time.perf_counter()
    out["built"] = build(matters=matters, units=units)
    out["build_s"] = round(time.perf_counter() - t, 2)
    noon = dt.datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with time_machine.travel(noon, tick=True) as traveller:
        qs = Matter.objects.filter(state__in=Matter.OPEN)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            got = lights_for(qs, today=TODAY)
            times.append(time.perf_counter() - t)
        out["lights_s"] = round(statistics.median(times), 3)
        out["lights"] = dict(Counter(got.values()))
        mail.outbox = []
        t = time.perf_counter()
        first = reminders_run(today=TODAY)
        out["remind_s"] = round(time.perf_counter() - t, 3)
        out["remind"] = first.as_dict()
        out["emails"] = len(mail.outbox)
        t = time.perf_counter()
        again = reminders_run(today=TODAY)
        out["remind_again_s"] = round(time.perf_counter() - t, 3)
        out["remind_again_issued"] = again.issued
        for days in (3, 6):  # the second notices, then the third ones (escalated to the leaders)
            traveller.move_to(noon + dt.timedelta(days=days))
            mail.outbox = []
            t = time.perf_counter()
            later = reminders_run(today=TODAY + dt.timedelta(days=days))
            out[f"remind_day{days}_s"] = round(time.perf_counter() - t, 3)
            out[f"remind_day{days}"] = {**later.as_dict(), "emails": len(mail.outbox)}
    out["notices"] = Notice.objects.count()
    out["deliveries"] = Delivery.objects.count()
    return out


def show(result: dict[str, Any]) -> None:
    b, r, d3, d6 = result["built"], result["remind"], result["remind_day3"], result["remind_day6"]
    lights_line = "，".join(f"{k} {v}" for k, v in sorted(result["lights"].items()))
    rows = [
        ("lights of all open matters (lights_for, median of 5)", f"{result['lights_s'] * 1000:.0f} ms", "< 1 s"),
        (f"reminder run: {r['issued']} notices, {r['deliveries']} deliveries, {result['emails']} e-mails",
         f"{result['remind_s']:.2f} s", "< 5 s"),
        (f"the same run again that day ({result['remind_again_issued']} issued)", f"{result['remind_again_s']:.2f} s",
         ""),
        (f"three days later: {d3['issued']} second notices, {d3['deliveries']} deliveries, {d3['emails']} e-mails",
         f"{result['remind_day3_s']:.2f} s", "< 5 s"),
        (f"six days later: {d6['issued']} third notices ({d6['escalated']} escalated), {d6['deliveries']} deliveries, "
         f"{d6['emails']} e-mails",
         f"{result['remind_day6_s']:.2f} s", "< 5 s"),
    ]
    width = max(len(x[0]) for x in rows)
    print(f"Supervision benchmarks ({result['database']}): {b['matters']} open matters, {b['milestones']} milestones, "
          f"{b['units']} units, built in {result['build_s']} s")
    print(f"  lights: {lights_line}")
    print(f"  {'':<{width}}  {'measured':>10}  target")
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value:>10}  {target}")


def main(argv: list[str] | None = None) -> int:
    return bench_main("supervision", run, show, argv, env=ENV)


if __name__ == "__main__":
    raise SystemExit(main())
