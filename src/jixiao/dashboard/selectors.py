"""Reads for the cockpit: the engine's progress over the stored node scores, scoped to what the
user sees.

One build per page: the category's node scores as the last recompute stored them (one small
query, and one more to fetch them when this process has not cached that revision; never the
ledger), the progress at every checkpoint is arithmetic on those arrays (no query), and the
visible objects come with their stored results in one query. Supervision lights and recording
rates add a few queries, none per object or matter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings

from jixiao.collection.selectors import recording_rates
from jixiao.core import clock
from jixiao.engine.progress import CategoryProgress, progress
from jixiao.engine.stored import CategoryArrays
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope
from jixiao.schemes.catalog import Catalog, CategoryInfo
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Result
from jixiao.scoring.selectors import stored_scores
from jixiao.supervision.lights import OPEN_STATES
from jixiao.supervision.models import Matter
from jixiao.supervision.selectors import lights_for, matters_visible


def may_view(scope: Scope) -> bool:
    """The cockpit is for the office and for leaders (领导), each over the units they see."""
    return scope.office or "leader" in scope.roles


@dataclass(frozen=True)
class Checkpoint:
    """A day on which some of the category's scheduled periods end (季末, 年中, 年末…)."""

    day: dt.date
    label: str  # the names of the periods ending that day
    periods: tuple[str, ...]


@dataclass
class Row:
    """A visible object: its place in the engine's arrays and its stored result."""

    code: str
    name: str
    unit_id: int
    local: int
    result: Result | None


@dataclass
class Cockpit:
    """Everything one cockpit page shows, as of one day."""

    assessment: Assessment
    catalog: Catalog
    category: CategoryInfo
    as_of: dt.date
    time_share: float  # 时序进度 by the calendar: share of the assessment year gone by
    checkpoints: list[Checkpoint]
    current: Checkpoint | None
    previous: Checkpoint | None
    progress: CategoryProgress
    before: CategoryProgress | None  # at the previous checkpoint, for rank movement
    trend: list[tuple[Checkpoint, CategoryProgress]]
    rows: list[Row]  # visible objects, best progress first
    periods: dict[str, Period] = field(default_factory=dict)

    def local_indices(self) -> np.ndarray:
        return np.array([r.local for r in self.rows], dtype=np.int64)

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)


def categories_for(*, scope: Scope, assessment: Assessment) -> list[CategoryInfo]:
    """The assessment's categories with at least one object the user sees (one query)."""
    catalog = catalog_of(assessment)
    qs = Result.objects.filter(assessment=assessment)
    if scope.view_units is not None:
        qs = qs.filter(object__unit_id__in=scope.view_units)
    seen = set(qs.values_list("category", flat=True).distinct())
    return [c for c in catalog.categories.values() if c.code in seen]


def time_share(year: int, day: dt.date) -> float:
    """The share of the year gone by at the end of ``day`` (0 before, 1 after the year)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    return ((day - start).days + 1) / ((end - start).days + 1)


def checkpoints_of(prog: CategoryProgress, periods: dict[str, Period]) -> list[Checkpoint]:
    """The end days of the periods in the category's schedule, in order."""
    mask = prog.schedule_periods()
    by_day: dict[dt.date, list[Period]] = defaultdict(list)
    for code, on in zip(prog.periods, mask.tolist(), strict=True):
        if on and code in periods:
            by_day[periods[code].ends].append(periods[code])
    return [Checkpoint(day=d, label="／".join(p.name for p in sorted(ps, key=lambda p: p.position)),
                       periods=tuple(p.code for p in ps)) for d, ps in sorted(by_day.items())]


def _elapsed(prog_periods: list[str], periods: dict[str, Period], day: dt.date) -> np.ndarray:
    return np.array([code in periods and periods[code].ends <= day for code in prog_periods], dtype=bool)


