"""Reads for the cockpit: the engine's progress over the stored node scores, scoped to what the
user sees.

One build per page: the category's node scores as the last recompute stored them (one small
query, and a few more to fetch them when this process has not cached that revision; never the
ledger), the progress at every checkpoint is arithmetic on those arrays (no query; kept in this
process for the next view of the same scores and days), and the visible objects come with their
stored results in one query, read as columns (a city's 32,000 staff are not made into model
instances). Supervision lights and recording rates add a few queries, none per object or matter.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db.models import Exists

from jixiao.collection.selectors import Rate, recording_rates
from jixiao.core import clock
from jixiao.engine.progress import CategoryProgress, RootProgress, Schedule
from jixiao.engine.stored import CategoryArrays
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, for_org
from jixiao.schemes.catalog import Catalog, CategoryInfo
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Result
from jixiao.scoring.selectors import ledger_revision, stored_scores
from jixiao.supervision.lights import OPEN_STATES
from jixiao.supervision.models import Matter
from jixiao.supervision.selectors import lights_for, matters_visible

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


def may_view(scope: Scope) -> bool:
    """The cockpit is for the office and for leaders (领导), each over the units they see."""
    return scope.office or "leader" in scope.roles


@dataclass(frozen=True)
class Checkpoint:
    """A day on which some of the category's scheduled periods end (季末, 年中, 年末…)."""

    day: dt.date
    label: str  # the names of the periods ending that day
    periods: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One visible object: its place in the engine's arrays and its stored result."""

    code: str
    name: str
    unit_id: int
    local: int
    total: float | None
    grade: str


@dataclass
class Cockpit:
    """Everything one cockpit page shows, as of one day.

    The visible objects are columns in display order (best progress first): ``codes[i]``,
    ``names[i]``, ``units[i]``, ``local[i]`` (the object's place in the engine's arrays)…"""

    assessment: Assessment
    catalog: Catalog
    category: CategoryInfo
    as_of: dt.date
    time_share: float  # 时序进度 by the calendar: share of the assessment year gone by
    checkpoints: list[Checkpoint]
    current: Checkpoint | None
    previous: Checkpoint | None
    progress: CategoryProgress
    before: RootProgress | None  # at the previous checkpoint, for rank movement
    trend: list[tuple[Checkpoint, RootProgress]]
    codes: list[str]
    names: list[str]
    units: I64  # each visible object's unit id
    local: I64
    totals: list[float | None]  # the stored results' totals and grades (as last recomputed)
    grades: list[str]
    periods: dict[str, Period] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.codes)

    def local_indices(self) -> I64:
        return self.local

    def at(self, i: int) -> Row:
        """The ``i``-th visible object."""
        return Row(code=self.codes[i], name=self.names[i], unit_id=int(self.units[i]), local=int(self.local[i]),
                   total=self.totals[i], grade=self.grades[i])

    def row(self, code: str) -> Row | None:
        try:
            return self.at(self.codes.index(code))
        except ValueError:
            return None


def categories_for(*, scope: Scope, assessment: Assessment) -> list[CategoryInfo]:
    """The assessment's categories with at least one object the user sees (one query: whether a
    result exists, per category, each found by the index without reading the category's rows)."""
    catalog = catalog_of(assessment)
    cats = list(catalog.categories.values())
    if not cats:
        return []
    qs = Result.objects.filter(assessment=assessment).order_by()
    if scope.view_units is not None:
        qs = qs.filter(object__unit_id__in=scope.view_units)
    has = {f"has_{i}": Exists(qs.filter(category=c.code)) for i, c in enumerate(cats)}
    seen = Assessment.objects.filter(pk=assessment.pk).annotate(**has).values_list(*has).first()
    return [c for c, on in zip(cats, seen or [False] * len(cats), strict=True) if on]


