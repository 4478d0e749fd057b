"""Turn a :class:`DataSet` into dense per-category arrays, refusing bad rows.

Values become an array ``(slot, period, object)`` per category, NaN where nothing was
reported. Codes are mapped through small lookup tables built from the categories of each
column, so the per-row work is a handful of NumPy gathers over whole columns. Incidents and
ballots are joined against a small catalogue of what the scheme allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import polars as pl

from jixiao.engine.compile import CCategory, CScheme
from jixiao.engine.data import DataError, DataProblem, DataSet, file_rows
from jixiao.engine.scheme.rules import (
    GradeMapRule,
    IncidentRule,
    ManualRule,
    RatingRule,
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
SEP = "\x1f"


@dataclass
class Objects:
    """The registry of assessed objects (考核对象), ordered by category then first mention."""

    ids: list[str]
    names: list[str]
    groups: list[str]
    parents: list[str | None]
    category: npt.NDArray[np.int32]  # index into CScheme.categories
    local: npt.NDArray[np.int64]  # index within its category
    index: dict[str, int]


@dataclass
class CategoryInputs:
    """Everything reported for one category, shaped for column-wise scoring."""

    cc: CCategory
    objects: list[int]  # global object indices
    dense: F64  # (slot, period, object)
    incident_amounts: dict[tuple[int, str], F64] = field(default_factory=dict)  # (leaf, item) -> (P, O)
    incident_counts: dict[tuple[int, str], F64] = field(default_factory=dict)
    rating_sum: dict[int, F64] = field(default_factory=dict)  # leaf -> (P, O) Σ score × count
    rating_count: dict[int, F64] = field(default_factory=dict)
    vetoes: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)  # veto code -> (O,)
    incidents: pl.DataFrame | None = None  # the accepted rows, for the trace
    ratings: pl.DataFrame | None = None

    def values(self, leaf: int, variable: str) -> F64:
        return self.dense[self.cc.slots[(self.cc.nodes[leaf].code, variable)]]


class _Collector:
    def __init__(self) -> None:
        self.problems: list[DataProblem] = []
        self.total = 0

    def rows(self, source: str, rows: pl.Series | npt.NDArray[np.int64], column: str | None, message: str,
             values: list[str] | None = None) -> None:
        rows_l = [int(r) for r in (rows.to_list() if isinstance(rows, pl.Series) else rows.tolist())]
        self.total += len(rows_l)
        for i, r in enumerate(rows_l[: DataError.MAX_LISTED]):
            msg = message.format(values[i]) if values is not None and i < len(values) else message
            self.problems.append(DataProblem(source, r, column, msg))

    def one(self, source: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        self.problems.append(DataProblem(source, row, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: (p.source, p.row or 0, p.column or ""))
            raise DataError(self.problems, self.total)


def encode_codes(col: pl.Series, codes: list[str]) -> npt.NDArray[np.int64]:
    """Index of each cell's code in ``codes``; -1 for unknown, -2 for empty."""
    n = col.len()
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if isinstance(col.dtype, pl.Enum):
        cats = col.dtype.categories.to_list()
        known = {c: i for i, c in enumerate(codes)}
        lut = np.array([known.get(c, -1) for c in cats] + [-2], dtype=np.int64)
        phys = col.to_physical()
        if phys.null_count():
            phys = phys.fill_null(len(cats))
        return lut[phys.to_numpy()]
    text = col.cast(pl.String)
    enc = text.cast(pl.Enum(codes), strict=False)
    out = enc.to_physical().cast(pl.Int64).fill_null(-1).to_numpy().copy()
    if text.null_count():
        out[text.is_null().to_numpy()] = -2
    return out


