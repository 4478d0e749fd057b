"""Results used (结果应用): the year's settings, and each unit's budget-performance score written
into the main assessment's ledger (through ``jixiao.collection.services``) as the value of the
leaf the finance bureau chose, so the unit's annual assessment scores it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record
from jixiao.budget import rules
from jixiao.budget.models import BudgetSettings
from jixiao.budget.services.common import require_finance
from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.core.errors import ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.models import Assessment, Period


@dataclass(frozen=True)
class SettingsInput:
    warn_gap: Decimal
    red_gap: Decimal
    execution_points: Decimal
    output_points: Decimal
    effect_points: Decimal
    satisfaction_points: Decimal
    grade_excellent: Decimal
    grade_good: Decimal
    grade_fair: Decimal
    recheck_share: Decimal
    cut_share: Decimal
    assessment: Assessment | None = None
    period: Period | None = None
    indicator: str = ""


@transaction.atomic
def settings_save(*, actor: Actor, scope: Scope, organisation_id: int, year: int,
                  data: SettingsInput) -> BudgetSettings:
    require_finance(scope, organisation_id, "修改预算绩效设置")
    if not (Decimal(0) < data.warn_gap < data.red_gap <= Decimal(1)):
        raise ServiceError("阈值须满足 0 < 黄灯 < 红灯 ≤ 1", field="red_gap")
    pts = (data.execution_points, data.output_points, data.effect_points, data.satisfaction_points)
    if any(p < 0 for p in pts) or sum(pts) != 100:
        raise ServiceError(f"评分方案各部分分值之和须为 100（现为 {sum(pts):g}）", field="execution_points")
    if not (data.grade_fair < data.grade_good < data.grade_excellent <= 100):
        raise ServiceError("等级分数线须满足 中 < 良 < 优 ≤ 100", field="grade_excellent")
    for name in ("recheck_share", "cut_share"):
        if not Decimal(0) <= getattr(data, name) <= Decimal(1):
            raise ServiceError("比例须在 0 到 1 之间", field=name)
    if data.assessment is not None:
        if data.assessment.organisation_id != organisation_id:
            raise ServiceError("考核属于另一个组织", field="assessment")
        if data.period is None or data.period.assessment_id != data.assessment.pk:
            raise ServiceError("请选择该考核的期间", field="period")
        if not data.indicator.strip():
            raise ServiceError("请填写写入的指标编码", field="indicator")
    s, _ = BudgetSettings.objects.update_or_create(organisation_id=organisation_id, year=year, defaults={
        k: getattr(data, k) for k in SettingsInput.__dataclass_fields__})
    audit_record(actor=actor, action="budget.settings_save", instance=s, summary=f"{year} 年预算绩效设置")
    return s


@transaction.atomic
def unit_scores_feed(*, actor: Actor, scope: Scope, organisation_id: int, year: int,
                     scores: dict[int, list[tuple[Decimal, Decimal]]]) -> int:
    """写入年度考核: each unit's amount-weighted budget-performance score (``scores``: unit id →
    [(final score, amount)], from the selectors) as the ``value`` of the settings' leaf for the
    unit's own assessed object. Units without an assessed object are skipped."""
    require_finance(scope, organisation_id, "把预算绩效得分写入年度考核")
    s = BudgetSettings.objects.filter(organisation_id=organisation_id, year=year).select_related(
        "period__assessment").first()
    if s is None or s.period is None or not s.indicator:
        raise ServiceError("请先在设置中选择写入的年度考核、期间和指标", field="indicator")
    objs = {o.unit_id: o.code for o in AssessedObject.objects.filter(
        unit_id__in=scores, person__isnull=True, active=True, unit__organisation_id=organisation_id)}
    rows = []
    for unit_id, pairs in scores.items():
        v = rules.weighted_score(pairs)
        if v is not None and unit_id in objs:
            rows.append(ValueInput(object=objs[unit_id], indicator=s.indicator, variable="value", value=v,
                                   note=f"{year} 年预算绩效评价得分"))
    if not rows:
        raise ServiceError("没有可写入的单位得分（单位须有考核对象且已有项目评价）", field="indicator")
    try:
        return values_bulk_upsert(actor=actor, scope=scope, period=s.period, rows=rows, via="budget",
                                  change_note=f"来自 {year} 年预算绩效评价")
    except ServiceError as e:
        raise ServiceError(f"写入年度考核失败：{e.message}", field="indicator") from None
