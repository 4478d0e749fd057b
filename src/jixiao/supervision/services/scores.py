"""Matters as an indicator source: "the process of working is the process of assessment".

A scheme's ``supervision`` indicators take four variables per object and period — ``due``,
``on_time``, ``overdue`` and ``returned`` — which nobody types: they are counted here from the
matters whose lead unit is the object's unit, and written to the ledger as verified values
(``via="supervision"``, so every number keeps its history and its recompute). The counting rules
(``count_matters``) are pure and documented in the README:

- a matter belongs to the period its (possibly extended) deadline falls in; it counts once it
  is *due* — its deadline has passed as of ``min(today, period end)`` — or it is checked/closed;
- ``on_time``: checked or closed, with the completion report dated on or before the deadline;
- ``overdue``: due and not on time — still open, or reported late; a report made on time and
  still awaiting the office's check counts in neither (it is not decided yet);
- ``due`` = ``on_time`` + ``overdue``;
- ``returned``: check-returns (退回重办) dated within the period up to ``today``.

The indicator's ``source`` picks the kind of matter: ``督办事项`` or ``整改事项``; blank counts both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.collection.services.values import ValueInput, values_bulk_upsert
from jixiao.core import clock
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.catalog import Leaf
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of
from jixiao.supervision.models import Matter, Step

SYSTEM = Scope(user_id=None, office=True, every_organisation=True)
KIND_BY_SOURCE = {label: value for value, label in Matter.Kind.choices}
VARIABLES = ("due", "on_time", "overdue", "returned")


@dataclass(frozen=True)
class MatterRow:
    unit: int
    kind: str
    state: str
    deadline: dt.date
    completed_on: dt.date | None


@dataclass(frozen=True)
class Counts:
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    returned: int = 0


def count_matters(matters: Iterable[MatterRow], returns: Iterable[tuple[int, str, dt.date]], *, starts: dt.date,
                  ends: dt.date, today: dt.date, kind: str | None) -> dict[int, Counts]:
    """Counts per unit for one period. ``returns`` are ``(unit, kind, date)`` of check-returns."""
    as_of = min(today, ends)
    on_time: dict[int, int] = defaultdict(int)
    overdue: dict[int, int] = defaultdict(int)
    returned: dict[int, int] = defaultdict(int)
    units: set[int] = set()
    for m in matters:
        if kind and m.kind != kind:
            continue
        if m.state in Matter.BEFORE_ASSIGNMENT or not starts <= m.deadline <= ends:
            continue
        done = m.state in (Matter.State.CHECKED, Matter.State.CLOSED)
        if not done and m.deadline >= as_of:
            continue  # not due yet
        units.add(m.unit)
        reported_on_time = m.completed_on is not None and m.completed_on <= m.deadline
        if done and reported_on_time:
            on_time[m.unit] += 1
        elif m.state == Matter.State.REPORTED and reported_on_time:
            continue  # awaiting the check: not decided yet
        else:
            overdue[m.unit] += 1
    for unit, k, on in returns:
        if (not kind or k == kind) and starts <= on <= as_of:
            returned[unit] += 1
            units.add(unit)
    return {u: Counts(due=on_time[u] + overdue[u], on_time=on_time[u], overdue=overdue[u], returned=returned[u])
            for u in units}


def _leaves(assessment: Assessment) -> list[Leaf]:
    catalog = catalog_of(assessment)
    return [lf for c in catalog.categories.values() for lf in c.leaves if lf.method == "supervision"]


def supervision_values_sync(*, unit_ids: set[int] | None = None, today: dt.date | None = None,
                            assessments: Iterable[Assessment] | None = None) -> int:
    """Recount the supervision indicators of the open periods that have begun, for the objects of
    these units (all when ``None``), and write what changed. Returns the number of values written.
    Runs inside the caller's transaction (a matter's check, close or extension; the daily job)."""
    today = today or clock.today()
    written = 0
    for assessment in assessments if assessments is not None else Assessment.objects.select_related("version"):
        leaves = _leaves(assessment)
        if not leaves:
            continue
        periods = list(Period.objects.filter(assessment=assessment, status=Period.Status.OPEN, starts__lte=today))
        if not periods:
            continue
        catalog = catalog_of(assessment)
        groups = {g: c for c in catalog.categories.values() for g in c.groups}
        objs = AssessedObject.objects.filter(active=True, person__isnull=True, group__in=list(groups),
                                             unit__organisation_id=assessment.organisation_id)
        if unit_ids is not None:
            objs = objs.filter(unit_id__in=unit_ids)
        by_unit: dict[int, list[AssessedObject]] = defaultdict(list)
        for o in objs:
            by_unit[o.unit_id].append(o)
        if not by_unit:
            continue
        lo = min(p.starts for p in periods)
        hi = max(p.ends for p in periods)
        rows = [MatterRow(*r) for r in Matter.objects.filter(lead_unit_id__in=list(by_unit), deadline__gte=lo,
                                                             deadline__lte=hi)
                .values_list("lead_unit_id", "kind", "state", "deadline", "completed_on")]
        returns = list(Step.objects.filter(action="check_return", matter__lead_unit_id__in=list(by_unit),
                                           on__gte=lo, on__lte=min(hi, today))
                       .values_list("matter__lead_unit_id", "matter__kind", "on"))
        for period in periods:
            inputs: list[ValueInput] = []
            per_kind: dict[str | None, dict[int, Counts]] = {}
            for leaf in leaves:
                if not leaf.applies(period.code):
                    continue
                kind = KIND_BY_SOURCE.get(leaf.source.strip()) if leaf.source.strip() else None
                if kind not in per_kind:
                    per_kind[kind] = count_matters(rows, returns, starts=period.starts, ends=period.ends, today=today,
                                                   kind=kind)
                counts = per_kind[kind]
                for unit, objects in by_unit.items():
                    c = counts.get(unit, Counts())
                    for o in objects:
                        if groups.get(o.group) is None or groups[o.group].code != leaf.category:
                            continue
                        inputs += [ValueInput(object=o.code, indicator=leaf.code, variable=v,
                                              value=Decimal(getattr(c, v))) for v in VARIABLES if v in leaf.variables]
            if inputs:
                written += values_bulk_upsert(actor=None, scope=SYSTEM, period=period, rows=inputs, via="supervision")
    return written
