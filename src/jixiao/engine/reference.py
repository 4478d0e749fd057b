"""A plain per-value reference implementation of the scoring rules.

It walks dictionaries one value at a time, the way a clerk's spreadsheet would, and shares
nothing with the column-wise engine but the scheme model, the documented scalar rounding
and the order of the arithmetic that the rounding rules fix. The property tests compare the
two on random schemes and data; the benchmark measures how much faster the engine is.
It expects data the engine has already accepted: it does not validate.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from jixiao.engine.data import DataSet
from jixiao.engine.formula import parse_formula
from jixiao.engine.rounding import round_count, round_half_up_scalar
from jixiao.engine.scheme.checks import category_order, effective_points, follows, is_weighted
from jixiao.engine.scheme.model import Category, Eligibility, MultiYear, Node, Rollup, Scheme
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

NAN = float("nan")


@dataclass
class RefRow:
    object_id: str
    category: str
    group: str
    total: float
    rank: int
    grade: str | None
    eligible_top: bool
    vetoed: bool
    components: dict[str, float]


def isnan(x: float) -> bool:
    return x != x


class _Ctx:
    def __init__(self, scheme: Scheme, data: DataSet):
        self.scheme = scheme
        self.periods = scheme.periods.resolved()
        self.d = scheme.rounding.decimals
        self.values: dict[tuple[str, str, str, str], float] = {}
        for row in data.values.iter_rows(named=True):
            var = row.get("variable") or "value"
            self.values[(str(row["object"]), str(row["indicator"]), var, str(row["period"]))] = float(row["value"])
        self.incidents: dict[tuple[str, str, str, str], list[tuple[float, int]]] = defaultdict(list)
        self.vetoes: dict[tuple[str, str], bool] = {}
        self.ratings: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
        self.data = data
        self.root: Node | None = None
        self.group: dict[str, str] = {}
        # Results of the categories already scored, for follow rules.
        self.cat_of: dict[str, str] = {}
        self.parent: dict[str, str | None] = {}
        self.oversees: dict[str, list[str]] = {}
        self.points: dict[tuple[str, str], float] = {}
        self.overall: dict[tuple[str, str], float] = {}
        self.per_scores: dict[tuple[str, str, str], float] = {}
        self.grades: dict[str, str | None] = {}
        self.na_codes: dict[str, set[str]] = defaultdict(set)
        if data.has_objects:
            for row in data.objects.iter_rows(named=True):
                self.group[row["object"]] = row["group"]
                self.parent[row["object"]] = row["parent"]
                self.oversees[row["object"]] = re.findall(r"[^\s,;，；、]+", row.get("oversees") or "")
                for code in re.findall(r"[^\s,;，；、]+", row.get("not_applicable") or ""):
                    self.na_codes[row["object"]].add(code)
        else:
            for row in data.values.iter_rows(named=True):
                if row["group"] is not None:
                    self.group.setdefault(str(row["object"]), str(row["group"]))

    def applies(self, node: Node, o: str) -> bool:
        """Whether a node applies to an object: its groups let the object in, the object does not
        name it as not applicable, and (a group) some regular child applies."""
        if node.applies_to is not None and self.group.get(o) not in node.applies_to:
            return False
        if node is not self.root and node.code in self.na_codes.get(o, ()):
            return False
        if node.is_leaf:
            return True
        return any(self.applies(c, o) for c in node.children if not c.is_adjustment)

    def rnd(self, x: float) -> float:
        return round_half_up_scalar(x, self.d)

    def node(self, x: float, node: Node) -> float:
        """A node's score: rounded at every node, or only at the root (rounding.at: total)."""
        if self.scheme.rounding.at == "nodes" or node is self.root:
            return self.rnd(x)
        return x


