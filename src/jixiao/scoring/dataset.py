"""The ledger as the engine's :class:`~jixiao.engine.data.DataSet`, a few queries per recompute.

Only what counts goes in: values that are submitted or verified, approved incidents, ballots;
rows of indicators the scheme version no longer has (after a version switch) are left out here
rather than refused by the engine, since they are history, not errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jixiao.collection.models import Ballot, Incident, Value
from jixiao.engine.data import DataSet
from jixiao.org.models import AssessedObject
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment


@dataclass(frozen=True)
class Loaded:
    data: DataSet
    object_ids: dict[str, int]  # object code → AssessedObject id


def _allowed(catalog: Catalog, categories: set[str], kind: str) -> set[tuple[str, str]]:
    """(group, indicator) pairs that take rows of this kind."""
    out: set[tuple[str, str]] = set()
    for c in categories:
        info = catalog.categories[c]
        codes = {lf.code for lf in info.leaves if lf.kind == kind}
        if kind == "incident":
            codes |= {code for code, _ in info.vetoes}
        out |= {(g, code) for g in info.groups for code in codes}
    return out


def load_dataset(assessment: Assessment, catalog: Catalog, categories: set[str]) -> Loaded:
    groups = sorted({g for c in categories for g in catalog.categories[c].groups})
    objs = list(AssessedObject.objects.filter(active=True, group__in=groups)
                .values_list("id", "code", "name", "group", "parent_id").order_by("code"))
    code_of = {i: c for i, c, _, _, _ in objs}
    group_of = {i: g for i, _, _, g, _ in objs}
    periods = dict(assessment.periods.values_list("id", "code"))
    objects = pl.DataFrame(
        {"object": [c for _, c, _, _, _ in objs], "name": [n for _, _, n, _, _ in objs],
         "group": [g for _, _, _, g, _ in objs], "parent": [code_of.get(p) if p else None for *_, p in objs]},
        schema={"object": pl.String, "name": pl.String, "group": pl.String, "parent": pl.String})

    value_ok = {(g, lf.code, v) for c in categories for lf in catalog.categories[c].leaves if lf.kind == "value"
                for g in catalog.categories[c].groups for v in lf.variables}
    vals = [(code_of[o], i, v, periods[p], float(x or 0))
            for o, i, v, p, x in Value.objects.filter(
                assessment=assessment, status__in=Value.COUNTING, object__active=True, object__group__in=groups,
                value__isnull=False).values_list("object_id", "indicator", "variable", "period_id", "value").iterator(
                chunk_size=20000)
            if (group_of[o], i, v) in value_ok]
    values = pl.DataFrame(vals, schema={"object": pl.String, "indicator": pl.String, "variable": pl.String,
                                        "period": pl.String, "value": pl.Float64}, orient="row")

    inc_ok = _allowed(catalog, categories, "incident")
    incs = [(code_of[o], i, it or None, lv or None, periods[p], float(n), float(a) if a is not None else None,
             d or None, note or None)
            for o, i, it, lv, p, n, a, d, note in Incident.objects.filter(
                assessment=assessment, status=Incident.Status.APPROVED, object__active=True,
                object__group__in=groups).values_list("object_id", "indicator", "item", "level", "period_id",
                                                      "count", "amount", "document", "note")
            if (group_of[o], i) in inc_ok]
    incidents = pl.DataFrame(incs, schema={"object": pl.String, "indicator": pl.String, "item": pl.String,
                                           "level": pl.String, "period": pl.String, "count": pl.Float64,
                                           "amount": pl.Float64, "evidence": pl.String, "note": pl.String},
                             orient="row")

    bal_ok = _allowed(catalog, categories, "ballot")
    bals = [(code_of[o], i, periods[p], r or None, rt, float(n), float(s) if s is not None else None)
            for o, i, p, r, rt, n, s in Ballot.objects.filter(
                assessment=assessment, object__active=True, object__group__in=groups).values_list(
                "object_id", "indicator", "period_id", "rater", "rating", "count", "score")
            if (group_of[o], i) in bal_ok]
    ratings = pl.DataFrame(bals, schema={"object": pl.String, "indicator": pl.String, "period": pl.String,
                                         "rater": pl.String, "rating": pl.String, "count": pl.Float64,
                                         "score": pl.Float64}, orient="row")
    data = DataSet(values=values, incidents=incidents, ratings=ratings, objects=objects, has_objects=True,
                   sources={"values": "台帐数值", "incidents": "加减分事项", "ratings": "评价票",
                            "objects": "考核对象"})
    return Loaded(data=data, object_ids={c: i for i, c, *_ in objs})
