"""Incidents, ballots and history: small tables joined against catalogues of what the scheme
allows, then summed into (period, object) cells in a fixed order so results are reproducible."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from jixiao.engine.compile import CScheme
from jixiao.engine.data import DataError, DataSet, file_rows
from jixiao.engine.inputs import CategoryInputs, Collector, Objects
from jixiao.engine.scheme.rules import GradeLine, GradeMapRule, IncidentRule, ManualRule, RatingRule

F64 = npt.NDArray[np.float64]
CodeArr = npt.NDArray[np.integer[Any]]


def keyed_rows(cs: CScheme, df: pl.DataFrame, objects: Objects, src: str, bad: Collector,
               carried: bool = False) -> pl.DataFrame:
    """Add file row, object, period and category keys; report and drop unknown objects and periods.

    With ``carried``, a row of a veto marked ``carried`` may name a period of another assessment (a
    month of an annual scheme): it counts here, keyed to the first period."""
    df = df.with_columns(
        file_rows(df).alias("_r"),
        pl.col("object").replace_strict(objects.index, default=-1, return_dtype=pl.Int64).alias("_obj"),
        pl.col("period").replace_strict({p: i for i, p in enumerate(cs.periods)}, default=-1,
                                        return_dtype=pl.Int64).alias("_per"),
        pl.col("count").fill_null(1.0),
    )
    df = df.with_columns(pl.col("_obj").replace_strict(dict(enumerate(objects.category.tolist())), default=-1,
                                                       return_dtype=pl.Int64).alias("cat"))
    codes = [(ci, v.code) for ci, c in enumerate(cs.categories) for v in c.category.results.vetoes if v.carried]
    if carried and codes:
        keep = pl.DataFrame({"cat": [c for c, _ in codes], "indicator": [v for _, v in codes],
                             "_carry": [True] * len(codes)},
                            schema={"cat": pl.Int64, "indicator": pl.String, "_carry": pl.Boolean})
        df = (df.join(keep, on=["cat", "indicator"], how="left", maintain_order="left")
              .with_columns(pl.when((pl.col("_per") == -1) & pl.col("_carry").fill_null(False)).then(0)
                            .otherwise(pl.col("_per")).alias("_per")).drop("_carry"))
    for col, name, what in (("_obj", "object", "object {} is not a known object"),
                            ("_per", "period", "period {} is not a period of the scheme")):
        m = df[col] == -1
        if m.any():
            bad.rows(src, df["_r"].filter(m), name, what, df[name].filter(m).to_list())
    return df.filter((pl.col("_obj") >= 0) & (pl.col("_per") >= 0))


def check_history(data: DataSet, objects: Objects, bad: Collector) -> None:
    """Past totals (for multi-year rules) must name known objects, one total per period."""
    hist = data.history
    if hist.height == 0:
        return
    src = data.source("history")
    rows = file_rows(hist)
    unknown = ~hist["object"].is_in(pl.Series(objects.ids).implode())
    if unknown.any():
        bad.rows(src, rows.filter(unknown), "object", "object {} is not a known object",
                 hist["object"].filter(unknown).to_list())
    dup = hist.select(pl.struct("object", "period").is_duplicated()).to_series()
    if dup.any():
        bad.rows(src, rows.filter(dup), "period", "the same object and period is listed twice")


def _catalogue_incidents(cs: CScheme) -> pl.DataFrame:
    rows: list[dict[str, object]] = []
    for ci, c in enumerate(cs.categories):
        for code in c.veto_codes:
            rows.append(dict(cat=ci, indicator=code, item="", level="", leaf=-1, per=0.0, lo=None, hi=None,
                             needs_evidence=False, single=True))
        for n in c.leaves():
            rule = n.node.rule
            if not isinstance(rule, IncidentRule):
                continue
            single = len(rule.items) == 1
            for it in rule.items:
                base = dict(cat=ci, indicator=n.code, item=it.code, leaf=n.index, needs_evidence=rule.requires_evidence,
                            single=single)
                if it.levels is not None:
                    for lv, amt in it.levels.items():
                        rows.append(base | dict(level=lv, per=amt, lo=None, hi=None))
                elif it.range is not None:
                    rows.append(base | dict(level="", per=None, lo=it.range[0], hi=it.range[1]))
                else:
                    rows.append(base | dict(level="", per=it.per, lo=None, hi=None))
    schema = {"cat": pl.Int64, "indicator": pl.String, "item": pl.String, "level": pl.String, "leaf": pl.Int64,
              "per": pl.Float64, "lo": pl.Float64, "hi": pl.Float64, "needs_evidence": pl.Boolean, "single": pl.Boolean}
    return pl.DataFrame(rows, schema=schema)


def encode_incidents(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                      bad: Collector) -> None:
    inc = data.incidents
    if inc.height == 0:
        return
    src = data.source("incidents")
    cat_df = _catalogue_incidents(cs)
    df = keyed_rows(cs, inc, objects, src, bad, carried=True)
    # A rule with one item needs no item column; a missing item takes that item.
    singles = cat_df.filter(pl.col("single")).select("cat", "indicator", pl.col("item").alias("_only")).unique()
    df = df.join(singles, on=["cat", "indicator"], how="left").with_columns(
        pl.coalesce(pl.col("item"), pl.col("_only"), pl.lit("")).alias("item"), pl.col("level").fill_null(""))
    known_ind = cat_df.select("cat", "indicator").unique().with_columns(pl.lit(True).alias("_ok"))
    df = df.join(known_ind, on=["cat", "indicator"], how="left")
    m = df["_ok"].is_null()
    if m.any():
        bad.rows(src, df["_r"].filter(m), "indicator",
                 "{} is not a deduction, bonus or veto of this object's scheme", df["indicator"].filter(m).to_list())
    df = df.filter(pl.col("_ok").is_not_null()).drop("_ok")
    has_levels = cat_df.filter(pl.col("level") != "").select("cat", "indicator", "item").unique().with_columns(
        pl.lit(True).alias("_lv"))
    df = df.join(has_levels, on=["cat", "indicator", "item"], how="left").with_columns(
        pl.when(pl.col("_lv").is_null()).then(pl.lit("")).otherwise(pl.col("level")).alias("_level"))
    df = df.join(cat_df.rename({"level": "_level"}), on=["cat", "indicator", "item", "_level"], how="left")
    m = df["leaf"].is_null()
    if m.any():
        labels = [f"item {i!r} level {lv!r} of {ind}" for i, lv, ind in
                  df.filter(m).select("item", "level", "indicator").head(DataError.MAX_LISTED).iter_rows()]
        bad.rows(src, df["_r"].filter(m), "item", "{} is not defined in the scheme", labels)
    df = df.filter(pl.col("leaf").is_not_null())
    m = (df["count"] <= 0) | (df["count"] != df["count"].floor())
    if m.any():
        bad.rows(src, df["_r"].filter(m), "count", "the count must be a whole number above zero")
    ranged = df["lo"].is_not_null()
    m = ranged & (df["amount"].is_null() | (df["amount"] < df["lo"]) | (df["amount"] > df["hi"]))
    if m.any():
        labels = [f"{'(empty)' if a is None else format(a, 'g')} (allowed {lo:g} to {hi:g})" for a, lo, hi in
                  df.filter(m).select("amount", "lo", "hi").head(DataError.MAX_LISTED).iter_rows()]
        bad.rows(src, df["_r"].filter(m), "amount", "points per incident {} must be given within the range", labels)
    m = df["needs_evidence"] & df["evidence"].is_null()
    if m.any():
        bad.rows(src, df["_r"].filter(m), "evidence", "this item counts only with an evidence reference")
    if bad.problems:
        return
    df = df.with_columns(
        (pl.coalesce(pl.col("per"), pl.col("amount")) * pl.col("count")).alias("_points"),
    ).sort("_obj", "_per", "indicator", "item", "_points", "_r")  # a fixed order makes sums reproducible
    n_per = len(cs.periods)
    for ci, inp in enumerate(inputs):
        sub = df.filter(pl.col("cat") == ci)
        inp.incidents = sub
        if sub.height == 0:
            continue
        n_obj = len(inp.objects)
        local = objects.local[sub["_obj"].to_numpy()]
        flat = sub["_per"].to_numpy() * n_obj + local
        vetoes = sub.filter(pl.col("leaf") == -1)
        for code in inp.cc.veto_codes:
            hit = np.zeros(n_obj, dtype=bool)
            vrows = vetoes.filter(pl.col("indicator") == code)
            hit[objects.local[vrows["_obj"].to_numpy()]] = True
            inp.vetoes[code] = hit
        keys = sub.select("leaf", "item").unique(maintain_order=True).filter(pl.col("leaf") >= 0)
        leaf_col, item_col = sub["leaf"].to_numpy(), sub["item"].to_numpy()
        pts, cnt = sub["_points"].to_numpy(), sub["count"].to_numpy()
        for leaf, item in keys.iter_rows():
            m = (leaf_col == leaf) & (item_col == item)
            inp.incident_amounts[(leaf, item)] = _cell_sums(flat[m], pts[m], n_per, n_obj)
            inp.incident_counts[(leaf, item)] = _cell_sums(flat[m], cnt[m], n_per, n_obj)


def encode_ratings(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                    bad: Collector) -> None:
    rat = data.ratings
    if rat.height == 0:
        return
    src = data.source("ratings")
    cat_rows: list[dict[str, object]] = []
    for ci, c in enumerate(cs.categories):
        for n in c.leaves():
            rule = n.node.rule
            if isinstance(rule, RatingRule):
                for label, sc in rule.scale.items():
                    cat_rows.append(dict(cat=ci, indicator=n.code, rating=label, leaf=n.index, val=sc, lo=None,
                                         hi=None, kind="rating"))
            elif isinstance(rule, GradeMapRule):
                mult = (n.node.points or 0) if rule.basis == "share" else 1.0
                limit = 1.0 if rule.basis == "share" else (n.node.points or 0)
                for label, v in rule.grades.items():
                    if isinstance(v, GradeLine):
                        # The value is computed from the reported score: lo/hi are its bounds.
                        top = v.max if v.max is not None else limit
                        cat_rows.append(dict(cat=ci, indicator=n.code, rating=label, leaf=n.index, val=None,
                                             lo=0.0, hi=top, kind="grade", mult=mult, l_base=v.base,
                                             l_from=v.from_, l_step=v.step, l_per=v.per, l_whole=v.whole))
                        continue
                    lo, hi = v if isinstance(v, tuple) else (v, v)
                    cat_rows.append(dict(cat=ci, indicator=n.code, rating=label, leaf=n.index, val=None,
                                         lo=lo * mult, hi=hi * mult, kind="grade"))
            elif isinstance(rule, ManualRule):
                lo, hi = rule.range or (0.0, n.node.points or 0.0)
                cat_rows.append(dict(cat=ci, indicator=n.code, rating="", leaf=n.index, val=None, lo=lo, hi=hi,
                                     kind="manual"))
    schema = {"cat": pl.Int64, "indicator": pl.String, "rating": pl.String, "leaf": pl.Int64, "val": pl.Float64,
              "lo": pl.Float64, "hi": pl.Float64, "kind": pl.String, "mult": pl.Float64, "l_base": pl.Float64,
              "l_from": pl.Float64, "l_step": pl.Float64, "l_per": pl.Float64, "l_whole": pl.Boolean}
    catalogue = pl.DataFrame([{k: r.get(k) for k in schema} for r in cat_rows], schema=schema)
    df = keyed_rows(cs, rat, objects, src, bad)
    kinds = catalogue.select("cat", "indicator", "kind", "leaf",
                             pl.when(pl.col("kind") == "manual").then(pl.col("lo")).alias("_mlo"),
                             pl.when(pl.col("kind") == "manual").then(pl.col("hi")).alias("_mhi")).unique()
    df = df.join(kinds, on=["cat", "indicator"], how="left")
    m = df["kind"].is_null()
    if m.any():
        bad.rows(src, df["_r"].filter(m), "indicator", "{} takes no ballots or ratings in this object's scheme",
                 df["indicator"].filter(m).to_list())
    df = df.filter(pl.col("kind").is_not_null())
    labelled = df.join(catalogue.select("cat", "indicator", "rating", "val", "lo", "hi", "mult", "l_base", "l_from",
                                        "l_step", "l_per", "l_whole"),
                       on=["cat", "indicator", "rating"], how="left")
    numeric = labelled["rating"].str.replace_all(",", "").cast(pl.Float64, strict=False)
    labelled = labelled.with_columns(numeric.alias("_num"))
    m = ((labelled["kind"] != "manual") & labelled["val"].is_null() & labelled["lo"].is_null())
    if m.any():
        bad.rows(src, labelled["_r"].filter(m), "rating", "{} is not a label of this indicator",
                 labelled["rating"].filter(m).to_list())
    m = (labelled["kind"] == "manual") & labelled["_num"].is_null()
    if m.any():
        bad.rows(src, labelled["_r"].filter(m), "rating", "{} is not a number",
                 labelled["rating"].filter(m).to_list())
    m = (labelled["kind"] == "manual") & ((labelled["_num"] < labelled["_mlo"]) | (labelled["_num"] > labelled["_mhi"]))
    if m.any():
        labels = [f"{v:g} (allowed {a:g} to {b:g})" for v, a, b in
                  labelled.filter(m).select("_num", "_mlo", "_mhi").head(DataError.MAX_LISTED).iter_rows()]
        bad.rows(src, labelled["_r"].filter(m), "rating", "the score {} is outside the score range", labels)
    m = (labelled["count"] <= 0) | (labelled["count"] != labelled["count"].floor())
    if m.any():
        bad.rows(src, labelled["_r"].filter(m), "count", "the count must be a whole number above zero")
    grade = labelled["kind"] == "grade"
    line = grade & labelled["l_per"].is_not_null()
    m = line & labelled["score"].is_null()
    if m.any():
        bad.rows(src, labelled["_r"].filter(m), "score", "the grade {} is computed from the score: give the score",
                 labelled["rating"].filter(m).to_list())
    glo, ghi = labelled["lo"], labelled["hi"]
    # 区间内按规则取值: base + (score − from) ÷ step × per, whole steps if asked, within [0, max], × points.
    steps = (pl.col("score") - pl.col("l_from")) / pl.col("l_step")
    steps = pl.when(pl.col("l_whole")).then(steps.floor()).otherwise(steps)
    computed = pl.min_horizontal(pl.max_horizontal(pl.col("l_base") + steps * pl.col("l_per"), pl.lit(0.0)),
                                 pl.col("hi")) * pl.col("mult")
    picked = (pl.when(pl.col("l_per").is_not_null()).then(computed)
              .when(pl.col("lo") == pl.col("hi")).then(pl.col("lo")).otherwise(pl.col("score")))
    labelled = labelled.with_columns(picked.alias("_g"))
    m = grade & ~line & (labelled["_g"].is_null() | (labelled["_g"] < glo) | (labelled["_g"] > ghi))
    if m.any():
        labels = [f"{s} for {r} ({a:g} to {b:g})" for s, r, a, b in
                  labelled.filter(m).select("score", "rating", "lo", "hi").head(DataError.MAX_LISTED).iter_rows()]
        bad.rows(src, labelled["_r"].filter(m), "score", "a score within the grade's range is needed: {}", labels)
    dup = grade & labelled.select(pl.struct("_obj", "indicator", "_per").is_duplicated()).to_series()
    if dup.any():
        bad.rows(src, labelled["_r"].filter(dup), None, "one grade per object, indicator and period")
    if bad.problems:
        return
    labelled = labelled.with_columns(
        pl.when(pl.col("kind") == "rating").then(pl.col("val"))
        .when(pl.col("kind") == "grade").then(pl.col("_g"))
        .otherwise(pl.col("_num")).alias("_score")
    ).sort("_obj", "_per", "indicator", "_score", "_r")
    n_per = len(cs.periods)
    for ci, inp in enumerate(inputs):
        sub = labelled.filter(pl.col("cat") == ci)
        inp.ratings = sub
        if sub.height == 0:
            continue
        n_obj = len(inp.objects)
        cell = sub["_per"].to_numpy() * n_obj + objects.local[sub["_obj"].to_numpy()]
        leaf_col = sub["leaf"].to_numpy()
        scores, counts = sub["_score"].to_numpy(), sub["count"].to_numpy()
        for leaf in np.unique(leaf_col).tolist():
            m = leaf_col == leaf
            inp.rating_sum[leaf] = _cell_sums(cell[m], scores[m] * counts[m], n_per, n_obj)
            inp.rating_count[leaf] = _cell_sums(cell[m], counts[m], n_per, n_obj)


def _cell_sums(cell: CodeArr, weights: F64, n_per: int, n_obj: int) -> F64:
    """Sum ``weights`` into (period, object) cells, in row order (so sums are reproducible)."""
    out: F64 = np.bincount(cell, weights=weights, minlength=n_per * n_obj).astype(np.float64)
    return out.reshape(n_per, n_obj)
