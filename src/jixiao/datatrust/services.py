"""Every write of the data catalogue and of flag checks.

A figure's number is written once (:func:`figure_value_record`); in the same transaction it is
written to the ledger of every scheme leaf bound to the figure through the ledger's own write path
(:func:`jixiao.collection.services.values_bulk_upsert` for an open period,
:func:`~jixiao.collection.services.value_correct` for a closed one), with the reporter's own scope:
the same checks as if he had typed it there, the same history lines, audit entries and recompute.
The ledger value's note says where it came from ("来自数据指标库（县财政局，2024-12-03 报送）").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.models import Value
from jixiao.collection.services import ValueInput, value_correct, value_save, values_bulk_upsert
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.datatrust.models import Figure, FigureBinding, FigureValue, FlagCheck
from jixiao.datatrust.rules import RULE_NAMES
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of

MARK = "来自数据指标库"


def marker(figure: Figure, when: dt.datetime, *, corrected: bool = False) -> str:
    """The note a ledger value written from the catalogue carries."""
    day = timezone.localtime(when).date()
    return f"{MARK}（{figure.source.name}，{day:%Y-%m-%d} {'更正' if corrected else '报送'}）"


def _office(scope: Scope) -> None:
    if not scope.office:
        raise NotAllowed("只有绩效办可以维护数据指标库")


@dataclass(frozen=True)
class FigureInput:
    code: str
    name: str
    measure: str
    source: Unit
    frequency: str = Figure.Frequency.MONTH
    description: str = ""
    amount: bool = False


@transaction.atomic
def figure_save(*, actor: Actor, scope: Scope, data: FigureInput, figure: Figure | None = None,
                expected_version: int | None = None) -> Figure:
    """Define a figure, or change its definition (its code stays)."""
    _office(scope)
    require_org(scope, data.source.organisation_id)
    org = data.source.organisation_id
    if not data.name.strip():
        raise ServiceError("请填写指标名称", field="name")
    before = None
    if figure is None:
        code = data.code.strip()
        if not code:
            raise ServiceError("请填写指标编码", field="code")
        if Figure.objects.filter(organisation_id=org, code=code).exists():
            raise ServiceError(f"编码 {code} 已有数据指标", field="code")
        figure = Figure(organisation_id=org, code=code, owner=user_of(actor))
    else:
        figure = Figure.objects.select_for_update().get(pk=figure.pk)
        require_org(scope, figure.organisation_id)
        if expected_version is not None and figure.version != expected_version:
            raise StaleEdit("该数据指标已被他人修改，请刷新后再改")
        before = {"name": figure.name, "measure": figure.measure, "source": figure.source_id}
        figure.version += 1
    figure.name, figure.measure, figure.source = data.name.strip(), data.measure.strip(), data.source
    figure.frequency, figure.description, figure.amount = data.frequency, data.description.strip(), data.amount
    figure.save()
    audit_record(actor=actor, action="figure_save", instance=figure, before=before,
                 after={"code": figure.code, "name": figure.name, "measure": figure.measure,
                        "source": figure.source_id, "frequency": figure.frequency})
    return figure


@transaction.atomic
def figure_bind(*, actor: Actor, scope: Scope, figure: Figure, assessment: Assessment, indicator: str,
                variable: str = "value") -> FigureBinding:
    """Let an assessment's leaf take its values from the figure (one figure per leaf)."""
    _office(scope)
    require_org(scope, figure.organisation_id)
    require_org(scope, assessment.organisation_id)
    catalog = catalog_of(assessment)
    leaves = [lf for c in catalog.categories.values() for lf in c.leaves if lf.code == indicator]
    if not leaves or leaves[0].kind != "value":
        raise ServiceError(f"{assessment.name} 没有填报指标 {indicator}", field="indicator")
    if variable not in leaves[0].variables:
        raise ServiceError(f"指标 {leaves[0].name} 没有变量 {variable}", field="variable")
    taken = FigureBinding.objects.filter(assessment=assessment, indicator=indicator, variable=variable).first()
    if taken is not None:
        raise ServiceError(f"{leaves[0].name} 已引用数据指标“{taken.figure.name}”", field="indicator")
    binding = FigureBinding.objects.create(figure=figure, assessment=assessment, indicator=indicator,
                                           variable=variable, created_by=user_of(actor))
    audit_record(actor=actor, action="figure_bind", instance=binding,
                 after={"figure": figure.code, "assessment": assessment.code, "indicator": indicator,
                        "variable": variable})
    return binding


@transaction.atomic
def figure_unbind(*, actor: Actor, scope: Scope, binding: FigureBinding) -> None:
    """The leaf asks for its values again (what the catalogue wrote stays in the ledger)."""
    _office(scope)
    require_org(scope, binding.assessment.organisation_id)
    audit_record(actor=actor, action="figure_unbind", instance=binding,
                 before={"figure": binding.figure.code, "assessment": binding.assessment.code,
                         "indicator": binding.indicator})
    binding.delete()


def may_report(scope: Scope, figure: Figure) -> bool:
    """The office, or a reporter of the figure's data-source unit."""
    return scope.office or figure.source_id in scope.source_units or figure.source_id in scope.report_units


