"""A category's result rows as the database stores them, built column-wise.

:func:`~jixiao.engine.score.category_rows` makes a Python object per result, with a dict of
components and one of periods, which ``json.dumps`` then encodes one by one: for a city's 32,000
staff that was half of a full recompute's writing. Here the same rows come out of Polars
expressions over the score arrays, the JSON texts included, equal once parsed (the test holds them
against ``category_rows``): numbers as Polars prints floats (shortest round-trip), NaN as ``null``,
and a period without a total left out, as ``category_rows`` leaves it out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import polars as pl

from jixiao.engine.score import ScoreResult

COLUMNS = ["object_id", "category", "group", "total", "rank", "group_size", "grade", "eligible_top", "vetoed",
           "flags", "components", "periods"]


def _number(col: str) -> pl.Expr:
    """A float column as JSON number text; NaN and null as ``null``."""
    return pl.when(pl.col(col).is_nan() | pl.col(col).is_null()).then(pl.lit("null")).otherwise(
        pl.col(col).cast(pl.String))


def _object(pieces: list[pl.Expr]) -> pl.Expr:
    """``{`` + the non-null pieces joined by ``, `` + ``}``."""
    if not pieces:
        return pl.lit("{}")
    return pl.concat_str([pl.lit("{"), pl.concat_str(pieces, separator=", ", ignore_nulls=True).fill_null(""),
                          pl.lit("}")])


def category_result_frame(result: ScoreResult, code: str, object_ids: Mapping[str, int]) -> pl.DataFrame:
    """The category's rows (``COLUMNS``; ``object_id`` the database id), in object order."""
    cs = result.category(code)
    cc, res = cs.cc, cs.results
    g = cs.inputs.objects
    objects = result.objects
    periods = result.scheme.periods
    comp_nodes = [cc.nodes[i] for i in cc.root.children]
    per_root = cs.scores.periods[cc.root.index]  # (P, O)
    bands = [b.name for b in cc.category.results.grades.bands] if cc.category.results.grades else []
    data: dict[str, Any] = {
        "object_id": np.array([object_ids[objects.ids[i]] for i in g], dtype=np.int64),
        "group": [objects.groups[i] for i in g],
        "total": res.total, "rank": res.rank, "group_size": res.group_size,
        "grade": pl.Series(bands + [""], dtype=pl.String).gather(
            np.where(res.grade >= 0, res.grade, len(bands))) if len(g) else [],
        "eligible_top": res.eligible_top, "vetoed": res.vetoed,
    }
    for k, cn in enumerate(comp_nodes):
        data[f"_c{k}"] = cs.scores.overall[cn.index]
    for k in range(len(periods)):
        data[f"_t{k}"], data[f"_r{k}"] = per_root[k], cs.period_rank[k]
    flags = sorted(res.flags.items())
    for k, (_, mask) in enumerate(flags):
        data[f"_f{k}"] = mask
    frame = pl.DataFrame(data, nan_to_null=False)
    if frame.height == 0:
        return pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))
    components = _object([pl.concat_str([pl.lit(f"{json.dumps(cn.code)}: "), _number(f"_c{k}")])
                          for k, cn in enumerate(comp_nodes)])
    period_json = _object([pl.when(pl.col(f"_t{k}").is_not_nan()).then(pl.concat_str([
        pl.lit(f'{json.dumps(p)}: {{"total": '), pl.col(f"_t{k}").cast(pl.String), pl.lit(', "rank": '),
        pl.col(f"_r{k}").cast(pl.String), pl.lit("}")])) for k, p in enumerate(periods)])
    flag_json = pl.concat_str([pl.lit("["), pl.concat_str(
        [pl.when(pl.col(f"_f{k}")).then(pl.lit(json.dumps(name))) for k, (name, _) in enumerate(flags)]
        or [pl.lit(None, dtype=pl.String)], separator=", ", ignore_nulls=True).fill_null(""), pl.lit("]")])
    return frame.select(
        "object_id", pl.lit(code).alias("category"), "group",
        pl.when(pl.col("total").is_nan()).then(None).otherwise(pl.col("total")).alias("total"),
        "rank", "group_size", "grade", "eligible_top", "vetoed",
        flag_json.alias("flags"), components.alias("components"), period_json.alias("periods"))
