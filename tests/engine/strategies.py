"""Hypothesis strategies: random valid schemes and data sets that the engine must accept."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import strategies as st

from jixiao.engine.data import DataSet
from jixiao.engine.scheme.loader import validate_scheme_data
from jixiao.engine.scheme.model import Scheme

FORMULAS = [
    "min(value / 80, 1) * points",
    "if(value >= 50, points, points * value / 50)",
    "clamp(points - (100 - value) * 0.1, 0, points)",
    "round(value * points / 100, 1)",
]

num = st.integers(min_value=0, max_value=1200).map(lambda x: x / 10)


@st.composite
def leaf(draw: st.DrawFn, code: str, *, adjustment: bool = False) -> dict[str, Any]:
    pts = float(draw(st.integers(min_value=1, max_value=30)))
    if adjustment:
        method = draw(st.sampled_from(["bonus", "deduction"]))
        items = _items(draw)
        rule: dict[str, Any] = {"method": method, "items": items}
        if method == "deduction":
            rule["base"] = "zero"
        if draw(st.booleans()):
            rule["cap"] = float(draw(st.integers(min_value=1, max_value=6)))
        return {"code": code, "name": code, "rule": rule}
    method = draw(st.sampled_from(["ratio", "tiers", "manual", "plan", "supervision", "formula", "deduction",
                                   "rating", "grade_map"]))
    if method == "ratio":
        target = float(draw(st.integers(min_value=1, max_value=100)))
        lower = draw(st.booleans())
        rule = {"method": "ratio", "target": target, "lower_is_better": lower}
        if draw(st.booleans()):
            delta = float(draw(st.integers(min_value=1, max_value=20)))
            rule["challenge"] = {"value": target - delta / 2 if lower else target + delta,
                                 "bonus": float(draw(st.integers(min_value=1, max_value=3))),
                                 "mode": draw(st.sampled_from(["step", "linear"]))}
        if draw(st.booleans()):
            rule["zero_below"] = draw(st.sampled_from([0.5, 0.6]))
    elif method == "tiers":
        rule = {"method": "tiers", "basis": "share",
                "tiers": [{"min": 90.0, "score": 1.0}, {"min": 80.0, "score": 0.8}, {"min": 60.0, "score": 0.5}]}
    elif method == "manual":
        rule = {"method": "manual"}
    elif method == "plan":
        rule = {"method": "plan"}
    elif method == "supervision":
        rule = {"method": "supervision", "per_overdue": 1.0, "per_returned": 0.5}
        if draw(st.booleans()):
            rule["cap"] = 3.0
    elif method == "formula":
        rule = {"method": "formula", "expression": draw(st.sampled_from(FORMULAS))}
    elif method == "rating":
        rule = {"method": "rating", "scale": {"优秀": 100.0, "称职": 90.0, "基本称职": 80.0, "不称职": 60.0}}
    elif method == "grade_map":
        basis = draw(st.sampled_from(["points", "share"]))
        top = 1.0 if basis == "share" else pts
        line: dict[str, Any] = {"base": top * 0.8, "from": 80.0, "step": draw(st.sampled_from([1.0, 5.0, 10.0])),
                                "per": top * draw(st.sampled_from([0.01, 0.1, 0.25]))}
        if draw(st.booleans()):
            line["max"] = top * 0.9
        if draw(st.booleans()):
            line["whole"] = True
        rule = {"method": "grade_map", "basis": basis,
                "grades": {"优秀": top, "良好": line, "一般": [top * 0.5, top * 0.6], "差": 0.0}}
    else:
        rule = {"method": "deduction", "base": "full", "items": _items(draw)}
        if draw(st.booleans()):
            rule["cap"] = float(draw(st.integers(min_value=1, max_value=int(pts))))
    node: dict[str, Any] = {"code": code, "name": code, "points": pts, "rule": rule}
    return node


def _items(draw: st.DrawFn) -> list[dict[str, Any]]:
    kind = draw(st.sampled_from(["per", "range", "levels"]))
    item: dict[str, Any] = {"code": "i1"}
    if kind == "per":
        item["per"] = draw(st.sampled_from([0.5, 1.0, 2.0, 3.0]))
    elif kind == "range":
        item["range"] = [1.0, 5.0]
    else:
        item["levels"] = {"市": 1.0, "省": 2.0, "国家": 3.0}
    if draw(st.booleans()):
        item["cap"] = float(draw(st.integers(min_value=1, max_value=5)))
    return [item, {"code": "i2", "per": 0.5}]


@st.composite
def scheme_dicts(draw: st.DrawFn, follow: bool = False, eligibility: bool = False) -> dict[str, Any]:
    """A random one-category scheme; with ``follow``, sometimes a second category ``up`` whose
    results the first one's objects follow (their parents are in ``up``); with ``eligibility``,
    sometimes rules by rank or by the object's own indicator (the category is then scored whole)."""
    n_periods = draw(st.integers(min_value=1, max_value=3))
    periods = [f"P{i + 1}" for i in range(n_periods)]
    mode = draw(st.sampled_from(["mean", "sum", "last", "weighted"]))
    rollup: dict[str, Any] = {"mode": mode}
    if mode == "weighted":
        rollup["weights"] = {p: float(draw(st.integers(min_value=1, max_value=5))) for p in periods}
        if draw(st.booleans()):  # weights that do not add up to the whole (30 + 60 of 100)
            rollup["out_of"] = sum(rollup["weights"].values()) + float(draw(st.integers(min_value=0, max_value=5)))
    counter = iter(range(1000))
    top: list[dict[str, Any]] = []
    weighted_root = draw(st.booleans())
    n_top = draw(st.integers(min_value=1, max_value=3))
    for _ in range(n_top):
        if draw(st.booleans()):
            kids = [draw(leaf(f"L{next(counter)}")) for _ in range(draw(st.integers(min_value=1, max_value=3)))]
            group: dict[str, Any] = {"code": f"G{next(counter)}", "name": "group", "children": kids}
            if len(kids) > 1 and draw(st.booleans()):
                share = draw(st.integers(min_value=10, max_value=90))
                weights = [share] + [0] * (len(kids) - 1)
                rest = 100 - share
                for i in range(1, len(kids)):
                    weights[i] = rest // (len(kids) - 1) + (rest % (len(kids) - 1) if i == 1 else 0)
                for k, w in zip(kids, weights, strict=True):
                    k["weight"] = float(w)
            if draw(st.booleans()):
                group["children"].append(draw(leaf(f"A{next(counter)}", adjustment=True)))
            top.append(group)
        else:
            top.append(draw(leaf(f"L{next(counter)}")))
    # Parts for one kind of object only (applies_to); the first part applies to every group.
    for t in top[1:]:
        for nd in [t, *t.get("children", [])]:
            if draw(st.integers(min_value=0, max_value=3)) == 0:
                nd["applies_to"] = [draw(st.sampled_from(["g1", "g2"]))]
    cat: dict[str, Any] = {"code": "c", "name": "类别", "groups": ["g1", "g2"], "indicators": top}
    if weighted_root and n_top > 1:
        share = 100.0 / n_top
        for i, t in enumerate(top):
            t["weight"] = share if i < n_top - 1 else 100.0 - share * (n_top - 1)
        cat["points"] = 100.0
    else:
        cat["points"] = None
    if draw(st.booleans()):
        cat["indicators"].append(draw(leaf(f"A{next(counter)}", adjustment=True)))
        if draw(st.booleans()):
            cat["bonus_cap"] = 2.0
            cat["deduction_cap"] = 2.0
    cat["results"] = {
        "ranking": draw(st.sampled_from(["group", "category"])),
        "grades": {"basis": draw(st.sampled_from(["points", "percent"])), "bands": draw(bands())},
        "vetoes": [{"code": "V1", "effect": "no_top", "carried": True},
                   {"code": "V2", "effect": "force_grade", "grade": "不合格"}],
    }
    rules: list[dict[str, Any]] = []
    if eligibility and draw(st.booleans()):  # "排名后一半不得评优"
        rules.append({"when": {"rank_after": {"share": draw(st.sampled_from([0.3, 0.5])),
                                                    "rounding": draw(st.sampled_from(["half_up", "floor", "ceil"]))}}})
    if eligibility and draw(st.booleans()):  # "优秀必须由（某指标）产生": the first part below a line
        rules.append({"when": {"own_value": {"indicator": top[0]["code"], "below": float(draw(num)) / 4,
                                                   "measure": draw(st.sampled_from(["value", "percent"]))}},
                            "effect": draw(st.sampled_from(["no_top", "force_grade"]))})
        if rules[-1]["effect"] == "force_grade":
            rules[-1]["grade"] = "不合格"
    if rules:
        cat["results"]["eligibility"] = rules
    if eligibility and draw(st.booleans()):  # "连续两年…": a multi-year rule that changes eligibility or the grade
        my: dict[str, Any] = {"years": draw(st.sampled_from([2, 3])),
                              "min_each": float(draw(st.sampled_from([20, 50]))),
                              "effect": draw(st.sampled_from(["report", "no_top", "force_grade"]))}
        if draw(st.booleans()):
            my |= {"or_top_share": 0.5, "or_top_rounding": draw(st.sampled_from(["half_up", "floor", "ceil"]))}
        if my["effect"] == "force_grade":
            my["grade"] = "不合格"
        cat["results"]["multi_year"] = my
    rounding = {"decimals": draw(st.sampled_from([0, 1, 2])), "at": draw(st.sampled_from(["nodes", "total"]))}
    cats = [cat]
    if follow and draw(st.booleans()):
        up_kids = [{"code": "U1", "points": 60.0, "rule": {"method": "manual"}},
                   {"code": "U2", "points": 40.0, "rule": {"method": "manual"}}]
        up_bands = [{"name": "优秀", "min": 30.0}, {"name": "良好", "min": 15.0}, {"name": "差"}]
        cats.append({"code": "up", "name": "上级", "groups": ["u"], "points": 100.0, "indicators": up_kids,
                     "results": {"grades": {"bands": up_bands}}})
        # Follow the parent in ``up``, or (of: children) the mean of the ``up`` objects below.
        rule: dict[str, Any] = {"method": "follow", "category": "up",
                                "of": draw(st.sampled_from(["parent", "children"]))}
        if draw(st.booleans()):
            rule["grades"] = {"优秀": 1.0, "良好": 0.8, "差": 0.0}
        elif draw(st.booleans()):
            rule["indicator"] = draw(st.sampled_from(["U1", "U2"]))
        lf: dict[str, Any] = {"code": f"F{next(counter)}", "points": float(draw(st.integers(1, 30))), "rule": rule}
        if eligibility and draw(st.booleans()):  # the parent's grade limits the object (科室差 → 不得评优)
            cat["results"].setdefault("eligibility", []).append(
                {"when": {"parent_category": "up", "parent_grade_in": ["差"]},
                 "effect": draw(st.sampled_from(["no_top", "force_grade"]))})
            if cat["results"]["eligibility"][-1]["effect"] == "force_grade":
                cat["results"]["eligibility"][-1]["grade"] = "不合格"
        if "grades" not in rule and draw(st.booleans()):
            lf["periods"] = {"mode": draw(st.sampled_from(["mean", "sum", "last"]))}
        if "weight" in top[0]:  # a weighted root (each part ≥ 33.3): the follow leaf takes 10 of the first's
            lf["weight"] = 10.0
            top[0]["weight"] = float(top[0]["weight"]) - 10.0
        top.append(lf)
    return {"code": "prop", "name": "random", "rounding": rounding, "periods": {"codes": periods, "rollup": rollup},
            "categories": cats}