@dataclass(frozen=True)
class Propagated:
    """What one recorded figure value wrote: the ledger values, by assessment code."""

    value: FigureValue
    written: dict[str, int]


@transaction.atomic
def figure_value_record(*, actor: Actor, scope: Scope, figure: Figure, unit: Unit, period: str,
                        value: Decimal | None, note: str = "", expected_version: int | None = None) -> Propagated:
    """Record (or correct) a figure's number for a unit and period, and write it to the unit's
    object (not a person's) of every bound scheme leaf whose assessment has that period. A
    correction (the figure value existed) must say why (``note``)."""
    figure = Figure.objects.select_related("source").get(pk=figure.pk)
    require_org(scope, figure.organisation_id)
    if not may_report(scope, figure):
        raise NotAllowed(f"“{figure.name}”由 {figure.source.name} 报送")
    if unit.organisation_id != figure.organisation_id:
        raise ServiceError("单位不属于本组织", field="unit")
    period = period.strip()
    if not period:
        raise ServiceError("请选择期间", field="period")
    now = timezone.now()
    current = FigureValue.objects.select_for_update().filter(figure=figure, unit=unit, period=period).first()
    corrected = current is not None
    if current is not None:
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit("该数值已被他人修改，请刷新后再改")
        if current.value == value:
            raise ServiceError("数值与已报送的相同", field="value")
        if not note.strip():
            raise ServiceError("更正须注明依据", field="note")
        before = {"value": _fmt(current.value)}
        current.value, current.note, current.reported_by, current.reported_at = value, note.strip()[:300], \
            user_of(actor), now
        current.corrections += 1
        current.version += 1
        current.save()
    else:
        before = None
        current = FigureValue.objects.create(figure=figure, unit=unit, period=period, value=value,
                                             note=note.strip()[:300], reported_by=user_of(actor), reported_at=now)
    audit_record(actor=actor, action="figure_value_correct" if corrected else "figure_value_record",
                 instance=current, before=before, after={"value": _fmt(value), "note": current.note},
                 summary=f"{figure.code}/{unit.code}@{period}")
    text = marker(figure, now, corrected=corrected)
    written: dict[str, int] = {}
    for binding in FigureBinding.objects.filter(figure=figure).select_related("assessment"):
        target = Period.objects.select_related("assessment__version").filter(
            assessment=binding.assessment, code=period).first()
        if target is None:
            continue
        catalog = catalog_of(binding.assessment)
        n = 0
        for obj in AssessedObject.objects.filter(unit=unit, person__isnull=True, active=True).select_related("unit"):
            category = catalog.category_of_group(obj.group)
            leaf = catalog.leaf(category, binding.indicator) if category else None
            if leaf is None or not leaf.applies(period):
                continue  # the object is not scored on this leaf in that assessment
            n += _write(actor=actor, scope=scope, period=target, obj=obj, binding=binding, value=value, text=text)
        if n:
            written[binding.assessment.code] = n
    return Propagated(value=current, written=written)


def _write(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, binding: FigureBinding,
           value: Decimal | None, text: str) -> int:
    """One bound ledger value through the ledger's write path; 1 when written."""
    if period.status == Period.Status.OPEN:
        n = values_bulk_upsert(actor=actor, scope=scope, period=period, via="catalog", change_note=text,
                               rows=[ValueInput(object=obj.code, indicator=binding.indicator,
                                                variable=binding.variable, value=value, note=text)])
        if n == 0:
            # The ledger held this number already (typed there before the leaf was bound): the bulk
            # write leaves an unchanged number alone, so say where it now comes from on its own.
            saved = value_save(actor=actor, scope=scope, period=period, obj=obj, indicator=binding.indicator,
                               variable=binding.variable, value=value, note=text, submit=True, via="catalog")
            n = int(saved.note == text)
        return n
    stored = Value.objects.filter(period=period, object=obj, indicator=binding.indicator,
                                  variable=binding.variable).values_list("value", "status").first()
    if stored is not None and stored == (value, Value.Status.VERIFIED):
        return 0
    value_correct(actor=actor, scope=scope, period=period, obj=obj, indicator=binding.indicator,
                  variable=binding.variable, value=value, note=text, via="catalog")
    return 1


@transaction.atomic
def flag_check(*, actor: Actor, scope: Scope, assessment: Assessment, rule: str, value_id: int,
               note: str) -> FlagCheck:
    """The office marks a flag as checked, with its note (a second mark replaces the note)."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以核查数据质量提示")
    require_org(scope, assessment.organisation_id)
    if rule not in RULE_NAMES:
        raise ServiceError("未知的提示类型", field="rule")
    if not Value.objects.filter(pk=value_id, assessment=assessment).exists():
        raise ServiceError("台帐中没有这个数据", field="value")
    note = note.strip()[:300]
    if not note:
        raise ServiceError("请填写核查说明", field="note")
    check, created = FlagCheck.objects.update_or_create(
        assessment=assessment, rule=rule, value_id=value_id,
        defaults={"note": note, "checked_by": user_of(actor)})
    audit_record(actor=actor, action="flag_check", instance=check,
                 after={"rule": rule, "value": value_id, "note": note, "new": created})
    return check


def _fmt(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")