def build_objects(cs: CScheme, data: DataSet, bad: _Collector) -> Objects:
    group_cat = {g: i for i, c in enumerate(cs.categories) for g in c.groups}
    vals = data.values
    src_v, src_o = data.source("values"), data.source("objects")
    names: dict[str, str] = {}
    entries: list[tuple[str, str, str | None]] = []  # (id, group, parent)
    if data.has_objects:
        objs = data.objects
        rows = file_rows(objs)
        dup = objs["object"].is_duplicated()
        if dup.any():
            bad.rows(src_o, rows.filter(dup), "object", "object listed twice")
        unknown = ~objs["group"].is_in(list(group_cat))
        if unknown.any():
            bad.rows(src_o, rows.filter(unknown), "group", "group {} is not a group of any category",
                     objs["group"].filter(unknown).to_list())
        for oid, nm, grp, parent in objs.select("object", "name", "group", "parent").iter_rows():
            entries.append((oid, grp, parent))
            names[oid] = nm or oid
        ids = set(objs["object"].to_list())
        parents = objs["parent"].drop_nulls()
        missing_parent = ~objs["parent"].is_in(list(ids)) & objs["parent"].is_not_null()
        if missing_parent.any():
            bad.rows(src_o, rows.filter(missing_parent), "parent", "parent {} is not a listed object",
                     objs["parent"].filter(missing_parent).to_list())
        del parents
    else:
        if vals["group"].null_count() == vals.height and vals.height:
            bad.one(src_v, 1, "group", "without an objects sheet every object needs its group in the values")
        pairs = (vals.select(pl.col("object").cast(pl.String), pl.col("group").cast(pl.String),
                             pl.col("object_name").cast(pl.String), file_rows(vals).alias("_r"))
                 .filter(pl.col("group").is_not_null())
                 .group_by("object", maintain_order=True)
                 .agg(pl.col("group").unique(maintain_order=True), pl.col("object_name").drop_nulls().first(),
                      pl.col("_r").first()))
        for oid, groups, nm, r in pairs.iter_rows():
            if len(groups) > 1:
                bad.one(src_v, r, "group", f"object {oid} appears in groups {', '.join(groups)}")
            if groups[0] not in group_cat:
                bad.one(src_v, r, "group", f"group {groups[0]} is not a group of any category")
            entries.append((oid, groups[0], None))
            names[oid] = nm or oid
    order = sorted(range(len(entries)), key=lambda i: (group_cat.get(entries[i][1], 10**6), i))
    ids_l = [entries[i][0] for i in order]
    cat = np.array([group_cat.get(entries[i][1], -1) for i in order], dtype=np.int32)
    local = np.zeros(len(order), dtype=np.int64)
    for c in range(len(cs.categories)):
        m = cat == c
        local[m] = np.arange(int(m.sum()))
    return Objects(
        ids=ids_l,
        names=[names.get(i, i) for i in ids_l],
        groups=[entries[i][1] for i in order],
        parents=[entries[i][2] for i in order],
        category=cat,
        local=local,
        index={oid: i for i, oid in enumerate(ids_l)},
    )


def encode(cs: CScheme, data: DataSet) -> tuple[Objects, list[CategoryInputs]]:
    """Validate everything and build the inputs; raise :class:`DataError` if anything is wrong."""
    bad = _Collector()
    objects = build_objects(cs, data, bad)
    bad.raise_if_any()
    inputs = [CategoryInputs(cc=c, objects=np.nonzero(objects.category == ci)[0].tolist(),
                             dense=np.empty(0)) for ci, c in enumerate(cs.categories)]
    _encode_values(cs, data, objects, inputs, bad)
    _encode_incidents(cs, data, objects, inputs, bad)
    _encode_ratings(cs, data, objects, inputs, bad)
    bad.raise_if_any()
    return objects, inputs


