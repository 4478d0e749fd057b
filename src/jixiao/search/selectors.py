"""全局搜索 (global search): units, people, assessed objects, indicators and supervision matters
whose name (or number/code) contains the query, each kind through its own app's scoped selector,
so a user finds only what he may open — and only in his organisation.

The database does the matching for tables (``icontains``, at most ``LIMIT`` rows per kind);
indicators live in the adopted schemes' catalogs, already in memory, and are matched there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.org.selectors import objects_visible, people_visible, units_visible
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import assessments_all, catalog_of
from jixiao.supervision.selectors import matters_visible

LIMIT = 20
MIN_LENGTH = 1


@dataclass(frozen=True)
class Hit:
    """One thing found: what it is called, what it is in words, and where to open it."""

    title: str
    detail: str = ""
    url: str | None = None


@dataclass
class Found:
    """The hits of one query, by kind (in the order the page shows them)."""

    query: str
    kinds: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.kinds.values())


def search(*, scope: Scope, query: str) -> Found:
    q = " ".join(query.split())[:50]
    found = Found(query=q)
    if len(q) < MIN_LENGTH or not scope.authenticated:
        return found
    named = Q(name__icontains=q) | Q(code__iexact=q)
    found.kinds["单位"] = [
        Hit(u.name, u.get_kind_display(), reverse("org:index") + f"#unit-{u.pk}")
        for u in units_visible(scope=scope).filter(named).order_by("level", "name")[:LIMIT]]
    found.kinds["人员"] = [
        Hit(p.name, " · ".join(x for x in (p.unit.name, p.title) if x), reverse("org:index") + f"#person-{p.pk}")
        for p in people_visible(scope=scope).filter(name__icontains=q).order_by("name")[:LIMIT]]
    assessments = list(assessments_all(scope=scope).select_related("version").order_by("-year", "code"))
    objects = list(objects_visible(scope=scope).filter(named).order_by("name")[:LIMIT])
    found.kinds["考核对象"] = [_object_hit(o, assessments) for o in objects]
    found.kinds["指标"] = _indicators(scope=scope, q=q, assessments=assessments)
    found.kinds["督办事项"] = [
        Hit(f"{m.number} {m.title}", f"{m.get_kind_display()} · {m.get_state_display()} · 牵头：{m.lead_unit.name}",
            reverse("supervision:matter", args=[m.pk]))
        for m in matters_visible(scope=scope).select_related("lead_unit")
        .filter(Q(title__icontains=q) | Q(number__icontains=q)).order_by("-id")[:LIMIT]]
    found.kinds = {k: v for k, v in found.kinds.items() if v}
    return found


def _object_hit(o: AssessedObject, assessments: list[Assessment]) -> Hit:
    for a in assessments:
        if catalog_of(a).category_of_group(o.group) is not None:
            return Hit(o.name, f"{o.category.name} · {a.name}", reverse("scoring:object", args=[a.code, o.code]))
    return Hit(o.name, o.category.name)


def _indicators(*, scope: Scope, q: str, assessments: list[Assessment]) -> list[Hit]:
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    needle = q.casefold()
    for a in assessments:
        catalog = catalog_of(a)
        for cat in catalog.categories.values():
            for leaf in cat.leaves:
                if needle not in leaf.name.casefold() and needle != leaf.code.casefold():
                    continue
                key = (str(a.version_id), f"{cat.code}/{leaf.code}")
                if key in seen:
                    continue
                seen.add(key)
                path = " › ".join((*leaf.path, leaf.name))
                url = (reverse("dashboard:indicator", args=[a.code, cat.code, leaf.code])
                       if scope.office or "leader" in scope.roles else None)
                hits.append(Hit(leaf.name, f"{a.name} · {cat.name} · {path}", url))
                if len(hits) >= LIMIT:
                    return hits
    return hits
