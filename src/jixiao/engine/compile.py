"""A scheme made ready for scoring: flat node lists, input slots, effective points.

Compiling walks each category's tree once; scoring then works on integer indices and
whole arrays, never on the pydantic objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.engine.formula import Formula, parse_formula
from jixiao.engine.scheme.checks import category_order, effective_points, is_weighted
from jixiao.engine.scheme.model import Category, Node, Rollup, Scheme
from jixiao.engine.scheme.rules import FollowRule, FormulaRule, IncidentRule, RatingRule


@dataclass
class CNode:
    """One node of a compiled tree."""

    index: int
    node: Node
    parent: int | None
    children: list[int]
    points: float | None
    weighted: bool
    depth: int
    rollup: Rollup | None  # the node's own period roll-up, if it declares one
    formula: Formula | None = None

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def name(self) -> str:
        return self.node.name or self.node.code

    @property
    def is_leaf(self) -> bool:
        return self.node.is_leaf

    @property
    def is_adjustment(self) -> bool:
        return self.node.is_adjustment


@dataclass
class CCategory:
    """A compiled category: its nodes in pre-order (root first) and its input slots."""

    category: Category
    position: int
    nodes: list[CNode]
    slots: dict[tuple[str, str], int]  # (leaf code, variable) -> slot
    leaf_by_code: dict[str, int]
    default_rollup: Rollup
    groups: list[str]
    veto_codes: set[str] = field(default_factory=set)

    @property
    def code(self) -> str:
        return self.category.code

    @property
    def root(self) -> CNode:
        return self.nodes[0]

    def leaves(self) -> list[CNode]:
        return [n for n in self.nodes if n.is_leaf]


@dataclass
class CScheme:
    scheme: Scheme
    periods: list[str]
    categories: list[CCategory]  # in dependency order: parents before the rules that use them
    decimals: int
    round_nodes: bool = True  # False: only the totals are rounded (rounding.at: total)

    def category(self, code: str) -> CCategory:
        for c in self.categories:
            if c.code == code:
                return c
        raise KeyError(code)


def default_leaf_rollup(node: Node, scheme_default: Rollup) -> Rollup:
    """Incidents and ballots pool over the periods so caps hold for the year; a followed result is
    taken as it stands for the year; others follow the scheme's roll-up."""
    if isinstance(node.rule, IncidentRule | RatingRule | FollowRule):
        return Rollup(mode="pool")
    return scheme_default


def compile_scheme(scheme: Scheme) -> CScheme:
    periods = scheme.periods.resolved()
    cats = []
    order = {c.code: i for i, c in enumerate(scheme.categories)}
    for cat in category_order(scheme):
        cats.append(_compile_category(scheme, cat, order[cat.code]))
    return CScheme(scheme=scheme, periods=periods, categories=cats, decimals=scheme.rounding.decimals,
                   round_nodes=scheme.rounding.at == "nodes")


def _compile_category(scheme: Scheme, cat: Category, position: int) -> CCategory:
    root = cat.root(scheme.scale)
    nodes: list[CNode] = []
    slots: dict[tuple[str, str], int] = {}
    leaf_by_code: dict[str, int] = {}

    def add(node: Node, parent: int | None, depth: int) -> int:
        idx = len(nodes)
        cn = CNode(
            index=idx,
            node=node,
            parent=parent,
            children=[],
            points=effective_points(node),
            weighted=is_weighted(node) if not node.is_leaf else False,
            depth=depth,
            rollup=node.periods,
        )
        nodes.append(cn)
        if node.is_leaf:
            leaf_by_code[node.code] = idx
            rule = node.rule
            assert rule is not None
            for var in rule.variables():
                slots[(node.code, var)] = len(slots)
            if isinstance(rule, FormulaRule):
                names = set(rule.variables()) | {"points", "target", "challenge"}
                cn.formula = parse_formula(rule.expression, names)
        for child in node.children:
            cn.children.append(add(child, idx, depth + 1))
        return idx

    add(root, None, 0)
    return CCategory(
        category=cat,
        position=position,
        nodes=nodes,
        slots=slots,
        leaf_by_code=leaf_by_code,
        default_rollup=scheme.periods.rollup,
        groups=cat.group_codes,
        veto_codes={v.code for v in cat.results.vetoes},
    )