def _encode_values(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                   bad: _Collector) -> None:
    vals = data.values
    src = data.source("values")
    n_per = len(cs.periods)
    sizes = [len(ci.objects) for ci in inputs]
    n_slots = [len(ci.cc.slots) for ci in inputs]
    bases = np.cumsum([0] + [s * n_per * o for s, o in zip(n_slots, sizes, strict=True)])
    for ci, inp in enumerate(inputs):
        inp.dense = np.full((n_slots[ci], n_per, sizes[ci]), np.nan)
    if vals.height == 0:
        return
    obj = encode_codes(vals["object"], objects.ids)
    per = encode_codes(vals["period"], cs.periods)
    codes = sorted({code for c in cs.categories for code, _ in c.slots})
    variables = sorted({v for c in cs.categories for _, v in c.slots} | {"value"})
    ind = encode_codes(vals["indicator"], codes)
    if vals["variable"].null_count() == vals.height:
        var = np.full(vals.height, variables.index("value"), dtype=np.int64)
    else:
        var = encode_codes(vals["variable"].fill_null("value"), variables)
    lut = np.full((len(cs.categories) + 1, len(codes) + 2, len(variables) + 2), -1, dtype=np.int64)
    code_i = {c: i for i, c in enumerate(codes)}
    var_i = {v: i for i, v in enumerate(variables)}
    for ci, c in enumerate(cs.categories):
        for (code, v), s in c.slots.items():
            lut[ci, code_i[code], var_i[v]] = s
    ok_obj = obj >= 0
    cat = np.where(ok_obj, objects.category[np.where(ok_obj, obj, 0)], len(cs.categories))
    slot = lut[cat, ind, var]  # -1/-2 indices wrap to the padding columns, which hold -1
    rows = file_rows(vals).to_numpy()
    problem = ~ok_obj | (per < 0) | (slot < 0)
    if problem.any():
        _report_value_codes(cs, vals, src, rows, obj, per, ind, var, slot, codes, variables, cat, bad)
        return
    local = objects.local[obj]
    o_sizes = np.array(sizes, dtype=np.int64)[cat]
    key = bases[cat] + (slot * n_per + per) * o_sizes + local
    counts = np.bincount(key, minlength=int(bases[-1]))
    if vals.height > len(counts) or (counts > 1).any():
        dup = counts[key] > 1
        bad.rows(src, rows[dup], None, "the same object, indicator, variable and period is reported twice")
        return
    flat = np.full(int(bases[-1]), np.nan)
    flat[key] = vals["value"].to_numpy()
    for ci, inp in enumerate(inputs):
        inp.dense = flat[bases[ci]:bases[ci + 1]].reshape(n_slots[ci], n_per, sizes[ci])
    _check_ranges(inputs, src, rows, key, bases, bad)


def _report_value_codes(cs: CScheme, vals: pl.DataFrame, src: str, rows: I64, obj: I64, per: I64, ind: I64,
                        var: I64, slot: I64, codes: list[str], variables: list[str], cat: I64,
                        bad: _Collector) -> None:
    def texts(col: str, mask: npt.NDArray[np.bool_]) -> list[str]:
        return vals[col].cast(pl.String).filter(pl.Series(mask)).head(DataError.MAX_LISTED).to_list()

    for name, arr, what in (("object", obj, "object {} is not a known object"),
                            ("period", per, "period {} is not a period of the scheme")):
        m = arr == -1
        if m.any():
            bad.rows(src, rows[m], name, what, texts(name, m))
        m = arr == -2
        if m.any():
            bad.rows(src, rows[m], name, "empty cell; a value is required")
    m = (obj >= 0) & (ind < 0)
    if m.any():
        bad.rows(src, rows[m], "indicator", "indicator {} is not a scored indicator of the scheme",
                 texts("indicator", m))
    m = (obj >= 0) & (ind >= 0) & (var < 0)
    if m.any():
        bad.rows(src, rows[m], "variable", "variable {} is not used by any indicator", texts("variable", m))
    m = (obj >= 0) & (ind >= 0) & (var >= 0) & (slot < 0)
    if m.any():
        labels = [f"{codes[i]} / {variables[v]} (category {cs.categories[c].code})"
                  for i, v, c in zip(ind[m][:DataError.MAX_LISTED], var[m][:DataError.MAX_LISTED],
                                     cat[m][:DataError.MAX_LISTED], strict=True)]
        bad.rows(src, rows[m], "indicator", "{} is not an input of this object's scheme", labels)


