"""Reads of the data catalogue, its lineage and the data-quality flags, scoped to the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from jixiao.collection.models import Value
from jixiao.datatrust.flags import Thresholds
from jixiao.datatrust.gather import ledger_flags
from jixiao.datatrust.models import Figure, FigureBinding, FigureValue, FlagCheck
from jixiao.datatrust.rules import RULE_NAMES, explain
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope, for_org
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of


def figures_all(*, scope: Scope) -> QuerySet[Figure]:
    return for_org(Figure.objects.select_related("source", "owner"), scope).annotate(
        n_bindings=Count("bindings", distinct=True), n_values=Count("values", distinct=True))


def figure_get(*, scope: Scope, pk: int) -> Figure:
    return get_object_or_404(for_org(Figure.objects.select_related("source", "owner"), scope), pk=pk)


def figure_values(figure: Figure) -> QuerySet[FigureValue]:
    return figure.values.select_related("unit", "reported_by").order_by("period", "unit__position", "unit__code")


def objects_for_figures(*, scope: Scope) -> QuerySet[AssessedObject]:
    return for_org(AssessedObject.objects.filter(active=True, person__isnull=True), scope,
                   "unit__organisation").order_by("code")


@dataclass(frozen=True)
class Use:
    """One place a figure is used: an assessment's leaf, with the ledger values written from it."""

    binding: FigureBinding
    leaf_name: str
    values: list[Value]


def figure_lineage(figure: Figure) -> list[Use]:
    """Where the figure is used, and the ledger values each use holds (two queries per use)."""
    uses = []
    for b in figure.bindings.select_related("assessment__version"):
        catalog = catalog_of(b.assessment)
        name = next((lf.name for c in catalog.categories.values() for lf in c.leaves if lf.code == b.indicator),
                    b.indicator)
        rows = list(Value.objects.filter(assessment=b.assessment, indicator=b.indicator, variable=b.variable,
                                         note__startswith="来自数据指标库")
                    .select_related("object", "period").order_by("period__position", "object__code"))
        uses.append(Use(binding=b, leaf_name=name, values=rows))
    return uses


def catalogue_recording(*, scope: Scope) -> dict[str, int]:
    """How much the catalogue saved: figure values reported (each once) and the ledger values they
    fed (one per bound leaf). Recording counts a figure once: the source reported it once."""
    reported = for_org(FigureValue.objects.filter(value__isnull=False), scope, "figure__organisation").count()
    fed = for_org(Value.objects.filter(note__startswith="来自数据指标库"), scope, "assessment__organisation").count()
    return {"reported": reported, "fed": fed, "saved": max(fed - reported, 0)}


def leaf_choices(*, scope: Scope) -> list[tuple[str, str]]:
    """Every value leaf of the organisation's assessments, as ("assessment code:indicator code",
    "考核名 · 指标名") pairs for a picker (names shown, codes only in the submitted value)."""
    out = []
    for a in for_org(Assessment.objects.select_related("version").order_by("-year", "code"), scope):
        seen: set[str] = set()
        for c in catalog_of(a).categories.values():
            for lf in c.leaves:
                if lf.kind == "value" and lf.code not in seen:
                    seen.add(lf.code)
                    out.append((f"{a.code}:{lf.code}", f"{a.name} · {lf.name}"))
    return out


def leaf_names(assessments: list[Assessment]) -> dict[tuple[int, str], str]:
    """(assessment id, indicator code) → the leaf's name."""
    return {(a.pk, lf.code): lf.name for a in assessments for c in catalog_of(a).categories.values()
            for lf in c.leaves}


def figure_periods(figure: Figure) -> list[tuple[str, str]]:
    """The periods of the assessments that use the figure, as (code, name), in their order."""
    seen: dict[str, str] = {}
    for code, name in Period.objects.filter(assessment__in=figure.bindings.values("assessment")).order_by(
            "assessment__year", "position").values_list("code", "name"):
        seen.setdefault(code, name)
    return list(seen.items())


@dataclass(frozen=True)
class FlagRow:
    rule: str
    rule_name: str
    text: str
    value: Value
    indicator_name: str
    check: FlagCheck | None


def flag_thresholds() -> Thresholds:
    """The rules' settings: the defaults, overridden by ``settings.JIXIAO_FLAG_THRESHOLDS`` (a dict,
    e.g. ``{"z": 2.5}``)."""
    return Thresholds(**getattr(settings, "JIXIAO_FLAG_THRESHOLDS", {}))


def flags_review(*, scope: Scope, assessment: Assessment, rule: str = "", object_id: int | None = None,
                 unchecked: bool = False, limit: int = 500,
                 thresholds: Thresholds | None = None) -> tuple[list[FlagRow], dict[str, int]]:
    """The flags of the assessment's ledger (filtered), with the office's checks; and counts by rule."""
    t = thresholds or flag_thresholds()
    flags, _ = ledger_flags(assessment, t)
    counts = dict(flags.group_by("rule").len().iter_rows()) if flags.height else {}
    if not scope.office:
        # Units see the flags of the values they may see only.
        visible = set(for_org(AssessedObject.objects.all(), scope, "unit__organisation")
                      .filter(unit_id__in=scope.view_units or []).values_list("pk", flat=True))
        flags = flags.filter(pl.col("object").is_in(sorted(visible)))
    if rule:
        flags = flags.filter(pl.col("rule") == rule)
    if object_id is not None:
        flags = flags.filter(pl.col("object") == object_id)
    checks = {(c.rule, c.value_id): c for c in FlagCheck.objects.filter(assessment=assessment)
              .select_related("checked_by")}
    if unchecked:
        keep = [(r, v) not in checks for r, v in flags.select("rule", "vid").iter_rows()]
        flags = flags.filter(pl.Series(keep, dtype=pl.Boolean))
    flags = flags.sort(["rule", "object", "seq"]).head(limit)
    ids = flags["vid"].to_list()
    by_id = {v.pk: v for v in Value.objects.filter(pk__in=ids).select_related("object", "period")}
    names = leaf_names([assessment])
    rows = []
    for r in flags.iter_rows(named=True):
        v = by_id.get(r["vid"])
        if v is None:
            continue
        rows.append(FlagRow(rule=r["rule"], rule_name=RULE_NAMES[r["rule"]],
                            text=explain(r["rule"], value=r["value"], score=r["score"], ref=_f(r["ref"]), t=t),
                            value=v, indicator_name=names.get((assessment.pk, v.indicator), v.indicator),
                            check=checks.get((r["rule"], r["vid"]))))
    return rows, counts


def flags_of_values(*, assessment: Assessment, value_ids: set[int]) -> dict[int, list[str]]:
    """The rule names flagged on these values (for badges beside them)."""
    flags, _ = ledger_flags(assessment, flag_thresholds())
    out: dict[int, list[str]] = {}
    for rule, vid in flags.filter(pl.col("vid").is_in(sorted(value_ids))).select("rule", "vid").iter_rows():
        out.setdefault(vid, []).append(RULE_NAMES[rule])
    return out


def _f(x: Any) -> float:
    return float("nan") if x is None else float(x)


def units_of(*, scope: Scope) -> QuerySet[Unit]:
    """The current organisation's units, in the tree's order (the source and unit pickers)."""
    return for_org(Unit.objects.order_by("level", "position", "code"), scope)


def unit_get(*, scope: Scope, pk: int) -> Unit:
    """A unit of the current organisation; 404 otherwise."""
    return get_object_or_404(for_org(Unit.objects.all(), scope), pk=pk)
