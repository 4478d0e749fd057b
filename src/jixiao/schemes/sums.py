"""The points/weights sums of a scheme's indicator trees, per group, for the editors. Pure, no database."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jixiao.schemes.methods import show_value as show

# --- sums ----------------------------------------------------------------------------------------------


def _categories(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    cats = data.get("categories")
    return [c for c in cats if isinstance(c, dict)] if isinstance(cats, list) else []


@dataclass(frozen=True)
class GroupSum:
    """One group's children against what the group declares."""

    path: str
    code: str
    name: str
    depth: int  # 0 for the category itself
    kind: str  # "points" or "weights"
    declared: float | None  # None: the group takes the sum (no points written)
    actual: float | None  # None: a child's figure is missing or not a number
    ok: bool
    note: str = ""


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _is_adjustment(node: Mapping[str, Any]) -> bool:
    rule = node.get("rule")
    if not isinstance(rule, dict):
        return False
    return rule.get("method") == "bonus" or (rule.get("method") == "deduction" and rule.get("base") == "zero")


def _children(node: Mapping[str, Any], key: str = "children") -> list[dict[str, Any]]:
    kids = node.get(key)
    return [c for c in kids if isinstance(c, dict)] if isinstance(kids, list) else []


def _weighted(children: list[dict[str, Any]]) -> bool:
    return any(c.get("weight") is not None for c in children if not _is_adjustment(c))


def _points_of(node: Mapping[str, Any]) -> float | None:
    """A child's maximum: its points, or for a group without points the sum of its children."""
    if node.get("points") is not None:
        return _num(node.get("points"))
    kids = [c for c in _children(node) if not _is_adjustment(c)]
    if not kids:
        return None
    if _weighted(kids):
        return 100.0
    total = 0.0
    for c in kids:
        p = _points_of(c)
        if p is None:
            return None
        total += p
    return total


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _group_sum(path: str, code: str, name: str, depth: int, children: list[dict[str, Any]],
               points: Any, weight_total: Any, *, root: bool) -> GroupSum:
    core = [c for c in children if not _is_adjustment(c)]
    if _weighted(core):
        missing = [c for c in core if c.get("weight") is None]
        weights = [_num(c.get("weight")) for c in core]
        declared = _num(weight_total) if weight_total is not None else 100.0
        actual = None if any(w is None for w in weights) else sum(w for w in weights if w is not None)
        note = "部分子项未写权重" if missing else ""
        ok = not missing and actual is not None and declared is not None and _close(actual, declared)
        return GroupSum(path, code, name, depth, "weights", declared, actual, ok, note)
    pts = [_points_of(c) for c in core]
    actual = None if any(p is None for p in pts) or not core else sum(p for p in pts if p is not None)
    declared = _num(points) if points is not None else None
    note = "" if core else "没有计分子项"
    if actual is None and core:
        note = "有子项未写分值"
    ok = actual is not None and (declared is None or _close(actual, declared))
    if points is not None and declared is None:
        ok, note = False, "分值不是数字"
    if declared is None and root:
        ok = False
    return GroupSum(path, code, name, depth, "points", declared, actual, ok, note)


def sums_check(data: Mapping[str, Any]) -> list[GroupSum]:
    """Per group, in tree order: the children's points (or weights) against the group's."""
    out: list[GroupSum] = []
    scale = data.get("scale", 100)
    for k, cat in enumerate(_categories(data)):
        path = f"categories.{k}"
        points = cat.get("points") if cat.get("points") is not None else scale
        out.append(_group_sum(path, show(cat.get("code")), show(cat.get("name")), 0, _children(cat, "indicators"),
                              points, cat.get("weight_total"), root=True))
        _walk_sums(_children(cat, "indicators"), f"{path}.indicators", 1, out)
    return out


def _walk_sums(nodes: list[dict[str, Any]], prefix: str, depth: int, out: list[GroupSum]) -> None:
    for j, node in enumerate(nodes):
        kids = _children(node)
        if not kids:
            continue
        path = f"{prefix}.{j}"
        out.append(_group_sum(path, show(node.get("code")), show(node.get("name")), depth, kids, node.get("points"),
                              node.get("weight_total"), root=False))
        _walk_sums(kids, f"{path}.children", depth + 1, out)


