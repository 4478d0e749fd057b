"""The trace (计分说明): why each number is what it is, in words a clerk understands.

Traces are rendered on demand for one object from the arrays the engine kept, so scoring a
city-size year does not build millions of strings nobody reads. Each node carries its
inputs, its rule and its arithmetic, e.g. "完成率 87.5% × 10分 = 8.75分".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from jixiao.engine.compile import CNode, default_leaf_rollup
from jixiao.engine.compose import weight_factor
from jixiao.engine.scheme.model import Category, Rollup
from jixiao.engine.scheme.rules import (
    FollowRule,
    FormulaRule,
    GradeLine,
    GradeMapRule,
    IncidentRule,
    ManualRule,
    PlanRule,
    RatingRule,
    RatioRule,
    SupervisionRule,
    TiersRule,
)
from jixiao.engine.score import CategoryScore, ScoreResult

METHOD_NAMES = {
    "ratio": "完成率计分", "deduction": "扣分", "bonus": "加分", "rating": "测评票折算", "tiers": "分档计分",
    "manual": "评分", "plan": "计划完成率", "grade_map": "等次折算", "supervision": "督办结果",
    "formula": "自定义公式", "follow": "依据上级结果", "sum": "求和", "weighted": "加权",
}


# Decimals shown in a trace: four when every node is rounded; ten when only the totals are
# (rounding.at: total), so the exact intermediate values can be checked by hand.
PLACES: ContextVar[int] = ContextVar("trace_places", default=4)


def n(x: float | None) -> str:
    """A number as a clerk writes it: up to four decimals (ten under ``rounding.at: total``),
    no trailing zeros."""
    if x is None or x != x:
        return "—"
    s = f"{x:.{PLACES.get()}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def pct(x: float) -> str:
    return f"{x * 100:.2f}".rstrip("0").rstrip(".") + "%"


@dataclass
class TraceNode:
    code: str
    name: str
    score: float | None
    points: float | None
    method: str
    text: str
    inputs: dict[str, Any] = field(default_factory=dict)
    periods: list[dict[str, Any]] = field(default_factory=list)
    children: list[TraceNode] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "score": self.score, "points": self.points,
            "method": self.method, "text": self.text, "inputs": self.inputs, "periods": self.periods,
            "children": [c.as_json() for c in self.children],
        }

    def lines(self, indent: int = 0) -> list[str]:
        pts = f" / {n(self.points)}分" if self.points is not None else ""
        method = METHOD_NAMES.get(self.method, self.method)
        head = f"{'  ' * indent}{self.code} {self.name}: {n(self.score)}分{pts}  [{method}]"
        out = [head]
        pad = "  " * (indent + 1)
        if self.text:
            out.append(f"{pad}= {self.text}")
        for p in self.periods:
            out.append(f"{pad}· {p.get('name', p['period'])}: {p['text']}")
        for c in self.children:
            out.extend(c.lines(indent + 1))
        return out


def explain(result: ScoreResult, object_id: str, period_names: Mapping[str, str] | None = None) -> TraceNode:
    """The full trace of one object, from its total down to each indicator's inputs.

    ``period_names`` (code → name, e.g. ``2024-mid`` → ``2024年上半年``) words the periods as a
    clerk knows them; a period without a name is shown by its code. Each period row holds the
    period's code (``period``) and name (``name``)."""
    if object_id not in result.objects.index:
        raise KeyError(f"no object {object_id!r} in the data")
    cs = result.category_of(object_id)
    local = cs.local(result.objects, object_id)
    token = PLACES.set(4 if result.scheme.round_nodes else 10)
    try:
        return _node(result, cs, cs.cc.root, local, dict(period_names or {}))
    finally:
        PLACES.reset(token)


FLAG_WORDS = {"veto": "一票否决", "no_top": "取消评先资格", "quota_tie": "名额边界并列", "missing": "缺少数据",
              "rank_tie": "名次边界并列（取较高等次）",
              "rule": "资格规则", "bottom_report": "末位报告", "not_applicable": "不适用（按其余部分折算）",
              "discretion": "名额区间内由领导酌定（待审定）"}


def headline(result: ScoreResult, object_id: str) -> list[str]:
    """The object's result in two lines: who, and where it stands (total, rank, grade, why)."""
    row = next(r for r in result.rows() if r.object_id == object_id)
    cat = result.category_of(object_id).cc.category
    return headline_lines(cat, name=row.object_name, code=row.object_id, group=row.group, total=row.total,
                          rank=row.rank, group_size=row.group_size, grade=row.grade, eligible_top=row.eligible_top,
                          flags=row.flags, multi_year=row.multi_year)