def time_share(year: int, day: dt.date) -> float:
    """The share of the year gone by at the end of ``day`` (0 before, 1 after the year)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    return ((day - start).days + 1) / ((end - start).days + 1)


def checkpoints_of(mask: Bool, codes: list[str], periods: dict[str, Period]) -> list[Checkpoint]:
    """The end days of the periods in the category's schedule (``mask`` over the scheme's period
    ``codes``: :meth:`~jixiao.engine.progress.Schedule.checkpoint_periods`), in order."""
    by_day: dict[dt.date, list[Period]] = defaultdict(list)
    for code, on in zip(codes, mask.tolist(), strict=True):
        if on and code in periods:
            by_day[periods[code].ends].append(periods[code])
    return [Checkpoint(day=d, label="／".join(p.name for p in sorted(ps, key=lambda p: p.position)),
                       periods=tuple(p.code for p in ps)) for d, ps in sorted(by_day.items())]


def _elapsed(prog_periods: list[str], periods: dict[str, Period], day: dt.date) -> Bool:
    return np.array([code in periods and periods[code].ends <= day for code in prog_periods], dtype=bool)


# Progress kept in this process, per category's node scores (the object stored_scores() returns
# for a revision: a new revision, or a patch, is a new object; none is changed in place) and days:
# the next view of the cockpit (a leader's click, the meeting-room display's refresh) does no
# arithmetic. A few entries: a city's staff take about 20 MB for one day's every node, 6 MB for a
# year's trend of the root.
_CACHE_SIZE = 6
_cache: OrderedDict[tuple[object, ...], tuple[CategoryArrays, object]] = OrderedDict()
_lock = threading.Lock()


def _cached(key: tuple[object, ...], arrays: CategoryArrays) -> object | None:
    with _lock:
        hit = _cache.get(key)
        if hit is None or hit[0] is not arrays:
            return None
        _cache.move_to_end(key)
        return hit[1]


def _keep(key: tuple[object, ...], arrays: CategoryArrays, value: object) -> None:
    with _lock:
        _cache[key] = (arrays, value)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def _schedule(arrays: CategoryArrays, category: str, kinds: list[str]) -> Schedule:
    if not arrays.objects:  # nothing to work out (and no stored scores: a new object each time)
        return Schedule(arrays, category, kinds)
    key = ("schedule", id(arrays), tuple(kinds))
    hit = _cached(key, arrays)
    if isinstance(hit, Schedule):
        return hit
    sched = Schedule(arrays, category, kinds)
    _keep(key, arrays, sched)
    return sched


def _work(sched: Schedule, masks: list[Bool], now: Bool, warn: float, *, trend: bool
          ) -> tuple[list[RootProgress], CategoryProgress]:
    if not trend:
        return [], sched.at(now, warn=warn)
    unique: dict[bytes, int] = {}
    for m in [*masks, now]:
        unique.setdefault(m.tobytes(), len(unique))
    distinct, full = sched.days([np.frombuffer(b, dtype=bool) for b in unique], full=unique[now.tobytes()],
                                warn=warn)
    assert full is not None
    return [distinct[unique[m.tobytes()]] for m in masks], full


def _days(sched: Schedule, masks: list[Bool], now: Bool, warn: float, *, trend: bool
          ) -> tuple[list[RootProgress], CategoryProgress]:
    """The root's progress on each day of ``masks`` (with ``trend``; none without) and every
    node's on the day ``now``, computed in one pass for what this process does not have yet."""
    arrays = sched.arrays
    if not arrays.objects:
        return _work(sched, masks, now, warn, trend=trend)
    full_key = ("now", id(arrays), now.tobytes(), warn)
    trend_key = ("trend", id(arrays), tuple(m.tobytes() for m in masks))
    full = _cached(full_key, arrays)
    roots = _cached(trend_key, arrays) if trend else []
    if isinstance(full, CategoryProgress) and isinstance(roots, list):
        return roots, full
    if isinstance(roots, list):  # the trend is known (or not wanted): the day alone
        now_only = sched.at(now, warn=warn)
        _keep(full_key, arrays, now_only)
        return roots, now_only
    got, now_full = _work(sched, masks, now, warn, trend=True)
    _keep(trend_key, arrays, got)
    _keep(full_key, arrays, now_full)
    return got, now_full


