"""Turn a :class:`DataSet` into dense per-category arrays, refusing bad rows.

Values become an array ``(slot, period, object)`` per category, NaN where nothing was
reported. Codes are mapped through small lookup tables built from the categories of each
column, so the per-row work is a handful of NumPy gathers over whole columns. Incidents,
ballots and history are in ``encode_rows.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from jixiao.engine.applicability import mark_not_applicable
from jixiao.engine.compile import CScheme
from jixiao.engine.data import DataError, DataSet, file_rows
from jixiao.engine.encode_rows import check_history, encode_incidents, encode_ratings
from jixiao.engine.inputs import CategoryInputs, Collector, Objects
from jixiao.engine.parallel import halves
from jixiao.engine.scheme.rules import GradeMapRule, IncidentRule, ManualRule, RatingRule

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
IArr = npt.NDArray[np.signedinteger[Any]]
CodeArr = npt.NDArray[np.integer[Any]]  # physical codes: unsigned for Enum columns


def code_table(col: pl.Series, codes: list[str]) -> tuple[CodeArr, npt.NDArray[np.int32]]:
    """Physical codes of a column and a table from each code to its index in ``codes``.

    ``table[phys]`` is the index, -1 for an unknown code and -2 for an empty cell. Keeping the
    two apart lets callers fold further lookups into the small table instead of the column.
    """
    if isinstance(col.dtype, pl.Enum):
        cats = col.dtype.categories.to_list()
        known = {c: i for i, c in enumerate(codes)}
        table = np.array([known.get(c, -1) for c in cats] + [-2], dtype=np.int32)
        phys = col.to_physical()
        if phys.null_count():
            phys = phys.fill_null(len(cats))
        return phys.to_numpy(), table
    text = col.cast(pl.String)
    phys = text.cast(pl.Enum(codes), strict=False).to_physical().cast(pl.Int32)
    phys = phys.fill_null(len(codes))
    if text.null_count():
        phys = pl.select(pl.when(text.is_null()).then(len(codes) + 1).otherwise(phys)).to_series()
    table = np.concatenate([np.arange(len(codes), dtype=np.int32), np.array([-1, -2], dtype=np.int32)])
    return phys.to_numpy(), table


def encode_codes(col: pl.Series, codes: list[str]) -> npt.NDArray[np.int32]:
    """Index of each cell's code in ``codes``; -1 for unknown, -2 for empty."""
    if col.len() == 0:
        return np.zeros(0, dtype=np.int32)
    phys, table = code_table(col, codes)
    out: npt.NDArray[np.int32] = table[phys]
    return out


def build_objects(cs: CScheme, data: DataSet, bad: Collector) -> Objects:
    """The object registry, from the objects table or else from the values' group column."""
    group_cat = {g: i for i, c in enumerate(cs.categories) for g in c.groups}
    vals = data.values
    src_v, src_o = data.source("values"), data.source("objects")
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
        missing_parent = ~objs["parent"].is_in(objs["object"].implode()) & objs["parent"].is_not_null()
        if missing_parent.any():
            bad.rows(src_o, rows.filter(missing_parent), "parent", "parent {} is not a listed object",
                     objs["parent"].filter(missing_parent).to_list())
        table = objs.select("object", pl.coalesce("name", "object").alias("name"), "group", "parent")
    else:
        if vals["group"].null_count() == vals.height and vals.height:
            bad.one(src_v, 1, "group", "without an objects sheet every object needs its group in the values")
        pairs = (vals.select(pl.col("object").cast(pl.String), pl.col("group").cast(pl.String),
                             pl.col("object_name").cast(pl.String), file_rows(vals).alias("_r"))
                 .filter(pl.col("group").is_not_null())
                 .group_by("object", maintain_order=True)
                 .agg(pl.col("group").unique(maintain_order=True), pl.col("object_name").drop_nulls().first(),
                      pl.col("_r").first()))
        for oid, groups, _, r in pairs.filter(pl.col("group").list.len() > 1).iter_rows():
            bad.one(src_v, r, "group", f"object {oid} appears in groups {', '.join(groups)}")
        table = pairs.select("object", pl.coalesce("object_name", "object").alias("name"),
                             pl.col("group").list.first(), pl.lit(None, dtype=pl.String).alias("parent"), "_r")
        for grp, r in table.filter(~pl.col("group").is_in(list(group_cat))).select("group", "_r").iter_rows():
            bad.one(src_v, r, "group", f"group {grp} is not a group of any category")
    table = (table.with_columns(pl.col("group").replace_strict(group_cat, default=len(cs.categories),
                                                                return_dtype=pl.Int32).alias("_cat"))
             .with_row_index("_i").sort("_cat", "_i", maintain_order=True)
             .with_columns(pl.int_range(pl.len()).over("_cat").alias("_local")))
    ids = table["object"].to_list()
    index = dict(zip(ids, range(len(ids)), strict=True))
    parent = table["parent"].replace_strict(index, default=-1, return_dtype=pl.Int64).to_numpy()
    cat = table["_cat"].to_numpy().astype(np.int32)
    cat[cat == len(cs.categories)] = -1
    return Objects(
        ids=ids,
        names=table["name"].to_list(),
        groups=table["group"].to_list(),
        parents=table["parent"].to_list(),
        parent=parent,
        category=cat,
        local=table["_local"].to_numpy().astype(np.int64),
        index=index,
        oversees=_oversees(data, index, bad),
    )


