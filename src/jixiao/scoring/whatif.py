"""What-if preview: an assessment's ledger scored with its current version and with another one.

Nothing is written. Each side loads the ledger with its own version's catalog, so an indicator
that only one version has simply has no values on the other side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from jixiao.engine.data import DataError, DataProblem, DataSet
from jixiao.engine.scheme.loader import SchemeError
from jixiao.engine.score import ResultRow, score
from jixiao.schemes.catalog import Catalog, catalog_for
from jixiao.schemes.messages import chinese_problems
from jixiao.schemes.models import Assessment, SchemeVersion
from jixiao.scoring.dataset import load_dataset
from jixiao.scoring.labels import group_names
from jixiao.scoring.problems import data_problem_zh


@dataclass(frozen=True)
class Side:
    total: float | None
    rank: int
    group_size: int
    grade: str


@dataclass(frozen=True)
class Change:
    """One object, before and after."""

    code: str
    name: str
    group: str
    current: Side | None
    new: Side | None
    group_name: str = ""  # the ranking group as a clerk calls it (一般人员), see scoring.labels

    @property
    def delta_total(self) -> float | None:
        if self.current is None or self.new is None or self.current.total is None or self.new.total is None:
            return None
        return round(self.new.total - self.current.total, 6)

    @property
    def delta_rank(self) -> int | None:
        """Places moved up (positive) or down (negative)."""
        if self.current is None or self.new is None:
            return None
        return self.current.rank - self.new.rank

    @property
    def grade_changed(self) -> bool:
        return (self.current.grade if self.current else None) != (self.new.grade if self.new else None)

    @property
    def total_changed(self) -> bool:
        d = self.delta_total
        if d is None:
            return (self.current.total if self.current else None) != (self.new.total if self.new else None)
        return abs(d) > 1e-9


@dataclass(frozen=True)
class CategoryChanges:
    code: str
    name: str
    rows: tuple[Change, ...]
    only_in: str = ""  # "current" / "new" when one version does not have this category

    @property
    def grade_changes(self) -> int:
        return sum(1 for r in self.rows if r.grade_changed)

    @property
    def total_changes(self) -> int:
        return sum(1 for r in self.rows if r.total_changed)

    @property
    def rank_changes(self) -> int:
        return sum(1 for r in self.rows if r.delta_rank)


@dataclass(frozen=True)
class WhatIf:
    assessment: Assessment
    current: SchemeVersion
    version: SchemeVersion
    categories: tuple[CategoryChanges, ...] = ()
    problems: tuple[str, ...] = ()  # why a side could not be scored
    same_version: bool = False
    grade_changes: int = field(default=0)


def _where(data: DataSet, p: DataProblem, names: dict[str, dict[str, str]]) -> str:
    """The ledger entry a data problem is about, by name ("东镇 / 地区生产总值 / 2024年第一季度"),
    where it can be told."""
    table = next((t for t, label in data.sources.items() if label == p.source), None)
    frame = getattr(data, table, None) if table else None
    if frame is None or p.row is None or not 0 <= p.row - 2 < frame.height:  # row 1 is the header
        return ""
    rec = frame.row(p.row - 2, named=True)
    parts = [names[k].get(str(rec[k]), str(rec[k])) for k in ("object", "indicator", "period") if rec.get(k)]
    return " / ".join(parts)


def _score(assessment: Assessment, catalog: Catalog, label: str) -> tuple[dict[str, ResultRow], list[str]]:
    loaded = load_dataset(assessment, catalog, set(catalog.categories))
    try:
        result = score(catalog.compiled, loaded.data)
    except DataError as e:
        names = {"object": dict(zip(loaded.data.objects["object"].to_list(), loaded.data.objects["name"].to_list(),
                                    strict=True)),
                 "indicator": {lf.code: lf.name for c in catalog.categories.values() for lf in c.leaves},
                 "period": dict(assessment.periods.values_list("code", "name"))}
        out = []
        for p in e.problems:
            where = _where(loaded.data, p, names)
            message = data_problem_zh(p.message)
            out.append(f"{label}：{where}：{message}" if where else f"{label}：{message}")
        return {}, out
    return {r.object_id: r for r in result.rows()}, []


def _side(r: ResultRow | None) -> Side | None:
    if r is None:
        return None
    return Side(total=r.total, rank=r.rank, group_size=r.group_size, grade=r.grade or "")


def whatif_compare(*, assessment: Assessment, version: SchemeVersion) -> WhatIf:
    """Every object's total, rank and grade under the assessment's version and under ``version``."""
    current = assessment.version
    same = current.pk == version.pk
    try:
        cur_catalog = catalog_for(current.text)
        new_catalog = catalog_for(version.text)
    except SchemeError as e:
        return WhatIf(assessment=assessment, current=current, version=version,
                      problems=tuple(m.text for m in chinese_problems(list(e.problems))), same_version=same)
    cur_rows, p1 = _score(assessment, cur_catalog, f"v{current.number}")
    new_rows, p2 = _score(assessment, new_catalog, f"v{version.number}")
    if p1 or p2:
        return WhatIf(assessment=assessment, current=current, version=version, problems=tuple(p1 + p2),
                      same_version=same)
    order = list(new_catalog.categories) + [c for c in cur_catalog.categories if c not in new_catalog.categories]
    cats: list[CategoryChanges] = []
    for code in order:
        info = new_catalog.categories.get(code) or cur_catalog.categories[code]
        groups = group_names(new_catalog if code in new_catalog.categories else cur_catalog, code)
        objs = sorted({o for o, r in cur_rows.items() if r.category == code}
                      | {o for o, r in new_rows.items() if r.category == code})
        changes = []
        for o in objs:
            c, n = cur_rows.get(o), new_rows.get(o)
            any_row = n or c
            assert any_row is not None
            changes.append(Change(code=o, name=any_row.object_name, group=any_row.group, current=_side(c),
                                  new=_side(n), group_name=groups.get(any_row.group, any_row.group)))
        changes.sort(key=lambda ch: (ch.group, ch.new.rank if ch.new else math.inf,
                                     ch.current.rank if ch.current else math.inf, ch.code))
        only = "" if code in new_catalog.categories and code in cur_catalog.categories else (
            "new" if code in new_catalog.categories else "current")
        cats.append(CategoryChanges(code=code, name=info.name, rows=tuple(changes), only_in=only))
    return WhatIf(assessment=assessment, current=current, version=version, categories=tuple(cats),
                  same_version=same, grade_changes=sum(c.grade_changes for c in cats))