def cockpit_build(*, scope: Scope, assessment: Assessment, category: str, as_of: dt.date | None = None,
                  unit: int | None = None, trend: bool = True) -> Cockpit:
    """The category's progress as of a day, from its stored node scores.

    Without ``as_of``: the latest checkpoint that has passed (today, if none has). With ``unit``:
    only the visible objects of that unit (a section's staff, say) are shown; ranks stay the
    category's. Without ``trend`` the progress at the earlier checkpoints is not worked out
    (``trend`` is empty, ``before`` None): a page that shows neither.
    """
    catalog = catalog_of(assessment)
    info = catalog.categories[category]
    periods = {p.code: p for p in assessment.periods.all()}
    arrays = stored_scores(assessment=assessment, category=category, catalog=catalog) or _empty(catalog, category)
    codes = arrays.periods
    kinds = [periods[c].kind if c in periods else "other" for c in codes]
    sched = _schedule(arrays, category, kinds)

    # The schedule does not depend on the day.
    checkpoints = checkpoints_of(sched.checkpoint_periods(), codes, periods)
    today = clock.today()
    if as_of is None:
        passed = [c for c in checkpoints if c.day <= today]
        as_of = passed[-1].day if passed else today
    current = next((c for c in reversed(checkpoints) if c.day <= as_of), None)
    previous = next((c for c in reversed(checkpoints) if current and c.day < current.day), None)
    shown = [c for c in checkpoints if c.day <= as_of]
    roots, now = _days(sched, [_elapsed(codes, periods, c.day) for c in shown], _elapsed(codes, periods, as_of),
                       settings.JIXIAO_PROGRESS_WARN, trend=trend)
    points = list(zip(shown, roots, strict=True)) if trend else []
    before = next((r for c, r in points if previous is not None and c.day == previous.day), None)

    results = Result.objects.filter(assessment=assessment, category=category).order_by()
    if scope.view_units is not None:
        results = results.filter(object__unit_id__in=scope.view_units)
    if unit is not None:
        results = results.filter(object__unit_id=unit)
    data = list(results.values_list("object__code", "object__name", "object__unit_id", "total", "grade"))
    index = arrays.index
    local = np.fromiter((index.get(r[0], -1) for r in data), dtype=np.int64, count=len(data))
    if (local < 0).any():  # objects not in the stored scores (none, once recomputed) are not shown
        data = [r for r, g in zip(data, local.tolist(), strict=True) if g >= 0]
        local = local[local >= 0]
    obj_codes = [r[0] for r in data]
    # Best progress first, then by code.
    order = np.lexsort((np.array(obj_codes, dtype=str), now.rank[local])) if data else np.zeros(0, dtype=np.int64)
    rows = [data[i] for i in order.tolist()]
    return Cockpit(assessment=assessment, catalog=catalog, category=info, as_of=as_of,
                   time_share=time_share(assessment.year, as_of), checkpoints=checkpoints, current=current,
                   previous=previous, progress=now, before=before, trend=points,
                   codes=[r[0] for r in rows], names=[r[1] for r in rows],
                   units=np.array([r[2] for r in rows], dtype=np.int64), local=local[order],
                   totals=[r[3] for r in rows], grades=[r[4] for r in rows], periods=periods)


def _empty(catalog: Catalog, category: str) -> CategoryArrays:
    """No node scores stored yet (nothing recomputed so far): a category with no objects."""
    cc = next(c for c in catalog.compiled.categories if c.code == category)
    n_per = len(catalog.compiled.periods)
    return CategoryArrays(cc=cc, periods=list(catalog.compiled.periods), decimals=catalog.compiled.decimals,
                          objects=[], names=[], groups=[], per_period=np.zeros((len(cc.nodes), n_per, 0)),
                          overall=np.zeros((len(cc.nodes), 0)))


def unit_names(ids: set[int], *, scope: Scope) -> dict[int, str]:
    """Names of these units of the scope's organisation (one query)."""
    return dict(for_org(Unit.objects.filter(id__in=ids), scope).values_list("id", "name"))


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


# Recording rates aggregate a period's values (a million for a city's staff): kept per process by
# the ledger's revision, which every counting write raises, and for a few minutes at most (units
# and objects can change without a ledger write).
_RATES_TTL = 300.0
_rates: dict[int, tuple[tuple[int, str], float, list[Rate]]] = {}
_rates_lock = threading.Lock()


def _rates_of(period: Period, revision: tuple[int, str]) -> list[Rate]:
    now = time.monotonic()
    with _rates_lock:
        hit = _rates.get(period.pk)
        if hit is not None and hit[0] == revision and now - hit[1] < _RATES_TTL:
            return hit[2]
    rates = recording_rates(period=period)
    with _rates_lock:
        _rates[period.pk] = (revision, now, rates)
        if len(_rates) > 64:
            _rates.pop(next(iter(_rates)))
    return rates


def unreported(*, scope: Scope, cockpit: Cockpit) -> list[Unreported]:
    """Units short of their values in the periods of the current checkpoint, for the visible units
    (the data-source units included: they report for the visible objects)."""
    if cockpit.current is None:
        return []
    out = []
    # The revision, and when results were last stored (a restored database may repeat an id).
    revision = (ledger_revision(assessment=cockpit.assessment), str(cockpit.assessment.results_at))
    for code in cockpit.current.periods:
        period = cockpit.periods[code]
        for rate in _rates_of(period, revision):
            if rate.reported >= rate.expected:
                continue
            if scope.view_units is not None and rate.unit.pk not in scope.view_units | scope.source_units:
                continue
            out.append(Unreported(unit=rate.unit, period=period, expected=rate.expected, reported=rate.reported))
    return sorted(out, key=lambda u: (u.percent, u.unit.code, u.period.position))