def reference_score(scheme: Scheme, data: DataSet) -> dict[str, RefRow]:
    ctx = _Ctx(scheme, data)
    objects = _objects(data)
    group_cat = {g: c.code for c in scheme.categories for g in c.group_codes}
    out: dict[str, RefRow] = {}
    grades_by_obj: dict[str, str | None] = ctx.grades
    node_scores: dict[tuple[str, str], float] = {}
    for cat in category_order(scheme):
        members = [o for o, (g, _) in objects.items() if group_cat.get(g) == cat.code]
        _load_inputs(ctx, cat, set(members))
        root = cat.root(scheme.scale)
        ctx.root = root
        totals: dict[str, float] = {}
        comps: dict[str, dict[str, float]] = {}
        for o in members:
            overall = _overall(ctx, cat, root, o, out_scores=node_scores)
            totals[o] = overall
            comps[o] = {c.code: node_scores[(o, c.code)] for c in root.children}
        followed = any(r.category == cat.code for c in scheme.categories for n in c.indicators for r in follows(n))
        for o in members:
            ctx.cat_of[o] = cat.code
            for nd in root.walk():
                ctx.points[(cat.code, nd.code)] = effective_points(nd) or 100.0
                ctx.overall[(o, nd.code)] = node_scores[(o, nd.code)]
                for p in ctx.periods if followed else ():
                    ctx.per_scores[(o, nd.code, p)] = _period_score(ctx, cat, nd, o, p)
        rows = _results(ctx, cat, members, objects, totals, comps, grades_by_obj, node_scores,
                        effective_points(root) or 100.0)
        for r in rows:
            out[r.object_id] = r
            grades_by_obj[r.object_id] = r.grade
    return out


def _objects(data: DataSet) -> dict[str, tuple[str, str | None]]:
    objs: dict[str, tuple[str, str | None]] = {}
    if data.has_objects:
        for row in data.objects.iter_rows(named=True):
            objs[row["object"]] = (row["group"], row["parent"])
    else:
        for row in data.values.iter_rows(named=True):
            if row["group"] is not None and row["object"] not in objs:
                objs[str(row["object"])] = (str(row["group"]), None)
    return objs


def _load_inputs(ctx: _Ctx, cat: Category, members: set[str]) -> None:
    leaves = {n.code: n for n in cat.root(ctx.scheme.scale).walk() if n.is_leaf}
    vetoes = {v.code for v in cat.results.vetoes}
    for i, row in enumerate(ctx.data.incidents.iter_rows(named=True)):
        o, ind = row["object"], row["indicator"]
        if o not in members:
            continue
        if ind in vetoes:
            ctx.vetoes[(o, ind)] = True
            continue
        rule = leaves[ind].rule
        assert isinstance(rule, IncidentRule)
        item_code = row["item"] or rule.items[0].code
        item = next(it for it in rule.items if it.code == item_code)
        count = row["count"] if row["count"] is not None else 1.0
        amount: float | None
        if item.levels is not None:
            amount = item.levels[row["level"]]
        elif item.range is not None:
            amount = row["amount"]
        else:
            amount = item.per
        assert amount is not None
        ctx.incidents[(o, ind, item_code, row["period"])].append((amount * count, i))
    for i, row in enumerate(ctx.data.ratings.iter_rows(named=True)):
        o, ind = row["object"], row["indicator"]
        if o not in members:
            continue
        rule = leaves[ind].rule
        pts = leaves[ind].points or 0.0
        count = row["count"] if row["count"] is not None else 1.0
        if isinstance(rule, RatingRule):
            sc = rule.scale[row["rating"]]
        elif isinstance(rule, GradeMapRule):
            g = rule.grades[row["rating"]]
            mult = pts if rule.basis == "share" else 1.0
            if isinstance(g, GradeLine):
                sc = g.value(row["score"], 1.0 if rule.basis == "share" else pts) * mult
            else:
                lo, hi = (g if isinstance(g, tuple) else (g, g))
                sc = lo * mult if lo == hi else row["score"]
        else:
            sc = float(row["rating"])
        ctx.ratings[(o, ind, row["period"])].append((sc, count, i))