def cockpit_build(*, scope: Scope, assessment: Assessment, category: str, as_of: dt.date | None = None,
                  unit: int | None = None) -> Cockpit:
    """The category's progress as of a day, from its stored node scores.

    Without ``as_of``: the latest checkpoint that has passed (today, if none has). With ``unit``:
    only the visible objects of that unit (a section's staff, say) are shown; ranks stay the
    category's.
    """
    catalog = catalog_of(assessment)
    info = catalog.categories[category]
    periods = {p.code: p for p in assessment.periods.all()}
    arrays = stored_scores(assessment=assessment, category=category, catalog=catalog) or _empty(catalog, category)
    codes = arrays.periods
    kinds = [periods[c].kind if c in periods else "other" for c in codes]
    warn = settings.JIXIAO_PROGRESS_WARN

    def at(day: dt.date) -> CategoryProgress:
        return progress(arrays, category, kinds, _elapsed(codes, periods, day), warn=warn)

    # The schedule does not depend on the day; any day gives the checkpoints.
    checkpoints = checkpoints_of(at(dt.date(assessment.year, 12, 31)), periods)
    today = clock.today()
    if as_of is None:
        passed = [c for c in checkpoints if c.day <= today]
        as_of = passed[-1].day if passed else today
    current = next((c for c in reversed(checkpoints) if c.day <= as_of), None)
    previous = next((c for c in reversed(checkpoints) if current and c.day < current.day), None)
    trend = [(c, at(c.day)) for c in checkpoints if c.day <= as_of]
    now = at(as_of)
    before = at(previous.day) if previous else None

    index = arrays.index
    results = Result.objects.filter(assessment=assessment, category=category).select_related("object")
    if scope.view_units is not None:
        results = results.filter(object__unit_id__in=scope.view_units)
    if unit is not None:
        results = results.filter(object__unit_id=unit)
    rows = []
    for r in results:
        g = index.get(r.object.code)
        if g is not None:
            rows.append(Row(code=r.object.code, name=r.object.name, unit_id=r.object.unit_id,
                            local=g, result=r))
    rank = now.rank
    rows.sort(key=lambda r: (int(rank[r.local]), r.code))
    return Cockpit(assessment=assessment, catalog=catalog, category=info, as_of=as_of,
                   time_share=time_share(assessment.year, as_of), checkpoints=checkpoints, current=current,
                   previous=previous, progress=now, before=before, trend=trend, rows=rows, periods=periods)


def _empty(catalog: Catalog, category: str) -> CategoryArrays:
    """No node scores stored yet (nothing recomputed so far): a category with no objects."""
    cc = next(c for c in catalog.compiled.categories if c.code == category)
    n_per = len(catalog.compiled.periods)
    return CategoryArrays(cc=cc, periods=list(catalog.compiled.periods), decimals=catalog.compiled.decimals,
                          objects=[], names=[], groups=[], per_period=np.zeros((len(cc.nodes), n_per, 0)),
                          overall=np.zeros((len(cc.nodes), 0)))


def unit_names(ids: set[int]) -> dict[int, str]:
    """Names of these units (one query)."""
    return dict(Unit.objects.filter(id__in=ids).values_list("id", "name"))


@dataclass(frozen=True)
class UnitMatters:
    """Open supervised matters of one lead unit by light (督办红灯)."""

    unit: Unit
    red: int
    yellow: int


def matters_by_unit(*, scope: Scope) -> list[UnitMatters]:
    """Open matters the user sees with a red or yellow light, counted by lead unit (three queries)."""
    qs = matters_visible(scope=scope).filter(state__in=OPEN_STATES)
    light = lights_for(qs)
    lead = dict(Matter.objects.filter(id__in=list(light)).values_list("id", "lead_unit_id"))
    red: dict[int, int] = defaultdict(int)
    yellow: dict[int, int] = defaultdict(int)
    for mid, lt in light.items():
        if lt == "red":
            red[lead[mid]] += 1
        elif lt == "yellow":
            yellow[lead[mid]] += 1
    ids = set(red) | set(yellow)
    out = [UnitMatters(unit=u, red=red[u.pk], yellow=yellow[u.pk]) for u in Unit.objects.filter(id__in=ids)]
    return sorted(out, key=lambda m: (-m.red, -m.yellow, m.unit.code))


@dataclass(frozen=True)
class Unreported:
    """A responsible unit that has not reported everything due in a period (未报送)."""

    unit: Unit
    period: Period
    expected: int
    reported: int

    @property
    def percent(self) -> float:
        return 100.0 * self.reported / self.expected if self.expected else 100.0


def unreported(*, scope: Scope, cockpit: Cockpit) -> list[Unreported]:
    """Units short of their values in the periods of the current checkpoint, for the visible units
    (the data-source units included: they report for the visible objects)."""
    if cockpit.current is None:
        return []
    out = []
    for code in cockpit.current.periods:
        period = cockpit.periods[code]
        for rate in recording_rates(period=period):
            if rate.reported >= rate.expected:
                continue
            if scope.view_units is not None and rate.unit.pk not in scope.view_units | scope.source_units:
                continue
            out.append(Unreported(unit=rate.unit, period=period, expected=rate.expected, reported=rate.reported))
    return sorted(out, key=lambda u: (u.percent, u.unit.code, u.period.position))
