"""The reporting calendar's daily run (报送日历): reminders to units behind a period's reporting due
date — ``remind_before`` days ahead and ``remind_after`` days past it — sent as the ledger's own
催报 notices (``collection.services.reminders_send``, which units see on their ledger pages), and
the optional lateness deduction (逾期扣分): an approved incident through the ledger's incident
services, its document naming the dates, so it flows into scores like any incident.

"Behind" is the ledger's recording rate (``collection.selectors.recording_rates``): a unit with
fewer values submitted or verified than expected. Each reminder and deduction is marked
(:class:`~jixiao.planning.models.CalendarMark`, unique per period, unit and kind), so running the
job twice a day, or every day, sends and deducts once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from jixiao.audit.services import Actor
from jixiao.collection.selectors import recording_rates
from jixiao.collection.services import incident_create, incident_decide, reminders_send
from jixiao.core import clock
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.planning import rules
from jixiao.planning.models import CalendarMark, PeriodCalendar, PlanningSettings, SelfReport
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of


@dataclass
class CalendarSummary:
    day: dt.date
    periods: int = 0
    reminded: int = 0  # units reminded before the due date
    chased: int = 0  # units chased after it
    deducted: int = 0  # lateness deductions made
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        return d


def _system_scope(organisation_id: int) -> Scope:
    """The office's scope for the job, which has no user (its writes are labelled the job's)."""
    return Scope(user_id=None, office=True, organisation_id=organisation_id)


def _message(kind: str, period: Period, due: dt.date, today: dt.date, done: int, expected: int) -> str:
    if kind == "before":
        days = (due - today).days
        when = "今天" if days == 0 else f"{days} 天后（{due:%Y-%m-%d}）"
        return f"{period.name}数据报送将于{when}截止，贵单位已报 {done}/{expected} 项，请按时报齐。"
    late = (today - due).days
    return (f"{period.name}数据报送已于 {due:%Y-%m-%d} 截止，贵单位已逾期 {late} 天，"
            f"已报 {done}/{expected} 项，请尽快报齐。")


def calendar_run(*, today: dt.date | None = None, actor: Actor = None,
                 organisation_id: int | None = None) -> CalendarSummary:
    """The daily job: every open period with a reporting due date (of one organisation, when given),
    each in its own transaction."""
    today = today or clock.today()
    summary = CalendarSummary(day=today)
    cals = (PeriodCalendar.objects.filter(period__status=Period.Status.OPEN)
            .filter(Q(report_due__isnull=False) | Q(self_due__isnull=False)).select_related("period__assessment"))
    if organisation_id is not None:
        cals = cals.filter(period__assessment__organisation_id=organisation_id)
    for cal in cals.order_by("period_id"):
        with transaction.atomic():
            if cal.report_due is not None:
                _period_run(cal.period, cal.report_due, today, actor, summary)
            if cal.self_due is not None:
                _self_run(cal.period, cal.self_due, today, actor, summary)
        summary.periods += 1
    return summary


def _self_run(period: Period, due: dt.date, today: dt.date, actor: Actor, summary: CalendarSummary) -> None:
    """自查自评: units whose own object has no self-assessment report for the period yet."""
    assessment = period.assessment
    conf = PlanningSettings.objects.filter(assessment=assessment).first() or PlanningSettings(assessment=assessment)
    action = rules.calendar_action(due=due, today=today, before=conf.remind_before, after=conf.remind_after,
                                   done=False)
    if action is None:
        return
    kind = f"self_{action}"
    cats = list(catalog_of(assessment).categories)
    done = set(SelfReport.objects.filter(period=period).values_list("object_id", flat=True))
    marked = set(CalendarMark.objects.filter(period=period, kind=kind).values_list("unit_id", flat=True))
    behind = {o.unit_id: o.unit for o in AssessedObject.objects.filter(
        category__code__in=cats, active=True, person__isnull=True, unit__organisation_id=assessment.organisation_id)
        .select_related("unit").order_by("unit_id") if o.pk not in done and o.unit_id not in marked}
    if not behind:
        return
    late = (today - due).days
    text = (f"{period.name}自查自评报告须于 {due:%Y-%m-%d} 前提交，贵单位尚未提交，请按时完成。" if action == "before"
            else f"{period.name}自查自评报告已于 {due:%Y-%m-%d} 截止，贵单位已逾期 {late} 天仍未提交，请尽快提交。")
    reminders_send(actor=actor, scope=_system_scope(assessment.organisation_id), period=period,
                   units=list(behind.values()), message=text)
    CalendarMark.objects.bulk_create([CalendarMark(period=period, unit=u, kind=kind, due=due, on=today)
                                      for u in behind.values()])
    if action == "before":
        summary.reminded += len(behind)
    else:
        summary.chased += len(behind)


def _period_run(period: Period, due: dt.date, today: dt.date, actor: Actor, summary: CalendarSummary) -> None:
    assessment = period.assessment
    conf = PlanningSettings.objects.filter(assessment=assessment).first() or PlanningSettings(assessment=assessment)
    scope = _system_scope(assessment.organisation_id)
    behind = [r for r in recording_rates(period=period) if r.reported < r.expected]
    if not behind:
        return
    marks = set(CalendarMark.objects.filter(period=period).values_list("unit_id", "kind"))
    for kind in ("before", "after"):
        units = [r for r in behind if (r.unit.pk, kind) not in marks and rules.calendar_action(
            due=due, today=today, before=conf.remind_before, after=conf.remind_after, done=False) == kind]
        for r in units:
            reminders_send(actor=actor, scope=scope, period=period, units=[r.unit],
                           message=_message(kind, period, due, today, r.reported, r.expected))
        CalendarMark.objects.bulk_create([CalendarMark(period=period, unit=r.unit, kind=kind, due=due, on=today)
                                          for r in units])
        if kind == "before":
            summary.reminded += len(units)
        else:
            summary.chased += len(units)
    if not conf.late_indicator or today <= due:
        return
    catalog = catalog_of(assessment)
    cats = [c.code for c in catalog.categories.values() if any(
        lf.code == conf.late_indicator and lf.applies(period.code) for lf in c.leaves)]
    late_units = [r for r in behind if (r.unit.pk, "late") not in marks
                  and (today - due).days >= conf.remind_after]
    objects: dict[int, AssessedObject] = {}
    for o in AssessedObject.objects.filter(unit_id__in=[r.unit.pk for r in late_units], category__code__in=cats,
                                           active=True, person__isnull=True).select_related("unit", "category"):
        objects.setdefault(o.unit_id, o)
    for r in late_units:
        obj = objects.get(r.unit.pk)
        if obj is None:
            continue  # a data-source unit, or a unit not assessed on the lateness indicator
        days = rules.days_late(due=due, done_on=None, today=today)
        inc = incident_create(
            actor=actor, scope=scope, period=period, obj=obj, indicator=conf.late_indicator, item=conf.late_item,
            level=conf.late_level, count=Decimal(days if conf.late_per_day else 1),
            document=f"报送日历：截止 {due:%Y-%m-%d}",
            note=(f"{period.name}数据报送截止 {due:%Y-%m-%d}，截至 {today:%Y-%m-%d} 已报 {r.reported}/{r.expected} 项，"
                  f"逾期 {days} 天，按方案扣分"))
        incident_decide(actor=actor, scope=scope, incident=inc, approve=True)
        CalendarMark.objects.create(period=period, unit=r.unit, object=obj, kind="late", due=due, on=today,
                                    incident_id=inc.pk)
        summary.deducted += 1
