"""The ledger as the engine's :class:`~jixiao.engine.data.DataSet`, a few queries per recompute,
read column-wise (:func:`jixiao.core.columnar.read_frame`: no Python object per value).

Only what counts goes in: values that are submitted or verified, approved incidents, ballots;
rows of indicators the scheme version no longer has (after a version switch) are left out here
rather than refused by the engine, since they are history, not errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
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
from jixiao.scoring.history import history_frame
from jixiao.scoring.ledger_pages import FIELDS, SCHEMA, LedgerView, ledger_view


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


def _lookup(keys: npt.NDArray[np.integer[Any]], ids: list[int]) -> npt.NDArray[np.int32]:
    """For each key (a non-negative id), its position in ``ids``; -1 for a key not there. One
    gather through a table as long as the largest id."""
    size = max(max(ids, default=0), int(keys.max()) if keys.size else 0) + 1
    table = np.full(size, -1, dtype=np.int32)
    table[np.asarray(ids, dtype=np.int64)] = np.arange(len(ids), dtype=np.int32)
    out: npt.NDArray[np.int32] = table[keys]
    return out


def _physical(col: pl.Series, codes: list[str]) -> npt.NDArray[np.int32]:
    """Each cell's position in ``codes`` (-1: not one of them, or empty). The column's distinct
    texts are looked at once, not its rows: a categorical's physical codes go through a table."""
    if col.dtype == pl.Categorical and col.null_count() == 0:
        distinct = col.unique()
        phys = distinct.to_physical().to_numpy().astype(np.int64)
        known = {c: k for k, c in enumerate(codes)}
        table = np.full(int(phys.max()) + 1 if phys.size else 1, -1, dtype=np.int32)
        table[phys] = [known.get(c, -1) for c in distinct.cast(pl.String).to_list()]
        out: npt.NDArray[np.int32] = table[col.to_physical().to_numpy()]
        return out
    enum = col.cast(pl.Enum(codes), strict=False).to_physical().cast(pl.Int32).fill_null(-1)
    coded: npt.NDArray[np.int32] = enum.to_numpy()
    return coded


def _enum(codes: list[str], index: npt.NDArray[np.int32] | None, n: int) -> pl.Series:
    """The column whose rows are ``codes[index]`` (``index`` None: all of the rows are code 0
    when there is one code), as an Enum: the engine takes its codes as they are."""
    column = pl.Series(codes, dtype=pl.Enum(codes))
    if index is None:
        return column.gather(pl.zeros(n, dtype=pl.Int32, eager=True))
    return column.gather(pl.Series(index, dtype=pl.Int32))


def _coded_values(raw: pl.DataFrame, objs: Sequence[tuple[int, str, str, str, Any]], periods: pl.DataFrame,
                  allowed: pl.DataFrame) -> pl.DataFrame:
    """:func:`_coded` for the values of whole categories, in NumPy: object and period ids looked
    up in tables, indicator and variable codes through Enums, the scheme's (group, indicator,
    variable) rule as a boolean cube; the codes come out as Enums. Rows of other objects (another
    category, an inactive object), periods or unknown codes are left out, as by the joins."""
    if raw.height == 0 or not objs:
        return _coded(pl.DataFrame(schema=SCHEMA), pl.DataFrame(schema={"_oid": pl.Int64, "object": pl.String,
                                                                        "group": pl.String}),
                      periods, allowed, ["object", "indicator", "variable", "period", "value"])
    obj_codes = [o[1] for o in objs]
    groups = sorted({o[3] for o in objs})
    g_at = {g: k for k, g in enumerate(groups)}
    group_of = np.array([g_at[o[3]] for o in objs], dtype=np.int32)
    indicators = sorted(set(allowed["indicator"].to_list())) or [""]
    variables = sorted(set(allowed["variable"].to_list()) | {"value"})
    n_i, n_v = len(indicators), len(variables)
    cube = np.zeros(len(groups) * n_i * n_v, dtype=np.bool_)
    for g, i, v in allowed.iter_rows():
        if g in groups:
            cube[(g_at[g] * n_i + indicators.index(i)) * n_v + variables.index(v)] = True
    o = _lookup(raw["_oid"].to_numpy(), [o[0] for o in objs])
    p = _lookup(raw["_pid"].to_numpy(), periods["_pid"].to_list())
    i = _physical(raw["indicator"], indicators)
    v = _physical(raw["variable"], variables)
    ok = (o >= 0) & (p >= 0) & (i >= 0) & (v >= 0)
    cell = (group_of[np.maximum(o, 0)] * n_i + np.maximum(i, 0)) * n_v + np.maximum(v, 0)
    ok &= cube[cell]
    value = raw["value"].to_numpy()
    if not ok.all():
        keep = np.flatnonzero(ok)
        o, p, i, v, value = o[keep], p[keep], i[keep], v[keep], value[keep]
    n = len(value)
    return pl.DataFrame([
        _enum(obj_codes, o, n).alias("object"), _enum(indicators, i, n).alias("indicator"),
        _enum(variables, v, n).alias("variable"), _enum(periods["period"].to_list(), p, n).alias("period"),
        pl.Series("value", value, dtype=pl.Float64)])


def load_dataset(assessment: Assessment, catalog: Catalog, categories: set[str],
                 only: set[int] | None = None, view: LedgerView | None = None) -> Loaded:
    """The ledger of the categories' objects (only those of ids ``only``, when given: one object's
    explanation scores just that object, which the engine's per-object rules allow). Whole
    categories read their values from ``view`` (by default :func:`ledger_view`'s)."""
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

    if only is None:
        # Whole categories: the ledger as the recompute keeps it in pages (see ledger_pages),
        # coded without a string per value.
        values = _coded_values(
            (view or ledger_view(assessment)).frame, objs, periods, _allowed(catalog, categories, "value"))
    else:
        values = _coded(_rows(Value.objects.filter(status__in=Value.COUNTING, value__isnull=False, **mine).annotate(
            v=Cast("value", FloatField())), FIELDS, SCHEMA, small=small), ids, periods,
            _allowed(catalog, categories, "value"), ["object", "indicator", "variable", "period", "value"])

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

    # Earlier years' totals for multi-year rules (多年规则), of these objects only: the engine
    # refuses a history row of an object it does not score.
    codes = [c for _, c, *_ in objs]
    history = history_frame(assessment, codes if only is not None else None)
    history = history.filter(pl.col("object").is_in(codes)) if only is None else history
    data = DataSet(values=values, incidents=incidents, ratings=ratings, objects=objects, has_objects=True,
                   history=history, sources={"values": "台帐数值", "incidents": "加减分事项", "ratings": "评价票",
                                             "objects": "考核对象", "history": "往年结果"})
    return Loaded(data=data, object_ids={c: i for i, c, *_ in objs})