def headline_lines(cat: Category, *, name: str, code: str, group: str, total: float | None, rank: int,
                   group_size: int, grade: str | None, eligible_top: bool, flags: Sequence[str],
                   multi_year: bool | None = None) -> list[str]:
    """:func:`headline` from a result's fields (a stored result, or the engine's row)."""
    title = cat.name or cat.code
    lines = [f"{name}（{code}）  {title}" + ("" if group in ("", title) else f" / {group}"),
             f"总分 {n(total)}分，第 {rank} 名（共 {group_size}）"
             + (f"，等次 {grade}{_band_basis(cat, grade, flags)}" if grade else "")
             + ("" if eligible_top else "，不得评为最高等次")]
    for flag in flags:
        kind, _, what = flag.partition(":")
        lines.append(f"  ! {FLAG_WORDS.get(kind, kind)} {what}".rstrip())
    if multi_year is not None:
        label = cat.results.multi_year.label if cat.results.multi_year else ""
        lines.append(f"  {label}: {'符合' if multi_year else '不符合'}")
    return lines


def _grade_map_text(cs: CategoryScore, cn: CNode, rule: GradeMapRule, o: int, p: int | None,
                    score: float | None) -> str:
    """等次折算; a grade computed from its score shows its arithmetic:
    "良好（得分 85）：8% + (85 − 80) ÷ 10 × 1% = 8.5% × 10分 = 0.85分"."""
    lines = [v for v in rule.grades.values() if isinstance(v, GradeLine)]
    rows = cs.inputs.ratings
    if not lines or rows is None or rows.height == 0:
        return f"等次折算 → {n(score)}分"
    mine = rows.filter((pl.col("leaf") == cn.index) & (pl.col("_obj") == cs.inputs.objects[o]))
    if p is not None:
        mine = mine.filter(pl.col("_per") == p)
    share = rule.basis == "share"
    pts = cn.points or 0.0
    parts = []
    for label, sc in mine.select("rating", "score").iter_rows():
        g = rule.grades.get(label)
        if not isinstance(g, GradeLine) or sc is None:
            parts.append(str(label))
            continue
        f = pct if share else n
        whole = "（取整）" if g.whole else ""
        limit = 1.0 if share else pts
        value = g.value(float(sc), limit)
        text = (f"{label}（得分 {n(sc)}）：{f(g.base)} + ({n(sc)} − {n(g.from_)}) ÷ {n(g.step)}{whole} × {f(g.per)}"
                f" = {f(value)}")
        parts.append(text + (f" × {n(pts)}分" if share else ""))
    return f"等次折算 {'；'.join(parts)} → {n(score)}分"


def _band_basis(cat: Category, grade: str, flags: Sequence[str]) -> str:
    """How a band given by places was reached: "（按名次：第 2–3 名）", "（按名次：倒数 2 名以内）";
    nothing when the grade was forced (a veto or an eligibility rule says why)."""
    bands = cat.results.grades.bands if cat.results.grades else []
    band = next((b for b in bands if b.name == grade), None)
    forcing = {f"veto:{v.code}" for v in cat.results.vetoes if v.effect == "force_grade"}
    if band is None or not band.by_rank or any(f in forcing or f.startswith("rule:") for f in flags):
        return ""
    i = bands.index(band)
    if band.count is not None:
        before = sum(b.count or 0 for b in bands[:i])
        lo, hi = before + 1, before + band.count
        return f"（按名次：第 {lo} 名）" if lo == hi else f"（按名次：第 {lo}–{hi} 名）"
    return f"（按名次：倒数 {sum(b.last or 0 for b in bands[i:])} 名以内）"


def _gone(cs: CategoryScore, index: int, o: int) -> bool:
    """Whether the node does not apply to the object (不适用)."""
    mask = cs.inputs.na.get(index)
    return mask is not None and bool(mask[o])