def _overall(ctx: _Ctx, cat: Category, node: Node, o: str, *,
             out_scores: dict[tuple[str, str], float]) -> float:
    own = node.periods
    if not ctx.applies(node, o):
        for below in node.walk():  # nothing below a part that does not apply has a score
            out_scores[(o, below.code)] = NAN
        return NAN
    if own is not None and not (node.is_leaf and own.mode == "pool"):
        for c in node.children:
            _overall(ctx, cat, c, o, out_scores=out_scores)
        exact = ctx.scheme.rounding.at == "total"
        per = [_period_score(ctx, cat, node, o, p, exact=exact) for p in ctx.periods]
        score = ctx.node(_rollup(own, ctx.periods, per), node)
    elif node.is_leaf:
        r = own
        if r is None:
            r = Rollup(mode="pool") if isinstance(node.rule, IncidentRule | RatingRule | FollowRule) \
                else ctx.scheme.periods.rollup
        if r.mode == "pool":
            score = ctx.node(_leaf(ctx, node, o, None), node)
        else:
            per = [_period_score(ctx, cat, node, o, p) for p in ctx.periods]
            score = ctx.node(_rollup(r, ctx.periods, per), node)
    else:
        kids = [_overall(ctx, cat, c, o, out_scores=out_scores) for c in node.children]
        gone = [not ctx.applies(c, o) for c in node.children]
        score = ctx.node(_combine(cat, node, kids, is_root=node is ctx.root, gone=gone), node)
    out_scores[(o, node.code)] = score
    return score


def _period_score(ctx: _Ctx, cat: Category, node: Node, o: str, period: str, *, exact: bool = False) -> float:
    """A node's score in one period; ``exact`` leaves even the root unrounded."""
    if not ctx.applies(node, o):
        return NAN
    if node.is_leaf:
        return ctx.node(_leaf(ctx, node, o, period), node)
    kids = [_period_score(ctx, cat, c, o, period) for c in node.children]
    gone = [not ctx.applies(c, o) for c in node.children]
    raw = _combine(cat, node, kids, is_root=node is ctx.root, gone=gone)
    return raw if exact else ctx.node(raw, node)


def _combine(cat: Category, node: Node, kids: list[float], *, is_root: bool, gone: list[bool]) -> float:
    weighted = is_weighted(node)
    pts = effective_points(node) or 0.0
    acc = 0.0
    has = False
    bonus = 0.0
    ded = 0.0
    adjustments = False
    part = 0.0
    for child, g in zip(node.children, gone, strict=True):
        if not child.is_adjustment:
            share = (child.weight or 0.0) if weighted else (effective_points(child) or 0.0)
            part = part + (0.0 if g else share)
    rebase = any(g for child, g in zip(node.children, gone, strict=True) if not child.is_adjustment)
    for child, k in zip(node.children, kids, strict=True):
        v = 0.0 if isnan(k) else k
        if child.is_adjustment:
            adjustments = True
            if child.rule is not None and child.rule.method == "bonus":
                bonus = bonus + v
            else:
                ded = ded - v
            continue
        if weighted:
            factor = ((child.weight or 0.0) / node.weight_total) * (pts / (effective_points(child) or 1.0))
            acc = acc + v * factor
        else:
            acc = acc + v
        has = has or not isnan(k)
    if rebase and has:
        # Parts that do not apply are left out; the rest is scaled up to the group's points.
        acc = acc * ((node.weight_total if weighted else pts) / part)
    if adjustments:
        if node.bonus_cap is not None:
            bonus = min(bonus, node.bonus_cap)
        if node.deduction_cap is not None:
            ded = min(ded, node.deduction_cap)
        acc = acc + bonus - ded
    floor = cat.min_score if is_root else (0.0 if adjustments else None)
    if floor is not None:
        acc = max(acc, floor)
    return acc if has else NAN


def _rollup(r: Rollup, periods: list[str], per: list[float]) -> float:
    if r.mode == "weighted":
        assert r.weights is not None
        wt = r.out_of if r.out_of is not None else sum(r.weights.values())
        acc = 0.0
        any_data = False
        for code, s in zip(periods, per, strict=True):
            if code in r.weights:
                acc = acc + (0.0 if isnan(s) else s) * (r.weights[code] / wt)
                any_data = any_data or not isnan(s)
        return acc if any_data else NAN
    if r.mode == "last":
        out = NAN
        for s in per:
            if not isnan(s):
                out = s
        return out
    total = 0.0
    count = 0.0
    for s in per:
        if not isnan(s):
            total = total + s
            count = count + 1.0
    if count == 0:
        return NAN
    return total / count if r.mode == "mean" else total