def _oversees(data: DataSet, index: dict[str, int], bad: Collector) -> npt.NDArray[np.int64]:
    """The objects table's ``oversees`` codes as a (objects, k) matrix of indices, -1 padded."""
    none = np.full((len(index), 0), -1, dtype=np.int64)
    if not data.has_objects or data.objects["oversees"].null_count() == data.objects.height:
        return none
    rows = (data.objects.select(pl.col("object"), file_rows(data.objects).alias("_r"),
                                pl.col("oversees").str.extract_all(r"[^\s,;，；、]+").alias("code"))
            .explode("code").drop_nulls("code")
            .with_columns(pl.col("object").replace_strict(index, default=-1, return_dtype=pl.Int64).alias("_o"),
                          pl.col("code").replace_strict(index, default=-1, return_dtype=pl.Int64).alias("_c")))
    unknown = rows.filter(pl.col("_c") < 0)
    if unknown.height:
        bad.rows(data.source("objects"), unknown["_r"], "oversees", "{} is not a listed object",
                 unknown["code"].to_list())
    rows = rows.filter((pl.col("_c") >= 0) & (pl.col("_o") >= 0)).with_columns(
        pl.int_range(pl.len()).over("_o").alias("_k"))
    if not rows.height:
        return none
    out = np.full((len(index), int(rows["_k"].max()) + 1), -1, dtype=np.int64)  # type: ignore[arg-type]
    out[rows["_o"].to_numpy(), rows["_k"].to_numpy()] = rows["_c"].to_numpy()
    return out


def encode(cs: CScheme, data: DataSet) -> tuple[Objects, list[CategoryInputs]]:
    """Validate everything and build the inputs; raise :class:`DataError` if anything is wrong."""
    bad = Collector()
    objects = build_objects(cs, data, bad)
    bad.raise_if_any()
    inputs = [CategoryInputs(cc=c, objects=np.nonzero(objects.category == ci)[0].tolist(),
                             dense=np.empty(0)) for ci, c in enumerate(cs.categories)]
    _encode_values(cs, data, objects, inputs, bad)
    encode_incidents(cs, data, objects, inputs, bad)
    encode_ratings(cs, data, objects, inputs, bad)
    check_history(data, objects, bad)
    mark_not_applicable(cs, data, objects, inputs, bad)
    bad.raise_if_any()
    return objects, inputs


