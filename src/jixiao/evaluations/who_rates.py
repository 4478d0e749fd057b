"""Who rates whom (测评关系), generated from the organisation tree and people's positions. Pure.

For each rater group kind the campaign has, raters are people with an account:

- ``leader`` (领导评估): the leaders (领导班子成员) of the object's unit, or of the nearest unit above
  it that has leaders, rate it;
- ``superior`` (上评下): a person is rated by the heads (中层正职) of his own unit — a unit head rates
  his own staff; a head by the leaders of the nearest unit above with leaders; a unit by the
  leaders of the nearest unit above it with leaders;
- ``peer`` (同级互评): people of the same level in the same unit; heads also by the heads of the
  sibling units (section heads rate each other); a unit by the heads of its sibling units;
- ``subordinate`` (下评上): a head by the deputies and staff of his unit; a leader by the heads of
  the units below; a unit by its own people.

Nobody ever rates himself. Public groups (service users, the public) rate through tokens or the
window link, not through assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ACCOUNT_KINDS = ("leader", "superior", "peer", "subordinate")
LEADER, HEAD, DEPUTY, STAFF = "leader", "head", "deputy", "staff"


@dataclass(frozen=True)
class PersonInfo:
    id: int
    unit_id: int
    level: str
    user_id: int | None


@dataclass(frozen=True)
class ObjectInfo:
    id: int
    unit_id: int
    person_id: int | None


def _ancestors(parents: Mapping[int, int | None], unit: int) -> list[int]:
    out, seen = [], {unit}
    cur = parents.get(unit)
    while cur is not None and cur not in seen:
        out.append(cur)
        seen.add(cur)
        cur = parents.get(cur)
    return out


def pairs(*, parents: Mapping[int, int | None], people: Iterable[PersonInfo], objects: Iterable[ObjectInfo],
          kinds: Iterable[str]) -> set[tuple[int, int, str]]:
    """``(rater user id, object id, kind)`` for every rater group kind asked for."""
    everyone = list(people)
    people = [p for p in everyone if p.user_id is not None]  # raters need an account
    wanted = set(kinds) & set(ACCOUNT_KINDS)
    by_unit: dict[int, list[PersonInfo]] = {}
    for p in people:
        by_unit.setdefault(p.unit_id, []).append(p)
    children: dict[int, list[int]] = {}
    for u, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(u)
    roots = [u for u, parent in parents.items() if parent is None]
    person_of = {p.id: p for p in everyone}

    def at(unit: int, *levels: str) -> list[PersonInfo]:
        return [p for p in by_unit.get(unit, []) if p.level in levels]

    def nearest_leaders(unit: int) -> list[PersonInfo]:
        for u in _ancestors(parents, unit):
            found = at(u, LEADER)
            if found:
                return found
        return []

    def siblings(unit: int) -> list[int]:
        parent = parents.get(unit)
        return [u for u in children.get(parent, []) if u != unit] if parent is not None else []

    top = [p for r in roots for p in at(r, LEADER)]

    def leadership(unit: int) -> list[PersonInfo]:
        """The leaders of the unit itself or of the nearest unit above it that has leaders."""
        return at(unit, LEADER) or nearest_leaders(unit) or top
    out: set[tuple[int, int, str]] = set()
    for obj in objects:
        me = person_of.get(obj.person_id) if obj.person_id is not None else None
        raters: dict[str, list[PersonInfo]] = {k: [] for k in wanted}
        if "leader" in wanted:
            raters["leader"] = leadership(obj.unit_id)
        if obj.person_id is None:  # a unit
            u = obj.unit_id
            if "superior" in wanted:
                raters["superior"] = at(parents.get(u) or u, LEADER) or nearest_leaders(u)
            if "peer" in wanted:
                raters["peer"] = [p for s in siblings(u) for p in at(s, HEAD, LEADER)]
            if "subordinate" in wanted:
                raters["subordinate"] = at(u, HEAD, DEPUTY, STAFF)
        elif me is not None:
            u, level = me.unit_id, me.level
            if "superior" in wanted:
                raters["superior"] = at(u, HEAD) if level in (STAFF, DEPUTY) else nearest_leaders(u)
            if "peer" in wanted:
                same = [p for p in at(u, level)]
                if level == HEAD:
                    same += [p for s in siblings(u) for p in at(s, HEAD)]
                raters["peer"] = same
            if "subordinate" in wanted:
                if level == HEAD:
                    raters["subordinate"] = at(u, DEPUTY, STAFF)
                elif level == LEADER:
                    raters["subordinate"] = [p for c in children.get(u, []) for p in at(c, HEAD)]
        for kind, who in raters.items():
            for p in who:
                if obj.person_id is not None and p.id == obj.person_id:
                    continue  # never oneself
                if me is not None and me.user_id is not None and p.user_id == me.user_id:
                    continue
                assert p.user_id is not None
                out.add((p.user_id, obj.id, kind))
    return out