def _var(ctx: _Ctx, o: str, code: str, var: str, period: str | None) -> float:
    if period is not None:
        return ctx.values.get((o, code, var, period), NAN)
    total, seen = 0.0, False
    for p in ctx.periods:
        v = ctx.values.get((o, code, var, p))
        if v is not None and not isnan(v):
            total, seen = total + v, True
    return total if seen else NAN


def _leaf(ctx: _Ctx, node: Node, o: str, period: str | None) -> float:
    rule = node.rule
    pts = node.points or 0.0
    periods = ctx.periods if period is None else [period]
    code = node.code
    if isinstance(rule, FollowRule):
        part = rule.indicator or rule.category

        def source(x: str) -> float:
            if rule.grades is not None:
                g = ctx.grades.get(x)
                return rule.grades.get(g, NAN) if g is not None else NAN
            return ctx.overall[(x, part)] if period is None else ctx.per_scores[(x, part, period)]

        pp = 1.0 if rule.grades is not None else ctx.points[(rule.category, part)]
        if rule.of == "children":
            acc, cnt = 0.0, 0.0
            for x, in_cat in ctx.cat_of.items():
                if in_cat == rule.category and ctx.parent.get(x) == o:
                    v = source(x)
                    if not isnan(v):
                        acc, cnt = acc + v, cnt + 1.0
            return (acc / cnt if cnt > 0 else NAN) / pp * pts
        parent = _ancestor(ctx, o, rule.category)
        if parent is None:
            return NAN
        return source(parent) / pp * pts
    if isinstance(rule, IncidentRule):
        total = 0.0
        for it in rule.items:
            amount = 0.0
            for p in periods:
                cell = 0.0
                for pts_i, _ in sorted(ctx.incidents.get((o, code, it.code, p), [])):
                    cell = cell + pts_i
                amount = amount + cell
            capped = min(amount, it.cap) if it.cap is not None else amount
            total = total + capped
        cap = rule.cap if rule.cap is not None else node.points
        if cap is not None:
            total = min(total, cap)
        if rule.method == "bonus":
            return total + 0.0
        if rule.base == "full":
            return max(pts - total, 0.0)
        return 0.0 - total
    if isinstance(rule, RatingRule | GradeMapRule | ManualRule):
        s = c = 0.0
        present = False
        for p in periods:
            cs = cc = 0.0
            rows = ctx.ratings.get((o, code, p), [])
            for sc, cnt, _ in sorted(rows, key=lambda r: (r[0], r[2])):
                cs = cs + sc * cnt
                cc = cc + cnt
            present = present or bool(rows)
            s, c = s + cs, c + cc
        if isinstance(rule, ManualRule):
            vsum = vcnt = 0.0
            for p in periods:
                v = ctx.values.get((o, code, "value", p), NAN)
                if not isnan(v):
                    vsum, vcnt = vsum + v, vcnt + 1.0
            if present or _has_ratings(ctx, o, code):
                vsum, vcnt = vsum + s, vcnt + c
            return vsum / max(vcnt, 1.0) if vcnt > 0 else NAN
        mean = s / c if c > 0 else NAN
        if isinstance(rule, RatingRule):
            return pts * mean / rule.full
        return mean
    if isinstance(rule, RatioRule):
        v = _var(ctx, o, code, "value", period)
        t = rule.target if rule.target is not None else _var(ctx, o, code, "target", period)
        if isnan(v):
            return NAN
        if rule.lower_is_better:
            ratio = 1.0 if v <= t else (t / v if v != 0 else NAN)
        else:
            ratio = v / t if t != 0 else NAN
        ratio = max(min(ratio, 1.0), 0.0)
        if rule.zero_below > 0 and ratio < rule.zero_below:
            ratio = 0.0
        score = pts * ratio
        ch = rule.challenge
        if ch is not None:
            if ch.mode == "step":
                reached = v <= ch.value if rule.lower_is_better else v >= ch.value
                bonus = ch.bonus if reached else 0.0
            else:
                frac = (v - t) / (ch.value - t)
                bonus = ch.bonus * max(min(frac, 1.0), 0.0)
            score = score + bonus
        return score
    if isinstance(rule, TiersRule):
        v = _var(ctx, o, code, "value", period)
        if isnan(v):
            return NAN
        mult = pts if rule.basis == "share" else 1.0
        out = rule.below * mult
        for tier in sorted(rule.tiers, key=lambda x: x.min):
            if v >= tier.min:
                out = tier.score * mult
        return out
    if isinstance(rule, PlanRule):
        planned = _var(ctx, o, code, "planned", period)
        actual = _var(ctx, o, code, "actual", period)
        ratio = actual / planned if planned > 0 else NAN
        return pts * min(ratio, rule.cap_ratio)
    if isinstance(rule, SupervisionRule):
        vals = [_var(ctx, o, code, v, period) for v in ("due", "on_time", "overdue", "returned")]
        if all(isnan(x) for x in vals):
            return NAN
        due, on_time, overdue, returned = (0.0 if isnan(x) else x for x in vals)
        rate = min(on_time / due, 1.0) if due > 0 else 1.0
        ded = rule.per_overdue * overdue + rule.per_returned * returned
        if rule.cap is not None:
            ded = min(ded, rule.cap)
        return max(pts * rate - ded, 0.0)
    if isinstance(rule, FormulaRule):
        names = set(rule.variables()) | {"points", "target", "challenge"}
        f = parse_formula(rule.expression, names)
        env = {v: _var(ctx, o, code, v, period) for v in rule.variables()}
        env["points"] = pts
        env["target"] = rule.target if rule.target is not None else NAN
        env["challenge"] = rule.challenge if rule.challenge is not None else NAN
        out = f.evaluate_scalar(env)
        lo = rule.min if rule.min is not None else 0.0
        hi = rule.max if rule.max is not None else pts
        return min(max(out, lo), hi)
    raise TypeError(type(rule).__name__)