def _node(result: ScoreResult, cs: CategoryScore, cn: CNode, o: int, names: dict[str, str],
          by_period: bool = False) -> TraceNode:
    """One node's trace. ``by_period``: a group above rolls up its own per-period scores, so this
    node counts there per period (a weekly deduction capped per week), and its periods are shown."""
    score = _f(cs.scores.overall[cn.index][o])
    periods = result.scheme.periods
    if _gone(cs, cn.index, o):
        word = "不计" if cn.is_adjustment else "按其余部分折算"
        return TraceNode(cn.code, cn.name, None, cn.points, cn.node.rule.method if cn.node.rule else
                         ("weighted" if cn.weighted else "sum"), f"不适用（{word}）")
    if cn.is_leaf:
        rule = cn.node.rule
        assert rule is not None
        per_rows: list[dict[str, Any]] = []
        rollup = cn.rollup or default_leaf_rollup(cn.node, cs.cc.default_rollup)
        if isinstance(rule, FollowRule) and not by_period:
            text = _follow_text(result, cs, cn, rule, o, None, score)
        elif rollup.mode == "pool" and not by_period:
            text = _leaf_text(cs, cn, o, None, score)
        else:
            for p, code in enumerate(periods):
                ps = _f(cs.scores.periods[cn.index][p, o])
                if ps is not None:
                    per_rows.append({"period": code, "name": names.get(code, code), "score": ps,
                                     "text": _follow_text(result, cs, cn, rule, o, p, ps)
                                     if isinstance(rule, FollowRule) else _leaf_text(cs, cn, o, p, ps)})
            if rollup.mode == "pool":  # the year's own score pools; the group above used the periods
                text = (_follow_text(result, cs, cn, rule, o, None, score) if isinstance(rule, FollowRule)
                        else _leaf_text(cs, cn, o, None, score)) + "（上级按期合成，用的是下列各期的分）"
            else:
                text = _rollup_text(rollup, [(str(r["period"]), r["score"]) for r in per_rows], score, names)
        return TraceNode(cn.code, cn.name, score, cn.points, rule.method, text, _inputs(cs, cn, o, periods), per_rows)
    inner = by_period or cn.rollup is not None
    kids = [_node(result, cs, cs.cc.nodes[c], o, names, inner) for c in cn.children]
    group_rows: list[dict[str, Any]] = []
    if inner:  # each period's arithmetic as it was applied: the children's scores of that period
        for p, code in enumerate(periods):
            ps = _f(cs.scores.periods[cn.index][p, o])
            if ps is not None:
                kid_scores = [(k.name, _f(cs.scores.periods[c][p, o])) for c, k in zip(cn.children, kids, strict=True)]
                group_rows.append({"period": code, "name": names.get(code, code), "score": ps,
                                   "text": _group_text(cs, cn, kid_scores, ps, o)})
    if cn.rollup is not None:
        per = [(str(r["period"]), r["score"]) for r in group_rows]
        text = _rollup_text(cn.rollup, per, score, names)
    else:
        text = _group_text(cs, cn, [(k.name, k.score) for k in kids], score, o)
    return TraceNode(cn.code, cn.name, score, cn.points, "weighted" if cn.weighted else "sum", text, {},
                     group_rows, kids)


def _follow_text(result: ScoreResult, cs: CategoryScore, cn: CNode, rule: FollowRule, o: int, p: int | None,
                 score: float | None) -> str:
    """依据上级结果: "依据上级 科室甲（ks1）总分 92分 ÷ 100 × 100分 = 92分"."""
    f = cs.inputs.followed[cn.index]
    other = result.category(rule.category)
    v = _f(f.overall[o] if p is None else f.per[p, o])
    if rule.grades is not None:
        part = "等次折算（" + "、".join(f"{k} {pct(x)}" for k, x in rule.grades.items()) + "）"
        arithmetic = f"{pct(v or 0.0)} × {n(cn.points)}分 = {n(score)}分"
    else:
        part = "总分" if rule.indicator is None else next(c.name for c in other.cc.nodes if c.code == rule.indicator)
        arithmetic = f"{n(v)}分 ÷ {n(f.points)} × {n(cn.points)}分 = {n(score)}分"
    if f.children is not None:
        count = int(f.children[o])
        if not count or v is None:
            return f"没有 {other.cc.category.name or rule.category} 类别的下级 → 无分"
        return f"依据 {count} 个下级（{other.cc.category.name or rule.category}）的平均{part} {arithmetic}"
    g = int(f.parent[o])
    if g < 0:
        return f"没有 {rule.category} 类别的上级 → 无分"
    who = f"{result.objects.names[g]}（{result.objects.ids[g]}）"
    return f"依据上级 {who}{part} {arithmetic}"


def _or_nan(x: float | None) -> float:
    return float("nan") if x is None else x


def _f(x: Any) -> float | None:
    v = float(x)
    return None if v != v else v