@st.composite
def bands(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Grade bands by score, by quota alone with score bands below, or by places from the top and bottom."""
    quota = {"share": draw(st.sampled_from([0.2, 0.25, 0.5])),
             "rounding": draw(st.sampled_from(["half_up", "floor", "ceil"])),
             "ties": draw(st.sampled_from(["include", "exclude"])),
             "per": draw(st.sampled_from(["group", "category"]))}
    if draw(st.integers(min_value=0, max_value=3)) == 0:  # "1–3 名由领导酌定"
        quota |= {"min_count": 1, "max_count": 3, "discretion": True}
    kind = draw(st.sampled_from(["score", "quota_only", "places"]))
    places = st.integers(min_value=1, max_value=3)
    if kind == "score":
        out = [{"name": "优秀", "min": float(draw(st.sampled_from([50, 70, 90]))), "quota": quota},
               {"name": "合格", "min": 40.0}]
    elif kind == "quota_only":
        out = [{"name": "优秀", "quota": quota}, {"name": "合格", "min": 40.0}]
    else:
        out = [{"name": "优秀", "count": draw(places)}]
        if draw(st.booleans()):
            out.append({"name": "良好", "count": draw(places)})
        if draw(st.booleans()):
            out.append({"name": "合格", "min": 40.0})
    if draw(st.booleans()):
        out += [{"name": "基本合格"}, {"name": "不合格", "last": draw(places)}]
        if draw(st.booleans()):
            out.insert(-1, {"name": "较差", "last": draw(places)})
    else:
        out.append({"name": "不合格"})
    return out


def fix_points(data: dict[str, Any]) -> dict[str, Any]:
    """Set the category's points to what its indicators add up to (unless weighted)."""
    cat = data["categories"][0]
    if cat.get("points") is None:
        cat.pop("points", None)

        def pts(n: dict[str, Any]) -> float:
            if "children" not in n:
                return float(n["points"])
            kids = [k for k in n["children"] if not _is_adj(k)]
            if any("weight" in k for k in kids):
                return 100.0
            return sum(pts(k) for k in kids)

        cat["points"] = sum(pts(n) for n in cat["indicators"] if not _is_adj(n))
    return data


def _is_adj(n: dict[str, Any]) -> bool:
    r = n.get("rule") or {}
    return r.get("method") == "bonus" or (r.get("method") == "deduction" and r.get("base") == "zero")


def build_scheme(data: dict[str, Any]) -> Scheme:
    return validate_scheme_data(fix_points(data), filename="<hypothesis>")


VARS = {
    "ratio": ["value"], "tiers": ["value"], "manual": ["value"], "plan": ["planned", "actual"],
    "supervision": ["due", "on_time", "overdue", "returned"], "formula": ["value"],
}


@st.composite
def datasets(draw: st.DrawFn, scheme: Scheme) -> DataSet:
    n_obj = draw(st.integers(min_value=1, max_value=7))
    objs = [f"o{i}" for i in range(n_obj)]
    groups = {o: draw(st.sampled_from(["g1", "g2"])) for o in objs}
    periods = scheme.periods.resolved()
    cat = scheme.categories[0]
    leaves = [n for n in cat.root(scheme.scale).walk() if n.is_leaf]
    values: list[dict[str, Any]] = []
    incidents: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    for o in objs:
        for lf in leaves:
            rule = lf.rule
            assert rule is not None
            method = rule.method
            for p in periods:
                if method in VARS:
                    for var in VARS[method]:
                        if not draw(st.booleans()) and draw(st.booleans()):
                            continue  # about a quarter missing
                        if method == "manual":
                            v = float(draw(st.integers(min_value=0, max_value=int((lf.points or 0) * 10)))) / 10
                        elif method in ("plan", "supervision"):
                            v = float(draw(st.integers(min_value=0, max_value=12)))
                        else:
                            v = draw(num)
                        values.append({"object": o, "group": groups[o], "indicator": lf.code, "variable": var,
                                       "period": p, "value": v})
                elif method in ("deduction", "bonus"):
                    for _ in range(draw(st.integers(min_value=0, max_value=2))):
                        item = draw(st.sampled_from(["i1", "i2"]))
                        first = rule.items[0]  # type: ignore[union-attr]
                        row: dict[str, Any] = {"object": o, "indicator": lf.code, "item": item, "period": p,
                                               "count": float(draw(st.integers(min_value=1, max_value=3))),
                                               "level": None, "amount": None, "evidence": "doc"}
                        if item == "i1" and first.levels is not None:
                            row["level"] = draw(st.sampled_from(list(first.levels)))
                        if item == "i1" and first.range is not None:
                            row["amount"] = float(draw(st.integers(min_value=2, max_value=10))) / 2
                        incidents.append(row)
                elif method == "grade_map" and draw(st.integers(min_value=0, max_value=3)):
                    label = draw(st.sampled_from(["优秀", "良好", "一般", "差"]))
                    g = rule.grades[label]  # type: ignore[union-attr]
                    sc: float | None = None
                    if label == "良好":
                        sc = float(draw(st.integers(min_value=0, max_value=1200))) / 10
                    elif isinstance(g, tuple):
                        sc = g[0] * ((lf.points or 0.0) if rule.basis == "share" else 1.0)  # type: ignore[union-attr]
                    ratings.append({"object": o, "indicator": lf.code, "period": p, "rating": label, "count": 1.0,
                                    "score": sc})
                elif method == "rating":
                    for label in ("优秀", "称职", "基本称职", "不称职"):
                        c = draw(st.integers(min_value=0, max_value=4))
                        if c:
                            ratings.append({"object": o, "indicator": lf.code, "period": p, "rating": label,
                                            "count": float(c)})
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            veto = draw(st.sampled_from(["V1", "V2"]))  # V1 is carried: a month of another assessment counts
            incidents.append({"object": o, "indicator": veto, "item": None,
                              "period": draw(st.sampled_from([periods[0], "M03"])) if veto == "V1" else periods[0],
                              "count": 1.0, "level": None, "amount": None, "evidence": None})
    codes = [n.code for n in cat.root(scheme.scale).walk()[1:]]
    na = [draw(st.sampled_from(codes)) if draw(st.integers(min_value=0, max_value=3)) == 0 else None for _ in objs]
    parents: list[str | None] = [None] * n_obj
    oversees: list[str | None] = [None] * n_obj
    if len(scheme.categories) > 1:  # the objects' parents in the category ``up`` they follow
        ups = [f"u{i}" for i in range(draw(st.integers(min_value=1, max_value=3)))]
        for u in ups:
            for code in ("U1", "U2"):
                for p in periods:
                    if draw(st.booleans()):
                        values.append({"object": u, "group": "u", "indicator": code, "variable": "value", "period": p,
                                       "value": float(draw(st.integers(min_value=0, max_value=40)))})
        follow = next(n.rule for n in cat.root(scheme.scale).walk() if n.rule is not None
                      and n.rule.method == "follow")
        if follow.of == "children":  # type: ignore[union-attr]
            ups_parents = [draw(st.sampled_from([*objs, None])) for _ in ups]
            objs, na, parents = objs + ups, na + [None] * len(ups), parents + ups_parents
            oversees = oversees + [None] * len(ups)
        else:
            parents = [draw(st.sampled_from([*ups, None])) for _ in objs]
            # Some objects oversee further units (分管): their parent-grade rules read those too.
            oversees = [";".join(draw(st.lists(st.sampled_from(ups), max_size=2, unique=True))) or None
                        for _ in objs] + [None] * len(ups)
            objs, na, parents = objs + ups, na + [None] * len(ups), parents + [None] * len(ups)
        groups |= {u: "u" for u in ups}
        n_obj = len(objs)
    objects = pl.DataFrame({"object": objs, "name": objs, "group": [groups[o] for o in objs],
                            "parent": parents, "not_applicable": na, "oversees": oversees},
                           schema={"object": pl.String, "name": pl.String, "group": pl.String, "parent": pl.String,
                                   "not_applicable": pl.String, "oversees": pl.String})
    history: list[dict[str, Any]] = []
    if scheme.categories[0].results.multi_year is not None:
        for o in objs:
            for year in ("2022", "2023")[: draw(st.integers(min_value=0, max_value=2))]:
                history.append({"object": o, "period": year, "total": float(draw(st.integers(0, 100)))})
    return DataSet(
        history=_frame(history, {"object": pl.String, "period": pl.String, "total": pl.Float64}),
        values=_frame(values, {"object": pl.String, "object_name": pl.String, "group": pl.String,
                             "indicator": pl.String, "variable": pl.String, "period": pl.String,
                             "value": pl.Float64}),
        incidents=_frame(incidents, {"object": pl.String, "indicator": pl.String, "item": pl.String,
                                     "level": pl.String, "period": pl.String, "count": pl.Float64,
                                     "amount": pl.Float64, "evidence": pl.String, "note": pl.String}),
        ratings=_frame(ratings, {"object": pl.String, "indicator": pl.String, "period": pl.String,
                                 "rater": pl.String, "rating": pl.String, "count": pl.Float64,
                                 "score": pl.Float64}),
        objects=objects,
        has_objects=True,
    )


def _frame(rows: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    full = [{k: r.get(k) for k in schema} for r in rows]
    return pl.DataFrame(full, schema=schema)
