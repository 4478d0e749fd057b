"""What a scheme version asks for, in the terms the ledger needs. Pure, no database.

The engine's scheme model is the source of truth; this reads it once per version (cached by the
text's digest) into the indicator list a reporting form, an import template, a permission check
(which indicators a data-source unit reports) and a recompute need.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from jixiao.engine.compile import CScheme, compile_scheme
from jixiao.engine.scheme.checks import category_deps
from jixiao.engine.scheme.loader import parse_scheme_text
from jixiao.engine.scheme.model import Node, Scheme
from jixiao.engine.scheme.rules import ManualRule
from jixiao.schemes.periods import infer_period

INCIDENT_METHODS = frozenset({"deduction", "bonus"})
BALLOT_METHODS = frozenset({"rating", "grade_map", "manual"})

VARIABLE_LABELS = {
    "value": "完成值", "target": "目标值", "planned": "计划分", "actual": "完成分", "due": "应办结件数",
    "on_time": "按期办结件数", "overdue": "逾期件数", "returned": "退回件数",
}


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    levels: tuple[str, ...] = ()
    range: tuple[float, float] | None = None
    per: float | None = None


@dataclass(frozen=True)
class Leaf:
    """A scored indicator (leaf of the tree) as the ledger sees it."""

    category: str
    code: str
    name: str
    path: tuple[str, ...]  # names of the ancestors, top first
    points: float | None
    method: str
    kind: str  # "value" (numbers per variable), "incident" (register), "ballot" (raters' labels or scores)
    variables: tuple[str, ...]
    unit: str
    source: str
    evidence: str
    periods: tuple[str, ...] | None  # None: every period of the scheme
    items: tuple[Item, ...] = ()
    labels: tuple[str, ...] = ()  # ballot labels (rating scale or grade map)
    requires_evidence: bool = False
    score_range: tuple[float, float] | None = None  # a manual score's range (评分 ``range``), when set

    @property
    def fed_by_system(self) -> bool:
        """Counted from supervised matters (``jixiao.supervision``), never typed."""
        return self.method == "supervision"

    def applies(self, period: str) -> bool:
        return self.periods is None or period in self.periods


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    name: str
    groups: tuple[str, ...]
    leaves: tuple[Leaf, ...]
    vetoes: tuple[tuple[str, str], ...]  # (code, name)
    depends_on: frozenset[str]


@dataclass(frozen=True)
class Catalog:
    scheme: Scheme
    compiled: CScheme
    periods: tuple[str, ...]
    categories: dict[str, CategoryInfo] = field(default_factory=dict)

    def leaf(self, category: str, code: str) -> Leaf | None:
        cat = self.categories.get(category)
        if cat is None:
            return None
        return next((lf for lf in cat.leaves if lf.code == code), None)

    def sourced_to(self, keys: frozenset[str]) -> dict[str, tuple[str, ...]]:
        """Per category, the value indicators whose data source is one of ``keys`` (a data-source
        unit's code and name): what that unit reports, for every object of the category."""
        out: dict[str, tuple[str, ...]] = {}
        for c in self.categories.values():
            codes = tuple(sorted({lf.code for lf in c.leaves if lf.kind == "value" and lf.source in keys}))
            if codes:
                out[c.code] = codes
        return out

    def category_of_group(self, group: str) -> str | None:
        return next((c.code for c in self.categories.values() if group in c.groups), None)

    def affected(self, categories: set[str]) -> set[str]:
        """The categories whose results change when these change (their dependents), plus the
        categories those need as inputs (their prerequisites)."""
        out = set(categories)
        changed = True
        while changed:
            changed = False
            for c in self.categories.values():
                if c.code not in out and c.depends_on & out:
                    out.add(c.code)
                    changed = True
        needed = set(out)
        stack = list(out)
        while stack:
            for dep in self.categories[stack.pop()].depends_on:
                if dep not in needed:
                    needed.add(dep)
                    stack.append(dep)
        return needed


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=64)
def _catalog(text_digest: str, text: str) -> Catalog:
    scheme = parse_scheme_text(text, filename="scheme.yaml")
    compiled = compile_scheme(scheme)
    periods = tuple(scheme.periods.resolved())
    cats: dict[str, CategoryInfo] = {}
    for cat in scheme.categories:
        leaves: list[Leaf] = []
        _walk(cat.code, cat.indicators, (), None, None, periods, leaves)
        depends = category_deps(scheme, cat) - {cat.code}  # eligibility and follow rules
        cats[cat.code] = CategoryInfo(
            code=cat.code, name=cat.name or cat.code, groups=tuple(cat.group_codes), leaves=tuple(leaves),
            vetoes=tuple((v.code, v.name or v.code) for v in cat.results.vetoes), depends_on=frozenset(depends))
    return Catalog(scheme=scheme, compiled=compiled, periods=periods, categories=cats)


def catalog_for(text: str) -> Catalog:
    """The catalog of a scheme text; raises the engine's ``SchemeError`` if the text is invalid."""
    return _catalog(digest(text), text)


def _walk(category: str, nodes: list[Node], path: tuple[str, ...], periods: tuple[str, ...] | None,
          frequency: str | None, all_periods: tuple[str, ...], out: list[Leaf]) -> None:
    """Collect leaves with the periods they are reported in: the weights of the nearest weighted
    roll-up above them, else the periods of the declared ``frequency`` (month, quarter…), else all."""
    for node in nodes:
        here = periods
        freq = node.frequency or frequency
        if node.periods is not None and node.periods.weights:
            here = tuple(node.periods.weights)
        if node.rule is None:
            _walk(category, node.children, (*path, node.name or node.code), here, freq, all_periods, out)
            continue
        if here is None and freq is not None:
            here = tuple(p for p in all_periods if infer_period(p, 2000).kind == freq) or None
        rule = node.rule
        method = rule.method
        kind = "incident" if method in INCIDENT_METHODS else "ballot" if method in BALLOT_METHODS else "value"
        items: tuple[Item, ...] = ()
        labels: tuple[str, ...] = ()
        requires = False
        if kind == "incident":
            items = tuple(Item(code=i.code, name=i.name or i.code, levels=tuple(i.levels or {}),
                               range=i.range, per=i.per) for i in rule.items)  # type: ignore[union-attr]
            requires = bool(getattr(rule, "requires_evidence", False))
        elif method == "rating":
            labels = tuple(rule.scale)  # type: ignore[union-attr]
        elif method == "grade_map":
            labels = tuple(rule.grades)  # type: ignore[union-attr,arg-type]
        out.append(Leaf(
            category=category, code=node.code, name=node.name or node.code, path=path, points=node.points,
            method=method, kind=kind, variables=tuple(rule.variables()) if kind == "value" else (),
            unit=node.unit, source=node.source, evidence=node.evidence, periods=here, items=items, labels=labels,
            requires_evidence=requires,
            score_range=rule.range if isinstance(rule, ManualRule) else None))