def _group_text(cs: CategoryScore, cn: CNode, kids: list[tuple[str, float | None]], score: float | None,
                o: int) -> str:
    """A group's arithmetic from its children's (name, score): "a 40 + b 45 − 扣分 2 = 83分"."""
    parts = []
    adj = []
    part = 0.0  # points (weights) of the regular children that apply, when some do not
    gone = []
    for c, (name, score_k) in zip(cn.children, kids, strict=True):
        child = cs.cc.nodes[c]
        if _gone(cs, c, o):
            if not child.is_adjustment:
                gone.append(name)
            continue
        if not child.is_adjustment:
            part += (child.node.weight or 0.0) if cn.weighted else (child.points or 0.0)
        if child.is_adjustment:
            v = score_k or 0.0
            bonus = child.node.rule is not None and child.node.rule.method == "bonus"
            adj.append(f"{'+' if bonus else '−'} {name} {n(abs(v))}")
        elif cn.weighted:
            f = weight_factor(child.node.weight or 0, cn.node.weight_total, cn.points or 0, child.points or 1)
            parts.append(f"{name} {n(score_k)} × {n(f)}")
        else:
            parts.append(f"{name} {n(score_k)}")
    text = " + ".join(parts)
    if gone:  # re-based on the parts that apply: "(a + b) × 100 ÷ 90（不适用：专项）"
        whole = cn.node.weight_total if cn.weighted else (cn.points or 0.0)
        text = f"({text}) × {n(whole)} ÷ {n(part)}（不适用：{'、'.join(gone)}，按适用部分折算）"
    text += " " + " ".join(adj) if adj else ""
    caps = []
    if cn.node.bonus_cap is not None:
        caps.append(f"加分上限 {n(cn.node.bonus_cap)}")
    if cn.node.deduction_cap is not None:
        caps.append(f"扣分上限 {n(cn.node.deduction_cap)}")
    return f"{text} = {n(score)}分" + (f"（{'，'.join(caps)}）" if caps else "")


def _rollup_text(r: Rollup, per: list[tuple[str, float | None]], score: float | None,
                 names: dict[str, str]) -> str:
    mode, weights = r.mode, r.weights
    if not per:
        return "无数据"
    items = "，".join(f"{names.get(p, p)} {n(s)}" for p, s in per)
    if mode == "weighted" and weights:
        wt = r.weight_total()
        terms = " + ".join(f"{names.get(p, p)} {n(dict(per).get(p) or 0)} × {n(w / wt)}" for p, w in weights.items())
        return f"分期加权 {terms} = {n(score)}分"
    word = {"mean": "各期平均", "sum": "各期合计", "last": "取最近一期", "pool": "全年合计"}.get(mode, mode)
    return f"{word}（{items}）= {n(score)}分"


def _val(cs: CategoryScore, cn: CNode, var: str, o: int, p: int | None) -> float | None:
    key = (cn.code, var)
    if key not in cs.cc.slots:
        return None
    block = cs.inputs.dense[cs.cc.slots[key]][:, o]
    if p is not None:
        return _f(block[p])
    has = ~np.isnan(block)
    return float(block[has].sum()) if has.any() else None