def _parent_hit(ctx: _Ctx, rule: Eligibility, parent: str, grades_by_obj: dict[str, str | None],
                node_scores: dict[tuple[str, str], float]) -> bool:
    """Whether one linked object (the parent, or an overseen unit) meets the rule's condition."""
    if rule.when.parent_grade_in is not None:
        return grades_by_obj.get(parent) in rule.when.parent_grade_in
    pv = rule.when.parent_value
    assert pv is not None and rule.when.parent_category is not None
    pcat = ctx.scheme.category(rule.when.parent_category)
    pnode = next(n for n in pcat.root(ctx.scheme.scale).walk() if n.code == pv.indicator)
    if pv.measure == "percent":
        m = node_scores.get((parent, pv.indicator), NAN) / (effective_points(pnode) or 100.0) * 100.0
    else:
        vals = [ctx.values[(parent, pv.indicator, "value", p)] for p in ctx.periods
                if (parent, pv.indicator, "value", p) in ctx.values]
        m = sum(vals) / len(vals) if vals else NAN
    return (math.inf if isnan(m) else m) < pv.below


def _ancestor(ctx: _Ctx, o: str, category: str) -> str | None:
    """The nearest object above ``o`` (its parent, the parent's parent, …) in ``category``."""
    cur = ctx.parent.get(o)
    for _ in range(16):
        if cur is None:
            return None
        if ctx.cat_of.get(cur) == category:
            return cur
        cur = ctx.parent.get(cur)
    return None


def _has_ratings(ctx: _Ctx, o: str, code: str) -> bool:
    return any(ctx.ratings.get((o, code, p)) for p in ctx.periods)


