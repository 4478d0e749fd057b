"""Checking a bulk write's rows before anything is written, so a caller learns every problem at once.

The service (:func:`jixiao.collection.services.values_bulk_upsert`) applies the same rules again
inside its transaction and stops at the first; this read-only pass only collects them all, each
with its row index (from 0, as in the request's ``values`` array) and the field at fault.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jixiao.collection.models import Value
from jixiao.collection.services import leaf_for
from jixiao.core.errors import ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of


@dataclass(frozen=True)
class RowError:
    index: int | None  # None: the body itself
    field: str
    message: str
    forbidden: bool = False  # the scope may not write this (403), rather than a bad row (400)

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "field": self.field, "message": self.message}


def flatten(errors: Any, *, index: int | None = None, prefix: str = "") -> list[RowError]:
    """DRF validation errors (nested dicts and lists) as flat ``RowError`` lines."""
    out: list[RowError] = []
    if isinstance(errors, Mapping):
        for key, sub in errors.items():
            name = prefix if key == "non_field_errors" else f"{prefix}{key}."
            out.extend(flatten(sub, index=index, prefix=name))
    elif isinstance(errors, list | tuple):
        field = prefix.rstrip(".") or "body"
        for sub in errors:
            if isinstance(sub, Mapping | list | tuple):
                out.extend(flatten(sub, index=index, prefix=prefix))
            else:
                out.append(RowError(index=index, field=field, message=str(sub)))
    else:
        out.append(RowError(index=index, field=prefix.rstrip(".") or "body", message=str(errors)))
    return out


def row_shape_errors(errors: Any) -> list[RowError]:
    """The errors of ``ValuesUpsertSerializer``: per-row errors get their index, the rest ``None``."""
    out: list[RowError] = []
    if not isinstance(errors, Mapping):
        return flatten(errors)
    for key, sub in errors.items():
        # DRF gives a nested list's row errors as {index: errors} (or, in older versions, a list).
        rows = dict(enumerate(sub)) if isinstance(sub, list) else sub
        per_row = isinstance(rows, Mapping) and rows and all(isinstance(r, Mapping) for r in rows.values())
        if key == "values" and per_row:
            for i, row in sorted(rows.items()):
                if row:
                    out.extend(flatten(row, index=i))
        else:
            out.extend(flatten({key: sub}))
    return out


def check_rows(*, scope: Scope, period: Period, rows: Sequence[Mapping[str, Any] | None]) -> list[RowError]:
    """Every row that the write would refuse. ``None`` rows (shape errors, already reported) are skipped.

    Three queries whatever the number of rows: the period's assessment, the objects, the
    verified values a non-office scope may no longer change.
    """
    period = Period.objects.select_related("assessment__version").get(pk=period.pk)
    catalog = catalog_of(period.assessment)
    codes = {r["object"] for r in rows if r is not None}
    objs = {o.code: o for o in AssessedObject.objects.filter(
        code__in=codes, active=True, unit__organisation_id=period.assessment.organisation_id)}
    locked: set[tuple[int, str, str]] = set()
    if not scope.office and objs:
        locked = set(Value.objects.filter(period=period, object__in=list(objs.values()),
                                          status=Value.Status.VERIFIED)
                     .values_list("object_id", "indicator", "variable"))
    seen: dict[tuple[int, str, str], int] = {}
    errors: list[RowError] = []
    for i, row in enumerate(rows):
        if row is None:
            continue
        obj = objs.get(row["object"])
        visible = obj is not None and (scope.sees_object(obj.unit_id, obj.person_id) or bool(scope.source_keys))
        if obj is None or not visible:
            errors.append(RowError(i, "object", f"考核对象 {row['object']} 不存在或无权访问",
                                   forbidden=obj is not None))
            continue
        try:
            leaf = leaf_for(catalog, obj, row["indicator"], period, kind="value")
        except ServiceError as e:
            errors.append(RowError(i, e.field or "indicator", e.message))
            continue
        if row["variable"] not in leaf.variables:
            errors.append(RowError(i, "variable", f"指标 {leaf.name} 没有变量 {row['variable']}"
                                                  f"（可用：{'、'.join(leaf.variables)}）"))
            continue
        if not scope.can_report(obj.unit_id, leaf.source):
            by = f"（由 {leaf.source} 填报）" if leaf.source else ""
            errors.append(RowError(i, "indicator", f"无权填报 {obj.name} 的“{leaf.name}”{by}", forbidden=True))
            continue
        key = (obj.pk, leaf.code, row["variable"])
        if key in locked:
            errors.append(RowError(i, "value", "已审核的数据需由绩效办退回后才能修改", forbidden=True))
            continue
        if key in seen:
            errors.append(RowError(i, "indicator", f"与第 {seen[key]} 项重复（同一对象、指标和变量）"))
            continue
        seen[key] = i
    return errors
