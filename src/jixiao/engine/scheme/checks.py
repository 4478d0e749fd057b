"""Whole-scheme checks that a single model cannot make on its own.

Every check yields ``(path, message)`` pairs; the loader turns paths into file lines. They
run only on a scheme that parsed, so each check may rely on the types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jixiao.engine.formula import FormulaError, parse_formula
from jixiao.engine.scheme.model import Category, Node, Rollup, Scheme
from jixiao.engine.scheme.rules import (
    FollowRule,
    FormulaRule,
    GradeLine,
    GradeMapRule,
    ManualRule,
    RatioRule,
    TiersRule,
)

Path = tuple[Any, ...]
Found = Iterator[tuple[Path, str]]
TOLERANCE = 1e-9


def effective_points(node: Node) -> float | None:
    """The maximum regular score of a node: its points, else the sum of its children's
    points (plain group) or 100 (weighted group). Adjustments without points have none."""
    if node.points is not None:
        return node.points
    if node.is_leaf:
        return None
    regular = [c for c in node.children if not c.is_adjustment]
    if any(c.weight is not None for c in regular):
        return 100.0
    total = 0.0
    for c in regular:
        p = effective_points(c)
        if p is None:
            return None
        total += p
    return total


def is_weighted(node: Node) -> bool:
    return any(c.weight is not None for c in node.children if not c.is_adjustment)


def check_scheme(scheme: Scheme) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    periods = set(scheme.periods.resolved())
    found.extend(_rollup_periods(("periods", "rollup"), scheme.periods.rollup, periods))
    group_owner: dict[str, int] = {}
    for ci, cat in enumerate(scheme.categories):
        base: Path = ("categories", ci)
        for g in cat.group_codes:
            if g in group_owner:
                found.append((base + ("groups",), f"ranking group '{g}' already belongs to category "
                              f"'{scheme.categories[group_owner[g]].code}'"))
            group_owner[g] = ci
        found.extend(_check_category(scheme, cat, base, periods))
    if len({c.code for c in scheme.categories}) != len(scheme.categories):
        found.append((("categories",), "category codes repeat"))
    found.extend(_category_cycles(scheme))
    return found


def _check_category(scheme: Scheme, cat: Category, base: Path, periods: set[str]) -> Found:
    root = cat.root(scheme.scale)
    seen: dict[str, Path] = {}
    yield from _check_node(root, base, seen, periods, is_root=True, declared=cat.points)
    if cat.points is None and not is_weighted(root):
        total = effective_points(root.model_copy(update={"points": None}))
        if total is not None and abs(total - scheme.scale) > TOLERANCE:
            yield (base + ("indicators",), f"the indicators' points add up to {total:g}, "
                   f"but the category is worth {scheme.scale:g} (set points: {total:g} or fix them)")
    yield from _check_applies(root, base, cat.group_codes, is_root=True)
    yield from _check_follow(scheme, cat, root, base, is_root=True)
    res = cat.results
    band_names = [b.name for b in res.grades.bands] if res.grades else []
    if res.grades:
        yield from _check_bands(res.grades.bands, base + ("results", "grades", "bands"))
    for vi, veto in enumerate(res.vetoes):
        p = base + ("results", "vetoes", vi)
        if veto.code in seen:
            yield (p + ("code",), f"veto code '{veto.code}' is also an indicator code")
        if veto.grade is not None and veto.grade not in band_names:
            yield (p + ("grade",), f"grade '{veto.grade}' is not one of the bands {band_names}")
    for ei, rule in enumerate(res.eligibility):
        p = base + ("results", "eligibility", ei)
        if rule.effect == "force_grade" and rule.grade not in band_names:
            yield (p + ("grade",), f"grade '{rule.grade}' is not one of the bands {band_names}")
        for g in rule.groups or []:
            if g not in cat.group_codes:
                yield (p + ("groups",), f"group '{g}' is not a group of this category")
        own = rule.when.own_value
        if own is not None and own.indicator not in seen:
            yield (p + ("when", "own_value", "indicator"), f"no indicator '{own.indicator}' in category '{cat.code}'")
        if rule.when.parent_category is None:
            continue
        parents = [c for c in scheme.categories if c.code == rule.when.parent_category]
        if not parents:
            yield (p + ("when", "parent_category"), f"no category '{rule.when.parent_category}'")
            continue
        parent = parents[0]
        if rule.when.parent_grade_in is not None:
            pg = parent.results.grades
            names = [b.name for b in pg.bands] if pg else []
            for g in rule.when.parent_grade_in:
                if g not in names:
                    yield (p + ("when", "parent_grade_in"),
                           f"grade '{g}' is not a grade of category '{parent.code}' {names}")
        if rule.when.parent_value is not None:
            codes = {n.code for n in parent.root(scheme.scale).walk()}
            if rule.when.parent_value.indicator not in codes:
                yield (p + ("when", "parent_value", "indicator"),
                       f"no indicator '{rule.when.parent_value.indicator}' in category '{parent.code}'")
    if res.multi_year and res.multi_year.min_each < 0:
        yield (base + ("results", "multi_year", "min_each"), "must not be negative")
    if res.multi_year and res.multi_year.grade is not None and res.multi_year.grade not in band_names:
        yield (base + ("results", "multi_year", "grade"), f"grade '{res.multi_year.grade}' is not one of the bands "
               f"{band_names}")


def applies_to_group(node: Node, group: str) -> bool:
    """Whether a node applies to the objects of a ranking group: its ``applies_to`` lets them in,
    and (a group) at least one of its regular children applies to them."""
    if node.applies_to is not None and group not in node.applies_to:
        return False
    if node.is_leaf:
        return True
    return any(applies_to_group(c, group) for c in node.children if not c.is_adjustment)


def _check_applies(node: Node, p: Path, groups: list[str], *, is_root: bool = False) -> Found:
    """``applies_to`` names groups of the category; a part that may not apply has points to re-base
    its group on; every group has something to be scored on."""
    if node.applies_to is not None:
        for i, g in enumerate(node.applies_to):
            if g not in groups:
                yield (p + ("applies_to", i), f"group '{g}' is not a group of this category")
        if not node.is_adjustment and effective_points(node) is None:
            yield (p + ("applies_to",), "a part that does not apply to every group needs points: its group is "
                   "re-based on the points of the parts that do apply")
    if is_root:
        for g in groups:
            if not applies_to_group(node, g):
                yield (p + ("indicators",), f"no indicator applies to group '{g}': give it at least one part "
                       "that is not a bonus or deduction")
    child_path = "indicators" if is_root else "children"
    for i, c in enumerate(node.children):
        yield from _check_applies(c, p + (child_path, i), groups)


def follows(node: Node) -> list[FollowRule]:
    """The follow rules in a tree (a part that scores another category's result)."""
    return [n.rule for n in node.walk() if isinstance(n.rule, FollowRule)]


def category_deps(scheme: Scheme, cat: Category) -> set[str]:
    """The categories whose results this one reads: eligibility rules' and follow rules' categories."""
    deps = {e.when.parent_category for e in cat.results.eligibility if e.when.parent_category is not None}
    deps |= {r.category for n in cat.indicators for r in follows(n)}
    return deps


def _check_follow(scheme: Scheme, cat: Category, node: Node, p: Path, *, is_root: bool = False) -> Found:
    rule = node.rule
    if isinstance(rule, FollowRule):
        others = [c for c in scheme.categories if c.code == rule.category]
        if rule.category == cat.code:
            yield (p + ("rule", "category"), "a part cannot follow its own category's result")
        elif not others:
            yield (p + ("rule", "category"), f"no category '{rule.category}'")
        elif rule.indicator is not None and rule.indicator not in {
                n.code for n in others[0].root(scheme.scale).walk()[1:]}:
            yield (p + ("rule", "indicator"), f"no indicator '{rule.indicator}' in category '{rule.category}'")
        elif rule.grades is not None:
            bands = [b.name for b in others[0].results.grades.bands] if others[0].results.grades else []
            for g in rule.grades:
                if g not in bands:
                    yield (p + ("rule", "grades", g), f"grade '{g}' is not a grade of category '{rule.category}' "
                           f"{bands}")
            if rule.indicator is not None:
                yield (p + ("rule", "indicator"), "grades read the followed objects' grade: give no indicator")
            if node.periods is not None:
                yield (p + ("periods",), "a part that reads a grade is scored for the whole year: give no periods")
    child_path = "indicators" if is_root else "children"
    for i, c in enumerate(node.children):
        yield from _check_follow(scheme, cat, c, p + (child_path, i))


def _check_bands(bands: list[Any], p: Path) -> Found:
    names = [b.name for b in bands]
    if len(set(names)) != len(names):
        yield (p, "band names repeat")
    rest = max((i for i, b in enumerate(bands) if b.last is None), default=None)
    if rest is None:
        yield (p, "one band must take everything else (a band without min, count or last)")
        return
    last = None
    for i, b in enumerate(bands):
        if b.count is not None and any(x.count is None for x in bands[:i]):
            yield (p + (i, "count"), "a band by places from the top must come before the other bands: "
                   "the bands above it would have taken those places")
        if b.last is not None and i < rest:
            yield (p + (i, "last"), "a band by places from the bottom must come after the band that takes "
                   "everything else")
        if b.min is None and b.quota is None and b.count is None and b.last is None and i != rest:
            yield (p + (i, "min"), "only the last band may leave out min")
        if b.min is not None and last is not None and b.min >= last:
            yield (p + (i, "min"), f"bands go from the highest down: {b.min:g} is not below {last:g}")
        if b.min is not None:
            last = b.min
    catch = bands[rest]
    if catch.count is not None:
        yield (p + (rest, "count"), "one band must take everything else (a band without min, count or last)")
    elif catch.min is not None:
        yield (p + (rest,), "the last band must leave out min so that every score has a grade")
    if catch.quota is not None:
        yield (p + (rest, "quota"), "the last band takes everything else; a quota there has no effect")


def _check_node(node: Node, p: Path, seen: dict[str, Path], periods: set[str], *,
                is_root: bool = False, declared: float | None = None) -> Found:
    if not is_root:
        if node.code in seen:
            yield (p + ("code",), f"indicator code '{node.code}' repeats (first at {_fmt(seen[node.code])})")
        seen[node.code] = p
    if node.periods is not None:
        yield from _rollup_periods(p + ("periods",), node.periods, periods)
    if node.is_leaf:
        yield from _check_leaf(node, p)
        return
    kids = node.children
    child_path = "indicators" if is_root else "children"
    regular = [c for c in kids if not c.is_adjustment]
    weighted = [c for c in regular if c.weight is not None]
    if not regular:
        yield (p + (child_path,), "a group needs at least one indicator that is not a bonus or deduction")
    if weighted and len(weighted) != len(regular):
        yield (p + (child_path,), "some children have a weight and some do not: give every child a weight, or none")
    elif weighted:
        for i, c in enumerate(kids):
            if c.is_adjustment and c.weight is not None:
                yield (p + (child_path, i, "weight"), "a bonus or deduction adjustment takes no weight")
        total = sum(c.weight or 0 for c in weighted)
        if abs(total - node.weight_total) > TOLERANCE:
            yield (p + (child_path,), f"the children's weights add up to {total:g}, "
                   f"not the declared weight_total {node.weight_total:g}")
        for i, c in enumerate(kids):
            if not c.is_adjustment and effective_points(c) is None:
                yield (p + (child_path, i, "points"), "a weighted child needs points (its own scale)")
    else:
        total = 0.0
        for i, c in enumerate(kids):
            if c.weight is not None and c.is_adjustment:
                yield (p + (child_path, i, "weight"), "a bonus or deduction adjustment takes no weight")
            if c.is_adjustment:
                continue
            cp = effective_points(c)
            if cp is None:
                yield (p + (child_path, i, "points"), "this indicator needs points")
                return
            total += cp
        if node.points is not None and not is_root and abs(total - node.points) > TOLERANCE:
            yield (p + ("points",), f"the children's points add up to {total:g}, not {node.points:g}")
        if is_root and declared is not None and abs(total - declared) > TOLERANCE:
            yield (p + ("points",), f"the indicators' points add up to {total:g}, not {declared:g}")
    for i, c in enumerate(kids):
        if c.weight is not None and not weighted:
            continue
        yield from _check_node(c, p + (child_path, i), seen, periods)


def _check_leaf(node: Node, p: Path) -> Found:
    rule = node.rule
    pts = node.points
    if pts is None and not node.is_adjustment:
        yield (p + ("points",), "this indicator needs points")
        return
    rp = p + ("rule",)
    if isinstance(rule, RatioRule) and rule.challenge is not None and rule.target is not None:
        ahead = rule.challenge.value < rule.target if rule.lower_is_better else rule.challenge.value > rule.target
        if not ahead:
            word = "below" if rule.lower_is_better else "above"
            yield (rp + ("challenge", "value"), f"the challenge value must be {word} the target {rule.target:g}")
    elif isinstance(rule, TiersRule):
        mins = [t.min for t in rule.tiers]
        if len(set(mins)) != len(mins):
            yield (rp + ("tiers",), "two tiers have the same min")
        limit = 1.0 if rule.basis == "share" else (pts or 0)
        for i, t in enumerate(rule.tiers):
            if t.score > limit + TOLERANCE:
                yield (rp + ("tiers", i, "score"), f"{t.score:g} is above the most this indicator gives ({limit:g})")
    elif isinstance(rule, GradeMapRule):
        limit = 1.0 if rule.basis == "share" else (pts or 0)
        for label, v in rule.grades.items():
            if isinstance(v, GradeLine):
                for name in ("base", "max"):
                    x = getattr(v, name)
                    if x is not None and (x > limit + TOLERANCE or x < 0):
                        yield (rp + ("grades", label, name), f"must be within 0 and {limit:g}")
                continue
            lo, hi = v if isinstance(v, tuple) else (v, v)
            if lo > hi:
                yield (rp + ("grades", label), "range low is above range high")
            if hi > limit + TOLERANCE or lo < 0:
                yield (rp + ("grades", label), f"must be within 0 and {limit:g}")
    elif isinstance(rule, ManualRule) and rule.range is not None:
        lo, hi = rule.range
        if lo > hi:
            yield (rp + ("range",), "range low is above range high")
        if pts is not None and hi > pts + TOLERANCE:
            yield (rp + ("range",), f"the range reaches {hi:g}, above the indicator's {pts:g} points")
    elif isinstance(rule, FormulaRule):
        names = set(rule.variables()) | {"points", "target", "challenge"}
        try:
            parse_formula(rule.expression, names)
        except FormulaError as e:
            yield (rp + ("expression",), str(e))


def _rollup_periods(p: Path, rollup: Rollup, periods: set[str]) -> Found:
    for code in rollup.weights or {}:
        if code not in periods:
            yield (p + ("weights", code), f"period '{code}' is not a period of the scheme")
    if rollup.out_of is not None and rollup.weights:
        total = sum(rollup.weights.values())
        if total > rollup.out_of + TOLERANCE:
            yield (p + ("out_of",), f"the weights add up to {total:g}, more than out_of {rollup.out_of:g}")


def _category_cycles(scheme: Scheme) -> Found:
    deps = {c.code: category_deps(scheme, c) - {c.code} for c in scheme.categories}
    state: dict[str, int] = {}

    def visit(code: str, trail: list[str]) -> list[str] | None:
        state[code] = 1
        for d in sorted(deps.get(code, ())):
            if state.get(d) == 1:
                return trail + [code, d]
            if d in deps and state.get(d) is None:
                found = visit(d, trail + [code])
                if found:
                    return found
        state[code] = 2
        return None

    for ci, c in enumerate(scheme.categories):
        if state.get(c.code) is None:
            cycle = visit(c.code, [])
            if cycle:
                yield (("categories", ci, "results", "eligibility"),
                       "eligibility or follow rules form a cycle between categories: " + " → ".join(cycle))
                return


def category_order(scheme: Scheme) -> list[Category]:
    """Categories in dependency order (parents first), for cross-category eligibility."""
    done: list[Category] = []
    names: set[str] = set()
    pending = list(scheme.categories)
    while pending:
        for c in pending:
            if all(d in names for d in category_deps(scheme, c) if d != c.code):
                done.append(c)
                names.add(c.code)
                pending.remove(c)
                break
        else:  # pragma: no cover - check_scheme refuses cycles first
            raise ValueError("cycle between categories")
    return done


def _fmt(path: Path) -> str:
    return ".".join(str(x) for x in path)