def _results(ctx: _Ctx, cat: Category, members: list[str], objects: dict[str, tuple[str, str | None]],
             totals: dict[str, float], comps: dict[str, dict[str, float]], grades_by_obj: dict[str, str | None],
             node_scores: dict[tuple[str, str], float], points: float) -> list[RefRow]:
    res = cat.results
    group_of = {o: objects[o][0] for o in members}
    scope = {o: (group_of[o] if res.ranking == "group" else cat.code) for o in members}
    rank = _ranks(members, totals, scope)
    eligible = {o: True for o in members}
    vetoed = {o: False for o in members}
    forced: dict[str, str] = {}
    for v in res.vetoes:
        for o in members:
            if ctx.vetoes.get((o, v.code)):
                vetoed[o] = True
                if v.effect == "no_top":
                    eligible[o] = False
                else:
                    assert v.grade is not None
                    forced.setdefault(o, v.grade)
    scope_size: dict[str, int] = defaultdict(int)
    for o in members:
        scope_size[scope[o]] += 1
    for rule in res.eligibility:
        for o in members:
            parent = _ancestor(ctx, o, rule.when.parent_category) if rule.when.parent_category else None
            if rule.groups is not None and group_of[o] not in rule.groups:
                continue
            if rule.when.own_value is not None:
                ov = rule.when.own_value
                node = next(n for n in ctx.root.walk() if n.code == ov.indicator) if ctx.root else None
                assert node is not None
                reads_value = node.rule is not None and "value" in node.rule.variables()
                if ov.measure == "percent":
                    m = node_scores.get((o, ov.indicator), NAN) / (effective_points(node) or 100.0) * 100.0
                elif reads_value:
                    vals = [ctx.values[(o, ov.indicator, "value", p)] for p in ctx.periods
                            if (o, ov.indicator, "value", p) in ctx.values]
                    m = sum(vals) / len(vals) if vals else NAN
                else:
                    m = node_scores.get((o, ov.indicator), NAN)
                hit = (math.inf if isnan(m) else m) < ov.below
            elif rule.when.rank_after is not None:
                ra = rule.when.rank_after
                hit = rank[o] > round_count(ra.share * scope_size[scope[o]], ra.rounding)
            else:
                # The nearest ancestor in the category, and every overseen object (or its ancestor) there.
                assert rule.when.parent_category is not None
                pc = rule.when.parent_category
                linked = [parent] + [x if ctx.cat_of.get(x) == pc else _ancestor(ctx, x, pc)
                                     for x in ctx.oversees.get(o, [])]
                hit = any(_parent_hit(ctx, rule, x, grades_by_obj, node_scores) for x in linked if x is not None)
            if not hit:
                continue
            if rule.effect == "no_top":
                eligible[o] = False
            else:
                assert rule.grade is not None
                forced[o] = rule.grade
    my = res.multi_year
    if my is not None and my.effect != "report":
        ok = _multi_year_ok(ctx, my, members, group_of, totals)
        for o in members:
            if not ok[o]:
                if my.effect == "no_top":
                    eligible[o] = False
                else:
                    assert my.grade is not None
                    forced[o] = my.grade
    grade: dict[str, str | None] = {o: None for o in members}
    if res.grades is not None:
        bands = res.grades.bands
        value = {o: totals[o] if res.grades.basis == "points" else totals[o] / points * 100.0 for o in members}
        value = {o: (-math.inf if isnan(v) else round(v * 1e9) / 1e9) for o, v in value.items()}
        placed: set[str] = set()
        rest = max(i for i, b in enumerate(bands) if b.last is None)
        taken: dict[str, int] = defaultdict(int)
        reach = 0
        for b in range(len(bands) - 1, rest, -1):
            # From the bottom: an object is in when every object at or below its score fits.
            reach += bands[b].last or 0
            left = [o for o in members if o not in placed and o not in forced]
            award = {o for o in left
                     if sum(1 for x in left if scope[x] == scope[o] and value[x] <= value[o])
                     <= reach - taken[scope[o]]}
            for o in award:
                grade[o] = bands[b].name
                taken[scope[o]] += 1
            placed |= award
        taken = defaultdict(int)
        reach = 0
        for b, band in enumerate(bands[:rest]):
            cand = [o for o in members if o not in placed and o not in forced
                    and (value[o] >= band.min if band.min is not None else value[o] > -math.inf)
                    and (b > 0 or eligible[o])]
            award = set(cand)
            if band.count is not None:
                # From the top: an object is in when fewer objects than the places left are above it.
                reach += band.count
                award = {o for o in cand
                         if 1 + sum(1 for x in cand if scope[x] == scope[o] and value[x] > value[o])
                         <= reach - taken[scope[o]]}
                for o in award:
                    taken[scope[o]] += 1
            elif band.quota is not None:
                q = band.quota
                award = set()
                by_scope: dict[str, list[str]] = defaultdict(list)
                sizes: dict[str, int] = defaultdict(int)
                for o in members:
                    s = group_of[o] if q.per == "group" else cat.code
                    sizes[s] += 1
                for o in cand:
                    by_scope[group_of[o] if q.per == "group" else cat.code].append(o)
                for s, os_ in by_scope.items():
                    count = max(round_count(q.share * sizes[s], q.rounding), q.min_count)
                    count = min(count, q.max_count) if q.max_count is not None else count
                    count = min(count, sizes[s])
                    if q.discretion:  # the places above min_count are left to the leaders
                        count = min(q.min_count, sizes[s])
                    ordered = sorted(os_, key=lambda o: -value[o])
                    for o in ordered:
                        r = 1 + sum(1 for x in ordered if value[x] > value[o])
                        tie = sum(1 for x in ordered if value[x] == value[o])
                        if r <= count and (q.ties == "include" or r + tie - 1 <= count):
                            award.add(o)
            for o in award:
                grade[o] = band.name
            placed |= award
        for o in members:
            if grade[o] is None:
                grade[o] = bands[rest].name
        for o, g in forced.items():
            grade[o] = g
    return [RefRow(object_id=o, category=cat.code, group=group_of[o], total=totals[o], rank=rank[o],
                   grade=grade[o], eligible_top=eligible[o] and o not in forced, vetoed=vetoed[o],
                   components=comps[o]) for o in members]


