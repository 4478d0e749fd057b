"""The frozen table of a publication (结果公示): a category's ranking turned into plain JSON.

Everything the published page and its download show is decided here, once, when the office
publishes: object and unit names, the component headers, totals, ranks, grades and the flags in
words. Nothing is read from the live results or the scheme afterwards, so a recompute, a renamed
unit or a new scheme version cannot change what was published. No database access: the caller
passes the results (with ``object.unit`` loaded) and the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Protocol

from jixiao.schemes.catalog import Catalog
from jixiao.scoring.flags import flag_label

SNAPSHOT_VERSION = 1


class Component(NamedTuple):
    """A column of the ranking: one child of the category's root (分项), with its points or weight."""

    code: str
    name: str
    points: float | None
    weight: float | None


class _Named(Protocol):
    code: str
    name: str


class _Object(_Named, Protocol):
    @property
    def unit(self) -> _Named: ...


class ResultLike(Protocol):
    """What a snapshot reads of a result (jixiao.scoring.models.Result has it all)."""

    @property
    def object(self) -> _Object: ...
    group: str
    total: float | None
    rank: int
    group_size: int
    grade: str
    eligible_top: bool
    vetoed: bool
    flags: list[str]
    components: dict[str, float | None]


def components_of(catalog: Catalog, category: str) -> list[Component]:
    """The ranking's component columns of a category, in scheme order."""
    cat = next((c for c in catalog.scheme.categories if c.code == category), None)
    if cat is None:
        return []
    return [Component(n.code, n.name or n.code, n.points, n.weight) for n in cat.indicators]


def default_title(assessment_name: str, category_name: str) -> str:
    """e.g. 正定县2024年度政府绩效管理评估 乡镇（承担日常工作） 考核结果公示"""
    return f"{assessment_name} {category_name} 考核结果公示"


def grade_counts(rows: Iterable[dict[str, Any]]) -> list[tuple[str, int]]:
    """(grade, count) in the order the grades first appear down the ranking; "—" for none."""
    counts: dict[str, int] = {}
    for row in rows:
        g = row["grade"] or "—"
        counts[g] = counts.get(g, 0) + 1
    return list(counts.items())


def build(*, catalog: Catalog, category: str, assessment: dict[str, Any], results: Iterable[ResultLike],
          group_names: Mapping[str, str] | None = None, period_names: Mapping[str, str] | None = None
          ) -> dict[str, Any]:
    """The snapshot of one category's results (ordered as given: group, then rank). The ranking
    groups and the periods a flag names are frozen by name (``group_name`` beside ``group``; a
    snapshot from before names were kept shows the code)."""
    info = catalog.categories[category]
    groups = group_names or {}
    components = components_of(catalog, category)
    rows = []
    for r in results:
        rows.append({
            "object": r.object.code, "name": r.object.name, "unit": r.object.unit.name, "group": r.group,
            "group_name": groups.get(r.group, r.group),
            "total": r.total, "rank": r.rank, "group_size": r.group_size, "grade": r.grade,
            "components": [r.components.get(c.code) for c in components],
            "flags": [list(flag_label(f, catalog, category, period_names)) for f in r.flags],
            "eligible_top": r.eligible_top, "vetoed": r.vetoed,
        })
    return {
        "version": SNAPSHOT_VERSION,
        "assessment": assessment,
        "category": {"code": category, "name": info.name or category},
        "groups": list(info.groups),
        "components": [c._asdict() for c in components],
        "rows": rows,
        "grades": [list(g) for g in grade_counts(rows)],
    }
