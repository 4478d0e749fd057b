"""The ledger of an assessment as the frames :mod:`jixiao.datatrust.flags` takes, read column-wise
(:func:`jixiao.core.columnar.read_frame`: no Python object per value), and the flags computed on it.

Flags are computed on demand (the review page), never on a value's save. The previous year's
assessment of the same scheme, when there is one, is read along for the year-over-year rule; its
periods line up with this year's by their position.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone

from jixiao.collection.models import Incident, Value
from jixiao.core.columnar import CHUNK, read_frame
from jixiao.datatrust.flags import INCIDENTS_SCHEMA, INDICATORS_SCHEMA, VALUES_SCHEMA, Thresholds, flags_compute
from jixiao.datatrust.models import Figure
from jixiao.engine.scheme.model import Node
from jixiao.planning.models import PeriodCalendar
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of

AMOUNT_UNITS = frozenset({"元", "千元", "万元", "亿元"})


@dataclass(frozen=True)
class Coding:
    """Indicator codes (each integer the flags use is an indicator in one kind of period), their
    names; the periods read."""

    codes: list[str]
    names: dict[str, str]
    periods: dict[int, Period]  # period id → period (with its assessment)


def _rules(catalog: Catalog) -> dict[str, Any]:
    """Each leaf's rule, by code, from the scheme tree."""
    out: dict[str, Any] = {}

    def walk(nodes: list[Node]) -> None:
        for n in nodes:
            if n.rule is not None:
                out.setdefault(n.code, n.rule)
            walk(n.children)

    for cat in catalog.scheme.categories:
        walk(cat.indicators)
    return out


def _epoch(day: dt.date | None) -> int | None:
    """The end of a deadline day, local time, in epoch seconds."""
    if day is None:
        return None
    return int(timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))).timestamp())


def ledger_frames(assessment: Assessment) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, Coding]:
    """(values, indicators, incidents, coding) of the assessment and its previous year."""
    catalog = catalog_of(assessment)
    rules = _rules(catalog)
    leaves = {lf.code: lf for c in catalog.categories.values() for lf in c.leaves}
    value_leaves = sorted(code for code, lf in leaves.items() if lf.kind == "value")
    codes = value_leaves
    # The rules see an indicator once per kind of period (月, 季度, 年度…): a month's figure is
    # compared with the months before it, not with a year's total.
    kinds = sorted(Period.Kind.values)
    pairs_all = [(c, k) for c in codes for k in kinds]
    bound_amount = set(Figure.objects.filter(bindings__assessment=assessment, amount=True)
                       .values_list("bindings__indicator", flat=True))
    indicators = pl.DataFrame(
        [{"indicator": n, "lower_better": bool(getattr(rules.get(c), "lower_is_better", False)),
          "amount": leaves[c].unit in AMOUNT_UNITS or c in bound_amount} for n, (c, _) in enumerate(pairs_all)],
        schema=INDICATORS_SCHEMA)
    sources = [assessment]
    before = (Assessment.objects.filter(organisation_id=assessment.organisation_id, year=assessment.year - 1,
                                        version__scheme_id=assessment.version.scheme_id).order_by("pk").first())
    if before is not None:
        sources.append(before)
    periods = {p.pk: p for p in Period.objects.filter(assessment__in=sources).select_related("assessment")}
    # The reporting deadline: the period's 报送日历 (planning) when set, else its own due date.
    due = dict(PeriodCalendar.objects.filter(period_id__in=list(periods), report_due__isnull=False)
               .values_list("period_id", "report_due"))
    period_frame = pl.DataFrame(
        [{"_pid": p.pk, "year": p.assessment.year, "seq": p.position, "deadline": _epoch(due.get(p.pk, p.due)),
          "kind": p.kind} for p in periods.values()],
        schema={"_pid": pl.Int64, "year": pl.Int32, "seq": pl.Int32, "deadline": pl.Int64, "kind": pl.String})
    ind_frame = pl.DataFrame({"indicator_code": [c for c, _ in pairs_all], "kind": [k for _, k in pairs_all],
                              "indicator": list(range(len(pairs_all)))},
                             schema={"indicator_code": pl.String, "kind": pl.String, "indicator": pl.Int32})
    raw = read_frame(
        Value.objects.filter(assessment__in=sources, status__in=Value.COUNTING, value__isnull=False,
                             variable__in=["value", "target"]).annotate(v=Cast("value", FloatField())),
        ["id", "object_id", "object__unit_id", "indicator", "variable", "period_id", "v", "updated_at"],
        {"vid": pl.Int64, "object": pl.Int32, "unit": pl.Int32, "indicator_code": pl.String, "variable": pl.String,
         "_pid": pl.Int64, "value": pl.Float64, "at": pl.String}, chunk=CHUNK)
    keys = ["object", "indicator_code", "_pid"]
    targets = raw.filter(pl.col("variable") == "target").select(*keys, pl.col("value").alias("target"))
    constant = pl.DataFrame(
        {"indicator_code": [c for c in codes if isinstance(getattr(rules.get(c), "target", None), int | float)],
         "_t": [float(rules[c].target) for c in codes if isinstance(getattr(rules.get(c), "target", None),
                                                                     int | float)]},
        schema={"indicator_code": pl.String, "_t": pl.Float64})
    values = (raw.filter(pl.col("variable") == "value")
              .join(targets, on=keys, how="left").join(constant, on="indicator_code", how="left")
              .with_columns(pl.coalesce("target", "_t").alias("target"),
                            pl.col("at").str.slice(0, 19).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
                            .dt.replace_time_zone("UTC").dt.epoch("s").alias("changed_at"))
              .join(period_frame, on="_pid", how="inner").join(ind_frame, on=["indicator_code", "kind"], how="inner")
              .select(list(VALUES_SCHEMA)))
    # Incidents count against the lower-is-better value leaves beside them in the tree (same parent).
    lower = {c for c in codes if getattr(rules.get(c), "lower_is_better", False)}
    beside: dict[str, list[str]] = {}
    for code, lf in leaves.items():
        if lf.kind == "incident":
            beside[code] = [c for c in lower if leaves[c].path == lf.path and leaves[c].category == lf.category]
    pairs = pl.DataFrame([(i, v) for i, vs in beside.items() for v in vs], orient="row",
                         schema={"incident_code": pl.String, "indicator_code": pl.String})
    inc_raw = read_frame(Incident.objects.filter(assessment__in=sources, status=Incident.Status.APPROVED)
                         .annotate(n=Cast("count", FloatField())),
                         ["object_id", "indicator", "period_id", "n"],
                         {"object": pl.Int32, "incident_code": pl.String, "_pid": pl.Int64, "count": pl.Float64},
                         chunk=None)
    incidents = (inc_raw.join(pairs, on="incident_code", how="inner").join(period_frame, on="_pid")
                 .join(ind_frame, on=["indicator_code", "kind"]).select(list(INCIDENTS_SCHEMA)))
    names = {c: leaves[c].name for c in codes}
    return values, indicators, incidents, Coding(codes=[c for c, _ in pairs_all], names=names, periods=periods)


def ledger_flags(assessment: Assessment, thresholds: Thresholds | None = None) -> tuple[pl.DataFrame, Coding]:
    """The flags of this year's values (the previous year only serves as history)."""
    values, indicators, incidents, coding = ledger_frames(assessment)
    flags = flags_compute(values, indicators, incidents, thresholds)
    return flags.filter(pl.col("year") == assessment.year), coding