def _inputs(cs: CategoryScore, cn: CNode, o: int, periods: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rule = cn.node.rule
    for var in rule.variables() if rule is not None else ():
        block = cs.inputs.dense[cs.cc.slots[(cn.code, var)]][:, o]
        out[var] = {p: float(v) for p, v in zip(periods, block.tolist(), strict=True) if v == v}
    obj = cs.inputs.objects[o]
    for table, attr in (("incidents", cs.inputs.incidents), ("ratings", cs.inputs.ratings)):
        if attr is not None and attr.height:
            rows = attr.filter((pl.col("_obj") == obj) & (pl.col("leaf") == cn.index))
            if rows.height:
                keep = [c for c in ("period", "item", "level", "count", "amount", "evidence", "rating", "score",
                                    "rater", "_r") if c in rows.columns]
                out[table] = rows.select(keep).rename({"_r": "row"}).to_dicts()
    return out


def _leaf_text(cs: CategoryScore, cn: CNode, o: int, p: int | None, score: float | None) -> str:
    rule = cn.node.rule
    pts = cn.points or 0.0

    def v(var: str) -> float | None:
        return _val(cs, cn, var, o, p)

    if isinstance(rule, RatioRule):
        x = v("value")
        t = rule.target if rule.target is not None else v("target")
        if x is None or t is None:
            return "未填报"
        if rule.lower_is_better:
            r = 1.0 if x <= t else t / x
            head = f"越低越好：实际 {n(x)}，目标 {n(t)}" + ("，未超目标" if x <= t else f"，目标÷实际 = {pct(r)}")
        else:
            r = x / t
            head = f"完成值 {n(x)} ÷ 目标值 {n(t)} = 完成率 {pct(r)}"
        r = max(min(r, 1.0), 0.0)
        if rule.zero_below and r < rule.zero_below:
            return f"{head}，低于 {pct(rule.zero_below)} 不得分 = 0分"
        text = f"{head}；{pct(r)} × {n(pts)}分 = {n(pts * r)}分"
        ch = rule.challenge
        if ch is not None:
            linear = "按比例" if ch.mode == "linear" else ""
            text += f"；挑战值 {n(ch.value)}{linear}加分（最多 {n(ch.bonus)}分）"
        return text + f" → {n(score)}分"
    if isinstance(rule, IncidentRule):
        parts = []
        for it in rule.items:
            amt = cs.inputs.incident_amounts.get((cn.index, it.code))
            cnt = cs.inputs.incident_counts.get((cn.index, it.code))
            if amt is None or cnt is None:
                continue
            a = float(amt[:, o].sum() if p is None else amt[p, o])
            c = float(cnt[:, o].sum() if p is None else cnt[p, o])
            if c:
                counted = f"，计 {n(min(a, it.cap))}分（单项上限 {n(it.cap)}）" if it.cap is not None and a > it.cap \
                    else ""
                parts.append(f"{it.name or it.code} {n(c)}次 共 {n(a)}分{counted}")
        word = "加分" if rule.method == "bonus" else "扣分"
        cap = rule.cap if rule.cap is not None else cn.points
        capt = f"，累计{word}上限 {n(cap)}分" if cap is not None else ""
        if not parts:
            return f"无{word}事项 → {n(score)}分"
        return f"{'；'.join(parts)}{capt} → {n(score)}分"
    if isinstance(rule, RatingRule | GradeMapRule | ManualRule):
        rs = cs.inputs.rating_sum.get(cn.index)
        rc = cs.inputs.rating_count.get(cn.index)
        if isinstance(rule, ManualRule):
            # Every score given counts once: one per period with a value, one per rater.
            block = cs.inputs.dense[cs.cc.slots[(cn.code, "value")]][:, o]
            vals = block if p is None else block[p:p + 1]
            given = [float(x) for x in vals.tolist() if x == x]
            if rs is not None and rc is not None:
                rsum = float(rs[:, o].sum() if p is None else rs[p, o])
                rcnt = float(rc[:, o].sum() if p is None else rc[p, o])
            else:
                rsum = rcnt = 0.0
            count = len(given) + rcnt
            if count == 0:
                return "未评分"
            if count == 1 and given:
                return f"评分 {n(given[0])}分"
            return f"{n(count)}个评分（合计 {n(sum(given) + rsum)}分）平均 = {n(score)}分"
        if rs is None or rc is None:
            return "无测评数据"
        ssum = float(rs[:, o].sum() if p is None else rs[p, o])
        csum = float(rc[:, o].sum() if p is None else rc[p, o])
        if isinstance(rule, RatingRule):
            mean = ssum / csum if csum else float("nan")
            return f"{n(csum)}票平均 {n(mean)}分（{'/'.join(f'{k}{n(x)}' for k, x in rule.scale.items())}）" \
                   f" × {n(pts)}分 ÷ {n(rule.full)} = {n(score)}分"
        return _grade_map_text(cs, cn, rule, o, p, score)
    if isinstance(rule, TiersRule):
        x = v("value")
        return "未填报" if x is None else f"数值 {n(x)} 落在分档 → {n(score)}分"
    if isinstance(rule, PlanRule):
        actual, planned = v("actual"), v("planned")
        if actual is None or planned is None or not planned:
            return "无计划数据"
        return (f"实际 {n(actual)} ÷ 计划 {n(planned)} = {pct(actual / planned)}（上限 {pct(rule.cap_ratio)}）"
                f"× {n(pts)}分 = {n(score)}分")
    if isinstance(rule, SupervisionRule):
        due, on = v("due") or 0.0, v("on_time") or 0.0
        od, rt = v("overdue") or 0.0, v("returned") or 0.0
        rate = min(on / due, 1.0) if due > 0 else 1.0
        return (f"按时办结 {n(on)}/{n(due)} = {pct(rate)} × {n(pts)}分 − 逾期 {n(od)}件 × {n(rule.per_overdue)}分"
                f" − 退回 {n(rt)}件 × {n(rule.per_returned)}分 = {n(score)}分")
    if isinstance(rule, FormulaRule):
        assert cn.formula is not None
        env: dict[str, float] = {var: _or_nan(v(var)) for var in rule.variables()}
        env |= {"points": pts, "target": rule.target or float("nan"), "challenge": rule.challenge or float("nan")}
        return f"{rule.expression} = {cn.formula.render(env)} → {n(score)}分"
    return n(score)