def _bounds(inp: CategoryInputs) -> list[tuple[int, float, float, str]]:
    """(slot, low, high, message) for every input with a limit."""
    out = []
    for (code, var), s in inp.cc.slots.items():
        node = inp.cc.nodes[inp.cc.leaf_by_code[code]].node
        rule = node.rule
        if var == "value" and node.bounds is not None:
            lo, hi = node.bounds
            out.append((s, lo, hi, f"{{}} is outside the allowed {lo:g} to {hi:g}"))
        elif var == "value" and isinstance(rule, ManualRule):
            lo, hi = rule.range or (0.0, node.points or 0.0)
            out.append((s, lo, hi, f"{{}} is outside the score range {lo:g} to {hi:g}"))
        elif var in ("due", "on_time", "overdue", "returned", "planned", "actual"):
            out.append((s, 0.0, np.inf, "{} must not be negative"))
        elif var == "target":
            out.append((s, np.nextafter(0.0, 1.0), np.inf, "a target of {} is not above zero"))
    return out


def _check_ranges(inputs: list[CategoryInputs], src: str, rows: I64, key: I64, bases: I64,
                  bad: _Collector) -> None:
    bad_positions = []
    messages: dict[int, str] = {}
    for ci, inp in enumerate(inputs):
        for s, lo, hi, msg in _bounds(inp):
            block = inp.dense[s]
            with np.errstate(invalid="ignore"):
                out = (block < lo) | (block > hi)
            if out.any():
                flat_pos = np.nonzero(out.ravel())[0] + bases[ci] + s * block.size
                bad_positions.append(flat_pos)
                for fp, v in zip(flat_pos[:DataError.MAX_LISTED], block.ravel()[out.ravel()], strict=False):
                    messages[int(fp)] = msg.format(f"{v:g}")
    if not bad_positions:
        return
    positions = np.concatenate(bad_positions)
    hit = np.isin(key, positions)
    for r, k in zip(rows[hit][:DataError.MAX_LISTED], key[hit][:DataError.MAX_LISTED], strict=True):
        bad.one(src, int(r), "value", messages.get(int(k), "value out of range"))
    bad.total += max(0, int(hit.sum()) - DataError.MAX_LISTED)


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