def _encode_values(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                   bad: Collector) -> None:
    """Scatter the values into each category's dense (slot, period, object) block.

    The hot path folds every lookup that depends only on a code into small tables indexed by
    the columns' physical codes, so each row costs a few gathers and one scatter.
    """
    vals = data.values
    src = data.source("values")
    n_per = len(cs.periods)
    n_cat = len(cs.categories)
    sizes = np.array([len(ci.objects) for ci in inputs], dtype=np.int64)
    n_slots = np.array([len(ci.cc.slots) for ci in inputs], dtype=np.int64)
    bases = np.concatenate([[0], np.cumsum(n_slots * n_per * sizes)])
    total = int(bases[-1])
    itype: type[np.signedinteger[Any]] = np.int32 if total < 2**31 - 1 else np.int64
    flat = np.full(total, np.nan)
    for ci, inp in enumerate(inputs):
        inp.dense = flat[bases[ci]:bases[ci + 1]].reshape(int(n_slots[ci]), n_per, int(sizes[ci]))
    if vals.height == 0:
        return
    codes = sorted({code for c in cs.categories for code, _ in c.slots})
    variables = sorted({v for c in cs.categories for _, v in c.slots} | {"value"})
    # Per object: its category's offset into the indicator table, its block base and stride.
    o_phys, o_table = code_table(vals["object"], objects.ids)
    known = o_table >= 0
    o_idx = np.where(known, o_table, 0)
    o_cat = np.where(known, objects.category[o_idx], n_cat)
    o_cat = o_cat.astype(np.int64)
    o_base = np.where(known, bases[np.minimum(o_cat, n_cat - 1)] + objects.local[o_idx], -1).astype(itype)
    o_stride = np.where(known, sizes[np.minimum(o_cat, n_cat - 1)], 0).astype(itype)
    # Per (category, indicator, variable): the slot times the number of periods, or -1.
    i_phys, i_table = code_table(vals["indicator"], codes)
    one_var = vals["variable"].null_count() == vals.height
    v_phys: CodeArr
    v_table: npt.NDArray[np.int32]
    if one_var:
        v_phys, v_table = np.zeros(1, dtype=np.int32), np.array([variables.index("value")], dtype=np.int32)
    else:
        v_phys, v_table = code_table(vals["variable"].fill_null("value"), variables)
    n_i, n_v = len(i_table), len(v_table)
    sp = np.full((n_cat + 1, n_i, n_v), -1, dtype=itype)
    code_i = {c: i for i, c in enumerate(codes)}
    var_i = {v: i for i, v in enumerate(variables)}
    for ci, c in enumerate(cs.categories):
        for (code, v), slot in c.slots.items():
            ii = np.nonzero(i_table == code_i[code])[0]
            vv = np.nonzero(v_table == var_i[v])[0]
            sp[ci][np.ix_(ii, vv)] = slot * n_per
    o_row = (o_cat * (n_i * n_v)).astype(itype)
    p_phys, p_table = code_table(vals["period"], cs.periods)
    # The hot path: a few gathers and sums per row, then one scatter, in two halves on two threads
    # (NumPy releases the GIL inside these loops).
    sp_flat = sp.ravel()
    value = vals["value"].to_numpy()

    def rows_key(lo: int, hi: int) -> tuple[IArr, bool]:
        op = o_phys[lo:hi]
        idx: IArr = i_phys[lo:hi].astype(itype)
        if n_v > 1:
            idx *= n_v
            idx += v_phys[lo:hi]
        idx += o_row[op]
        key: IArr = sp_flat[idx]
        per: IArr = p_table[p_phys[lo:hi]]
        ok = bool((key >= 0).all() and (per >= 0).all())
        key += per
        key *= o_stride[op]
        key += o_base[op]
        return key, ok

    keys = halves(vals.height, rows_key)
    if not all(ok for _, ok in keys):
        obj = o_table[o_phys]
        row_sp = sp_flat[o_row[o_phys] + i_phys.astype(itype) * n_v + (v_phys if n_v > 1 else 0)]
        ind = i_table[i_phys]
        var = v_table[v_phys] if n_v > 1 else np.full(vals.height, v_table[0], dtype=np.int32)
        cat = np.where(obj >= 0, o_cat[np.where(obj >= 0, o_phys, 0)], n_cat)
        _report_value_codes(cs, vals, src, file_rows(vals).to_numpy(), obj, p_table[p_phys], ind, var, row_sp,
                            codes, variables, cat, bad)
        return
    key = np.concatenate([k for k, _ in keys]) if len(keys) > 1 else keys[0][0]
    if np.isnan(value).any():
        rows = file_rows(vals).to_numpy()
        bad.rows(src, rows[np.isnan(value)], "value", "empty cell; a value is required")
        return
    halves(len(key), lambda lo, hi: flat.__setitem__(key[lo:hi], value[lo:hi]))
    if int(np.count_nonzero(flat == flat)) != len(key):  # fewer filled cells than rows: duplicates
        counts = np.bincount(key, minlength=total)
        dup = counts[key] > 1
        bad.rows(src, file_rows(vals).to_numpy()[dup], None,
                 "the same object, indicator, variable and period is reported twice")
        return
    _check_ranges(inputs, src, vals, key, bases, bad)


def _report_value_codes(cs: CScheme, vals: pl.DataFrame, src: str, rows: IArr, obj: IArr, per: IArr, ind: IArr,
                        var: IArr, slot: IArr, codes: list[str], variables: list[str], cat: IArr,
                        bad: Collector) -> None:
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
        elsewhere = {}
        for c in cs.categories:
            for n in c.leaves():
                if isinstance(n.node.rule, IncidentRule):
                    elsewhere[n.code] = "indicator {} takes incident rows (the incidents sheet), not values"
                elif isinstance(n.node.rule, RatingRule | GradeMapRule):
                    elsewhere[n.code] = "indicator {} takes ballots or grades (the ratings sheet), not values"
            for v in c.veto_codes:
                elsewhere[v] = "{} is a veto: report it as an incident row"
        unknown = "indicator {} is not a scored indicator of the scheme"
        names = texts("indicator", m)
        labels = [elsewhere.get(t, unknown).format(t) for t in names]
        bad.rows(src, rows[m], "indicator", "{}", labels)
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


def _check_ranges(inputs: list[CategoryInputs], src: str, vals: pl.DataFrame, key: npt.NDArray[np.integer],
                  bases: I64, bad: Collector) -> None:
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
    rows = file_rows(vals).to_numpy()
    for r, k in zip(rows[hit][:DataError.MAX_LISTED], key[hit][:DataError.MAX_LISTED], strict=True):
        bad.one(src, int(r), "value", messages.get(int(k), "value out of range"))
    bad.total += max(0, int(hit.sum()) - DataError.MAX_LISTED)


