"""The ledger as the engine's :class:`~jixiao.engine.data.DataSet`, a few queries per recompute,
read column-wise (:func:`jixiao.core.columnar.read_frame`: no Python object per value).

Only what counts goes in: values that are submitted or verified, approved incidents, ballots;
rows of indicators the scheme version no longer has (after a version switch) are left out here
rather than refused by the engine, since they are history, not errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db.models import CharField, FloatField
from django.db.models import Value as Constant
from django.db.models.functions import Cast

from jixiao.collection.models import Ballot, Incident, Value
from jixiao.core.columnar import CHUNK, read_frame
from jixiao.engine.data import DataSet
from jixiao.org.models import AssessedObject
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment


@dataclass(frozen=True)
class Loaded:
    data: DataSet
    object_ids: dict[str, int]  # object code → AssessedObject id


def _allowed(catalog: Catalog, categories: set[str], kind: str) -> pl.DataFrame:
    """(group, indicator[, variable]) rows that take ledger rows of this kind."""
    rows: set[tuple[str, ...]] = set()
    for c in categories:
        info = catalog.categories[c]
        leaves = [lf for lf in info.leaves if lf.kind == kind]
        for g in info.groups:
            if kind == "value":
                rows |= {(g, lf.code, v) for lf in leaves for v in lf.variables}
            else:
                rows |= {(g, lf.code) for lf in leaves}
                if kind == "incident":
                    rows |= {(g, code) for code, _ in info.vetoes}
    cols = ["group", "indicator", "variable"] if kind == "value" else ["group", "indicator"]
    return pl.DataFrame(sorted(rows), schema={c: pl.String for c in cols}, orient="row")


def _rows(qs: Any, fields: list[str], schema: dict[str, Any], *, small: bool = False) -> pl.DataFrame:
    """A queryset's rows as a frame, column-wise; the ids are mapped to codes by joins. ``small``
    (one object's rows, the periods): one statement, no chunking."""
    return read_frame(qs, fields, schema, chunk=None if small else CHUNK)


def _coded(df: pl.DataFrame, objs: pl.DataFrame, periods: pl.DataFrame, allowed: pl.DataFrame,
           out: list[str]) -> pl.DataFrame:
    """Object and period ids → codes, and only the rows the scheme takes (column-wise joins)."""
    return (df.join(objs, on="_oid").join(periods, on="_pid")
            .join(allowed, on=[c for c in allowed.columns], how="semi").select(out))


def load_dataset(assessment: Assessment, catalog: Catalog, categories: set[str],
                 only: set[int] | None = None) -> Loaded:
    """The ledger of the categories' objects (only those of ids ``only``, when given: one object's
    explanation scores just that object, which the engine's per-object rules allow)."""
    groups = sorted({g for c in categories for g in catalog.categories[c].groups})
    # Ranking groups are named by each organisation's scheme: two organisations may both have one.
    chosen = AssessedObject.objects.filter(active=True, group__in=groups,
                                           unit__organisation_id=assessment.organisation_id)
    if only is not None:
        chosen = chosen.filter(id__in=only)
    objs = list(chosen.values_list("id", "code", "name", "group", "parent_id").order_by("code"))
    code_of = {i: c for i, c, _, _, _ in objs}
    objects = pl.DataFrame(
        {"object": [c for _, c, _, _, _ in objs], "name": [n for _, _, n, _, _ in objs],
         "group": [g for _, _, _, g, _ in objs], "parent": [code_of.get(p) if p else None for *_, p in objs]},
        schema={"object": pl.String, "name": pl.String, "group": pl.String, "parent": pl.String})
    ids = pl.DataFrame({"_oid": list(code_of), "object": list(code_of.values()),
                        "group": [g for _, _, _, g, _ in objs]},
                       schema={"_oid": pl.Int64, "object": pl.String, "group": pl.String})
    periods = _rows(assessment.periods.all(), ["id", "code"], {"_pid": pl.Int64, "period": pl.String}, small=True)
    small = only is not None
    mine: dict[str, Any] = {"assessment": assessment}
    if set(categories) != set(catalog.categories):
        # Only some categories: the database keeps the others' rows back. Scoring them all (a
        # scheme switch, a full recompute), the join with the objects below drops what is not
        # theirs (an inactive object) without the database joining eleven million rows first.
        mine |= {"object__active": True, "object__group__in": groups}
    if only is not None:
        mine["object_id__in"] = only

    values = _coded(_rows(
        Value.objects.filter(status__in=Value.COUNTING, value__isnull=False, **mine).annotate(
            v=Cast("value", FloatField())), ["object_id", "indicator", "variable", "period_id", "v"],
        {"_oid": pl.Int64, "indicator": pl.String, "variable": pl.String, "_pid": pl.Int64, "value": pl.Float64},
        small=small),
        ids, periods, _allowed(catalog, categories, "value"), ["object", "indicator", "variable", "period", "value"])

    incidents = _coded(_rows(
        Incident.objects.filter(status=Incident.Status.APPROVED, **mine).annotate(
            n=Cast("count", FloatField()), a=Cast("amount", FloatField())),
        ["object_id", "indicator", "item", "level", "period_id", "n", "a", "document", "note"],
        {"_oid": pl.Int64, "indicator": pl.String, "item": pl.String, "level": pl.String, "_pid": pl.Int64,
         "count": pl.Float64, "amount": pl.Float64, "evidence": pl.String, "note": pl.String}, small=small),
        ids, periods, _allowed(catalog, categories, "incident"),
        ["object", "indicator", "item", "level", "period", "count", "amount", "evidence", "note"])

    ratings = _coded(_rows(
        # Raters stay anonymous: the engine (and so every explanation) gets no rater's name.
        Ballot.objects.filter(**mine).annotate(n=Cast("count", FloatField()), s=Cast("score", FloatField()),
                                               anon=Constant("", output_field=CharField())),
        ["object_id", "indicator", "period_id", "anon", "rating", "n", "s"],
        {"_oid": pl.Int64, "indicator": pl.String, "_pid": pl.Int64, "rater": pl.String, "rating": pl.String,
         "count": pl.Float64, "score": pl.Float64}, small=small),
        ids, periods, _allowed(catalog, categories, "ballot"),
        ["object", "indicator", "period", "rater", "rating", "count", "score"])

    data = DataSet(values=values, incidents=incidents, ratings=ratings, objects=objects, has_objects=True,
                   sources={"values": "台帐数值", "incidents": "加减分事项", "ratings": "评价票",
                            "objects": "考核对象"})
    return Loaded(data=data, object_ids={c: i for i, c, *_ in objs})