def _encode_incidents(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                      bad: _Collector) -> None:
    inc = data.incidents
    if inc.height == 0:
        return
    src = data.source("incidents")
    cat_df = _catalogue_incidents(cs)
    df = inc.with_columns(
        file_rows(inc).alias("_r"),
        pl.col("object").replace_strict(objects.index, default=-1, return_dtype=pl.Int64).alias("_obj"),
        pl.col("period").replace_strict({p: i for i, p in enumerate(cs.periods)}, default=-1,
                                        return_dtype=pl.Int64).alias("_per"),
        pl.col("count").fill_null(1.0),
    )
    df = df.with_columns(pl.col("_obj").replace_strict(dict(enumerate(objects.category.tolist())), default=-1,
                                                       return_dtype=pl.Int64).alias("cat"))
    for col, what in (("_obj", "object {} is not a known object"), ("_per", "period {} is not a period of the scheme")):
        m = df[col] == -1
        if m.any():
            name = col[1:] if col != "_obj" else "object"
            name = "period" if col == "_per" else name
            bad.rows(src, df["_r"].filter(m), name, what, df[name].filter(m).to_list())
    df = df.filter((pl.col("_obj") >= 0) & (pl.col("_per") >= 0))
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
        labels = [f"{a} (allowed {lo:g} to {hi:g})" for a, lo, hi in
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
            size = n_per * n_obj
            inp.incident_amounts[(leaf, item)] = np.bincount(flat[m], weights=pts[m], minlength=size).reshape(
                n_per, n_obj)
            inp.incident_counts[(leaf, item)] = np.bincount(flat[m], weights=cnt[m], minlength=size).reshape(
                n_per, n_obj)


def _encode_ratings(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                    bad: _Collector) -> None:
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
                for label, v in rule.grades.items():
                    lo, hi = v if isinstance(v, tuple) else (v, v)
                    cat_rows.append(dict(cat=ci, indicator=n.code, rating=label, leaf=n.index, val=None,
                                         lo=lo * mult, hi=hi * mult, kind="grade"))
            elif isinstance(rule, ManualRule):
                cat_rows.append(dict(cat=ci, indicator=n.code, rating="", leaf=n.index, val=None, lo=None, hi=None,
                                     kind="manual"))
    schema = {"cat": pl.Int64, "indicator": pl.String, "rating": pl.String, "leaf": pl.Int64, "val": pl.Float64,
              "lo": pl.Float64, "hi": pl.Float64, "kind": pl.String}
    catalogue = pl.DataFrame(cat_rows, schema=schema)
    df = rat.with_columns(
        file_rows(rat).alias("_r"),
        pl.col("object").replace_strict(objects.index, default=-1, return_dtype=pl.Int64).alias("_obj"),
        pl.col("period").replace_strict({p: i for i, p in enumerate(cs.periods)}, default=-1,
                                        return_dtype=pl.Int64).alias("_per"),
        pl.col("count").fill_null(1.0),
    )
    df = df.with_columns(pl.col("_obj").replace_strict(dict(enumerate(objects.category.tolist())), default=-1,
                                                       return_dtype=pl.Int64).alias("cat"))
    for col, name, what in (("_obj", "object", "object {} is not a known object"),
                            ("_per", "period", "period {} is not a period of the scheme")):
        m = df[col] == -1
        if m.any():
            bad.rows(src, df["_r"].filter(m), name, what, df[name].filter(m).to_list())
    df = df.filter((pl.col("_obj") >= 0) & (pl.col("_per") >= 0))
    kinds = catalogue.select("cat", "indicator", "kind", "leaf").unique()
    df = df.join(kinds, on=["cat", "indicator"], how="left")
    m = df["kind"].is_null()
    if m.any():
        bad.rows(src, df["_r"].filter(m), "indicator", "{} takes no ballots or ratings in this object's scheme",
                 df["indicator"].filter(m).to_list())
    df = df.filter(pl.col("kind").is_not_null())
    labelled = df.join(catalogue.select("cat", "indicator", "rating", "val", "lo", "hi"),
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
    m = (labelled["count"] <= 0) | (labelled["count"] != labelled["count"].floor())
    if m.any():
        bad.rows(src, labelled["_r"].filter(m), "count", "the count must be a whole number above zero")
    grade = labelled["kind"] == "grade"
    lo, hi = labelled["lo"], labelled["hi"]
    picked = pl.when(lo == hi).then(lo).otherwise(labelled["score"])
    labelled = labelled.with_columns(pl.select(picked.alias("_g")).to_series() if labelled.height else
                                     pl.Series("_g", [], dtype=pl.Float64))
    m = grade & (labelled["_g"].is_null() | (labelled["_g"] < lo) | (labelled["_g"] > hi))
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
        flat = sub["_per"].to_numpy() * n_obj + objects.local[sub["_obj"].to_numpy()]
        leaf_col = sub["leaf"].to_numpy()
        sc, cnt = sub["_score"].to_numpy(), sub["count"].to_numpy()
        for leaf in np.unique(leaf_col).tolist():
            m = leaf_col == leaf
            inp.rating_sum[leaf] = np.bincount(flat[m], weights=sc[m] * cnt[m], minlength=n_per * n_obj).reshape(
                n_per, n_obj)
            inp.rating_count[leaf] = np.bincount(flat[m], weights=cnt[m], minlength=n_per * n_obj).reshape(
                n_per, n_obj)
