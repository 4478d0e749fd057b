"""Self-assessment (自查自评): a unit scores each of its indicators and writes its report; staff
write their 工作纪实/述职. A self-score above the indicator's points is refused at its field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.planning.models import SelfReport, SelfScore
from jixiao.planning.services.common import unit_side
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.schemes.services import period_require_open


@dataclass(frozen=True)
class SelfScoreInput:
    indicator: str
    score: Decimal | None
    note: str = ""


def _check_side(scope: Scope, period: Period, obj: AssessedObject) -> None:
    require_org(scope, period.assessment.organisation_id)
    if obj.unit.organisation_id != period.assessment.organisation_id:
        raise NotAllowed("该考核对象属于另一个组织")
    if not unit_side(scope, obj):
        raise NotAllowed(f"只有 {obj.name} 本单位（本人）可以自查自评")


@transaction.atomic
def self_scores_save(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject,
                     scores: Sequence[SelfScoreInput]) -> int:
    """自评分: the unit's own score of each indicator, 0 to the indicator's points; blank clears it.
    All or nothing."""
    period = period_require_open(period)
    _check_side(scope, period, obj)
    catalog = catalog_of(period.assessment)
    category = catalog.category_of_group(obj.group) or ""
    current = {s.indicator: s for s in SelfScore.objects.select_for_update().filter(period=period, object=obj)}
    rows = []
    for s in scores:
        leaf = catalog.leaf(category, s.indicator)
        if leaf is None or leaf.points is None or not leaf.applies(period.code):
            raise ServiceError(f"指标 {s.indicator} 不在 {period.name} 自评", field=f"score_{s.indicator}")
        if s.score is not None and s.score < 0:
            raise ServiceError("自评分不能为负数", field=f"score_{s.indicator}")
        if s.score is not None and s.score > Decimal(str(leaf.points)):
            raise ServiceError(f"自评分 {s.score.normalize():f} 超过“{leaf.name}”的分值 {leaf.points:g} 分",
                               field=f"score_{s.indicator}")
        rows.append((s, leaf))
    user = user_of(actor)
    audit: list[tuple[str, dict[str, str] | None, dict[str, str] | None]] = []
    n = 0
    for s, _leaf in rows:
        old = current.get(s.indicator)
        if s.score is None:
            if old is not None:
                audit.append((str(old.pk), {"score": str(old.score)}, None))
                old.delete()
                n += 1
            continue
        if old is not None and old.score == s.score and old.note == s.note.strip():
            continue
        obj_row, _ = SelfScore.objects.update_or_create(
            period=period, object=obj, indicator=s.indicator,
            defaults={"assessment": period.assessment, "score": s.score, "note": s.note.strip(), "updated_by": user})
        audit.append((str(obj_row.pk), {"score": str(old.score)} if old else None,
                      {"indicator": s.indicator, "score": str(s.score), "note": s.note.strip()}))
        n += 1
    if audit:
        audit_record_many(actor=actor, action="self_score", target="planning.selfscore", rows=audit,
                          summary=f"{obj.code}@{period.code}")
    return n


@transaction.atomic
def self_report_save(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, text: str) -> SelfReport:
    """自查自评报告 / 工作纪实 / 述职: the unit's report, or a member of staff's own record."""
    period = period_require_open(period)
    _check_side(scope, period, obj)
    text = text.strip()
    if not text:
        raise ServiceError("请填写报告内容", field="text")
    old = SelfReport.objects.select_for_update().filter(period=period, object=obj).first()
    before = {"length": len(old.text)} if old else None
    report, _ = SelfReport.objects.update_or_create(
        period=period, object=obj, defaults={"assessment": period.assessment, "text": text,
                                             "submitted_on": clock.today(), "updated_by": user_of(actor)})
    audit_record(actor=actor, action="self_report", instance=report, before=before,
                 after={"object": obj.code, "period": period.code, "length": len(text)})
    return report
