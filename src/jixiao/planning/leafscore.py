"""An indicator's score from one object's verified numbers, by the engine's own method functions
(``jixiao.engine.methods``) — for the self-assessment page's "verified score" beside the unit's
self-score. Pure, no Django. Value indicators only (ratio, tiers, plan, manual); others give None.

The planning app sits beside scoring in the layers and may not read its stored results; this is the
leaf's score before roll-ups and rounding, which is what a self-score of the same leaf compares to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from jixiao.engine.methods import plan_score, ratio_score, tiers_score
from jixiao.engine.scheme.model import Node, Scheme
from jixiao.engine.scheme.rules import ManualRule, PlanRule, RatioRule, TiersRule


def leaf_nodes(scheme: Scheme, category: str) -> dict[str, Node]:
    """The category's leaves by code."""
    out: dict[str, Node] = {}

    def walk(nodes: Iterable[Node]) -> None:
        for n in nodes:
            if n.rule is not None:
                out[n.code] = n
            walk(n.children)

    for cat in scheme.categories:
        if cat.code == category:
            walk(cat.indicators)
    return out


def leaf_score(node: Node, values: Mapping[str, float]) -> float | None:
    """The leaf's score from its variables' numbers (``values``: variable → number); None when a
    number it needs is missing or its method is not a value method."""
    rule, pts = node.rule, float(node.points or 0.0)

    def arr(name: str) -> np.ndarray:
        return np.array([values.get(name, np.nan)], dtype=np.float64)

    with np.errstate(divide="ignore", invalid="ignore"):
        if isinstance(rule, RatioRule):
            target = rule.target if rule.target is not None else arr("target")
            out = ratio_score(rule, pts, arr("value"), target)
        elif isinstance(rule, TiersRule):
            out = tiers_score(rule, pts, arr("value"))
        elif isinstance(rule, PlanRule):
            out = plan_score(rule, pts, arr("planned"), arr("actual"))
        elif isinstance(rule, ManualRule):
            out = arr("value")
        else:
            return None
    x = float(out[0])
    return None if np.isnan(x) else round(x, 2)