def _multi_year_ok(ctx: _Ctx, my: MultiYear, members: list[str], group_of: dict[str, str],
                   totals: dict[str, float]) -> dict[str, bool]:
    """Each of the last ``years`` totals ≥ min_each, or their (rounded) sum in the top share of the group."""
    past: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in ctx.data.history.iter_rows(named=True):
        past[row["object"]].append((row["period"], row["total"]))
    years: dict[str, list[float]] = {}
    for o in members:
        latest = [t for _, t in sorted(past.get(o, []), key=lambda r: r[0], reverse=True)[: my.years - 1]]
        years[o] = latest + [totals[o]]
    complete = {o: len(y) == my.years and not any(isnan(t) for t in y) for o, y in years.items()}
    ok = {o: complete[o] and all(t >= my.min_each for t in years[o]) for o in members}
    if my.or_top_share is not None:
        sums: dict[str, float] = {}
        for o in members:
            acc = 0.0
            for t in years[o]:
                acc = acc + t
            sums[o] = ctx.rnd(acc) if complete[o] else NAN
        rank = _ranks(members, sums, group_of)
        size: dict[str, int] = defaultdict(int)
        for o in members:
            size[group_of[o]] += 1
        for o in members:
            limit = round_count(my.or_top_share * size[group_of[o]], my.or_top_rounding)
            ok[o] = ok[o] or (complete[o] and rank[o] <= limit)
    return ok


def _ranks(members: list[str], totals: dict[str, float], scope: dict[str, str]) -> dict[str, int]:
    out = {}
    for o in members:
        t = totals[o]
        mine = -math.inf if isnan(t) else t
        better = 0
        for x in members:
            if scope[x] != scope[o]:
                continue
            other = -math.inf if isnan(totals[x]) else totals[x]
            if other > mine:
                better += 1
        out[o] = better + 1
    return out
