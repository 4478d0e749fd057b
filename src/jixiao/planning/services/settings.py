"""The office's configuration of targets and plans: an assessment's settings and a period's
reporting calendar (报送日历)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.scoping import Scope, require_org
from jixiao.planning.models import PeriodCalendar, PlanningSettings
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of

FIELDS = ("proposal_deadline", "max_indicators", "min_indicators", "require_quantified", "min_ratio", "max_ratio",
          "remind_before", "remind_after", "late_indicator", "late_item", "late_level", "late_per_day")


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else str(v) if v is not None and not isinstance(
        v, bool | int | str) else v


@transaction.atomic
def settings_save(*, actor: Actor, scope: Scope, assessment: Assessment, data: dict[str, Any]) -> PlanningSettings:
    """Save an assessment's settings; a lateness deduction must name an incident indicator and
    item of its scheme."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以修改目标与计划设置")
    require_org(scope, assessment.organisation_id)
    if data.get("min_indicators") and data.get("max_indicators") and data["min_indicators"] > data["max_indicators"]:
        raise ServiceError("至少申报数不能大于最多申报数", field="min_indicators")
    low, high = data.get("min_ratio"), data.get("max_ratio")
    if low is not None and high is not None and low > high:
        raise ServiceError("目标下限不能高于上限", field="min_ratio")
    late = (data.get("late_indicator") or "").strip()
    if late:
        leaves = [lf for c in catalog_of(assessment).categories.values() for lf in c.leaves
                  if lf.code == late and lf.kind == "incident"]
        if not leaves:
            raise ServiceError(f"方案中没有加减分指标 {late}", field="late_indicator")
        items = {i.code for i in leaves[0].items}
        if (data.get("late_item") or "") not in items:
            raise ServiceError(f"扣分事项须为 {'、'.join(sorted(items))} 之一", field="late_item")
    s = PlanningSettings.objects.select_for_update().filter(assessment=assessment).first()
    before = {k: _plain(getattr(s, k)) for k in FIELDS} if s else None
    s = s or PlanningSettings(assessment=assessment)
    for k in FIELDS:
        if k in data:
            v = data[k]
            setattr(s, k, v.strip() if isinstance(v, str) else v)
    s.save()
    audit_record(actor=actor, action="planning_settings", instance=s, before=before,
                 after={k: _plain(getattr(s, k)) for k in FIELDS}, summary=assessment.code)
    return s


@transaction.atomic
def calendar_save(*, actor: Actor, scope: Scope, period: Period, report_due: dt.date | None,
                  self_due: dt.date | None, review_due: dt.date | None) -> PeriodCalendar:
    """报送日历: a period's due dates for reporting, self-assessment and review."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以设置报送日历")
    require_org(scope, period.assessment.organisation_id)
    for name, d in (("report_due", report_due), ("self_due", self_due), ("review_due", review_due)):
        if d is not None and d < period.starts:
            raise ServiceError(f"截止日期 {d:%Y-%m-%d} 早于考核期开始（{period.starts:%Y-%m-%d}）", field=name)
    if report_due and review_due and review_due < report_due:
        raise ServiceError("审核截止不能早于数据报送截止", field="review_due")
    cal = PeriodCalendar.objects.select_for_update().filter(period=period).first()
    before = ({"report_due": _plain(cal.report_due), "self_due": _plain(cal.self_due),
               "review_due": _plain(cal.review_due)} if cal else None)
    cal = cal or PeriodCalendar(period=period)
    cal.report_due, cal.self_due, cal.review_due = report_due, self_due, review_due
    cal.save()
    audit_record(actor=actor, action="calendar_save", instance=cal, before=before,
                 after={"report_due": _plain(report_due), "self_due": _plain(self_due),
                        "review_due": _plain(review_due)}, summary=f"{period.assessment.code}@{period.code}")
    return cal
