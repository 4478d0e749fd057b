"""Tree checks for parent links: no cycles, a bounded depth.

Works on a plain ``{id: parent_id}`` map so it is tested without a database and costs one
query when called from a service.
"""

from __future__ import annotations

from collections.abc import Mapping


class TreeError(ValueError):
    pass


def check_parent(parents: Mapping[int, int | None], node: int | None, parent: int | None, *,
                 max_depth: int | None = None) -> int:
    """Refuse ``parent`` for ``node`` if it would close a cycle; return the node's new depth (root = 1)."""
    depth = 1
    seen: set[int] = set()
    current = parent
    while current is not None:
        if node is not None and current == node:
            raise TreeError("上级不能是自身或自身的下级（会形成循环）")
        if current in seen:
            raise TreeError("现有上下级关系中存在循环")
        seen.add(current)
        depth += 1
        current = parents.get(current)
    if max_depth is not None and depth > max_depth:
        raise TreeError(f"层级超过上限 {max_depth} 级")
    return depth


def descendants(parents: Mapping[int, int | None], roots: set[int]) -> set[int]:
    """Every node under ``roots``, the roots included."""
    children: dict[int, list[int]] = {}
    for n, p in parents.items():
        if p is not None:
            children.setdefault(p, []).append(n)
    out: set[int] = set()
    stack = [r for r in roots if r in parents]
    while stack:
        n = stack.pop()
        if n in out:
            continue
        out.add(n)
        stack.extend(children.get(n, ()))
    return out
