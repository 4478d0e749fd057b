"""Parts that do not apply (不适用) to an object, per ranking group or per object.

A node's ``applies_to`` leaves out the objects of the other ranking groups (a deduction for
section heads only); the objects table's ``not_applicable`` column leaves out named indicators
for one object (a unit without a special project). A group whose regular children all do not
apply does not apply either, and nothing below a node that does not apply does. The masks are
built once per category, column-wise, and the composition re-bases the groups on them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from jixiao.engine.compile import CScheme
from jixiao.engine.data import DataSet, file_rows
from jixiao.engine.inputs import CategoryInputs, Collector, Objects

Bool = npt.NDArray[np.bool_]
SEPARATORS = r"[^\s,;，；、]+"


def mark_not_applicable(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                        bad: Collector) -> None:
    """Fill each category's ``na`` masks (node index → objects it does not apply to)."""
    declared: list[dict[int, Bool]] = []
    for inp in inputs:
        groups = np.array([objects.groups[g] for g in inp.objects], dtype=object)
        own: dict[int, Bool] = {}
        for cn in inp.cc.nodes:
            if cn.node.applies_to is not None:
                own[cn.index] = ~np.isin(groups, cn.node.applies_to)
        declared.append(own)
    _per_object(cs, data, objects, inputs, declared, bad)
    for inp, own in zip(inputs, declared, strict=True):
        inp.na = _effective(inp, own)


def _per_object(cs: CScheme, data: DataSet, objects: Objects, inputs: list[CategoryInputs],
                declared: list[dict[int, Bool]], bad: Collector) -> None:
    """The objects table's ``not_applicable`` codes, checked against the object's category."""
    if not data.has_objects or data.objects["not_applicable"].null_count() == data.objects.height:
        return
    src = data.source("objects")
    rows = (data.objects.select(pl.col("object"), file_rows(data.objects).alias("_r"),
                                pl.col("not_applicable").str.extract_all(SEPARATORS).alias("code"))
            .explode("code").drop_nulls("code")
            .with_columns(pl.col("object").replace_strict(objects.index, default=-1, return_dtype=pl.Int64)
                          .alias("_g")))
    if not rows.height:
        return
    g = rows["_g"].to_numpy()
    known = g >= 0
    cat = np.where(known, objects.category[np.maximum(g, 0)], -1)
    codes = pl.DataFrame({"_c": [ci for ci, c in enumerate(cs.categories) for n in c.nodes[1:]],
                          "code": [n.code for c in cs.categories for n in c.nodes[1:]],
                          "_n": [n.index for c in cs.categories for n in c.nodes[1:]]},
                         schema={"_c": pl.Int32, "code": pl.String, "_n": pl.Int64})
    found = (rows.with_columns(pl.Series("_c", cat, dtype=pl.Int32))
             .join(codes, on=["_c", "code"], how="left", maintain_order="left"))
    unknown = found.filter(pl.col("_n").is_null() & (pl.col("_c") >= 0))
    if unknown.height:
        bad.rows(src, unknown["_r"], "not_applicable", "{} is not an indicator of this object's category",
                 unknown["code"].to_list())
    ok = found.filter(pl.col("_n").is_not_null())
    ci_arr, node_arr, g_arr = ok["_c"].to_numpy(), ok["_n"].to_numpy(), ok["_g"].to_numpy()
    for ci, node in {(int(a), int(b)) for a, b in zip(ci_arr.tolist(), node_arr.tolist(), strict=True)}:
        mask = declared[ci].get(node)
        if mask is None:
            mask = declared[ci][node] = np.zeros(len(inputs[ci].objects), dtype=np.bool_)
        pick = (ci_arr == ci) & (node_arr == node)
        mask[objects.local[g_arr[pick]]] = True


def _effective(inp: CategoryInputs, own: dict[int, Bool]) -> dict[int, Bool]:
    """Up: a group none of whose regular children applies does not apply. Down: nothing below a
    node that does not apply does."""
    nodes = inp.cc.nodes
    if not own:
        return {}
    size = len(inp.objects)
    eff: dict[int, Bool] = {i: m.copy() for i, m in own.items()}
    for cn in reversed(nodes):  # children follow their parent in pre-order
        if cn.is_leaf:
            continue
        regular = [c for c in cn.children if not nodes[c].is_adjustment]
        every: Bool = np.ones(size, dtype=np.bool_)
        for c in regular:
            every &= eff.get(c, np.zeros(size, dtype=np.bool_))
        if every.any():
            eff[cn.index] = eff.get(cn.index, np.zeros(size, dtype=np.bool_)) | every
    for cn in nodes:
        if cn.parent is not None and cn.parent in eff:
            eff[cn.index] = eff.get(cn.index, np.zeros(size, dtype=np.bool_)) | eff[cn.parent]
    return {i: m for i, m in eff.items() if m.any()}
