"""The home page per role: the office's queues, leaders' progress, reporters' returns and reminders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from jixiao.collection.models import Incident, Reminder, Value
from jixiao.collection.selectors import recording_rates
from jixiao.collection.selectors_review import indicator_name, verifiable
from jixiao.org.scoping import Scope, for_org
from jixiao.org.selectors import objects_visible
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import assessments_all, catalog_of

RETURNED_SHOWN = 10


@dataclass
class Progress:
    """How far an assessment has got for what the user oversees: the recording rate of its current
    period (the open one, else the last) and how many of his objects have results."""

    assessment: Assessment
    period: Period | None
    expected: int
    reported: int
    objects: int
    scored: int | None = None  # filled in by the project's home view: results are scoring's

    @property
    def percent(self) -> float:
        return 100.0 * self.reported / self.expected if self.expected else 100.0


def reports(scope: Scope) -> bool:
    """Whether the user reports data for a unit (and so is the one reminders and returns are for)."""
    return not scope.office and bool(scope.report_units or scope.source_units)


def oversees(scope: Scope) -> bool:
    """The office, a leader or a unit head: the one who follows progress and results."""
    return scope.office or bool(scope.leader_units or scope.head_units)


def progress_of(*, scope: Scope, assessment: Assessment) -> Progress:
    periods = list(assessment.periods.order_by("position"))
    period = next((p for p in periods if p.is_open), periods[-1] if periods else None)
    expected = reported = 0
    if period is not None:
        period.assessment = assessment
        units = None if scope.office else scope.leader_units | scope.head_units
        for r in recording_rates(period=period):
            if units is None or r.unit.pk in units:
                expected, reported = expected + r.expected, reported + r.reported
    objects = objects_visible(scope=scope, categories=list(catalog_of(assessment).categories)).count()
    return Progress(assessment=assessment, period=period, expected=expected, reported=reported, objects=objects)


def _busiest(counts: Counter[int], assessments: list[Assessment]) -> Assessment | None:
    """The assessment with the most waiting (a counter's link opens its queue there)."""
    if not counts:
        return None
    pk = counts.most_common(1)[0][0]
    return next((a for a in assessments if a.pk == pk), None)


def home_overview(*, scope: Scope) -> dict[str, Any]:
    """What the home page shows the user, by what he does: the office's counters of what waits
    for it (each links to its queue), the progress of each assessment for the office, leaders and
    heads, the returned values and reminders for reporters — a bounded number of queries."""
    assessments = list(assessments_all(scope=scope))
    out: dict[str, Any] = {"assessments": assessments, "reporter": reports(scope), "overseer": oversees(scope)}
    if scope.office:
        # What waits in the organisation the office works in (not in its other one).
        in_org = [a.pk for a in assessments]
        incidents = Counter(dict(Incident.objects.filter(status=Incident.Status.PENDING, assessment_id__in=in_org)
                                 .values("assessment").annotate(n=Count("id")).values_list("assessment", "n")))
        values = Counter(dict(Value.objects.filter(status=Value.Status.SUBMITTED, assessment_id__in=in_org)
                              .values("assessment").annotate(n=Count("id")).values_list("assessment", "n")))
        out.update(pending_incidents=sum(incidents.values()), incidents_at=_busiest(incidents, assessments),
                   to_verify=sum(values.values()), verify_at=_busiest(values, assessments))
    elif scope.verifies:
        # A unit head: his staff's and sections' submitted values (四级考核).
        submitted = Value.objects.filter(status=Value.Status.SUBMITTED, assessment_id__in=[a.pk for a in assessments])
        mine = verifiable(submitted, scope)
        values = Counter(dict(mine.values("assessment").annotate(n=Count("id")).values_list("assessment", "n")))
        out.update(to_verify=sum(values.values()), verify_at=_busiest(values, assessments))
    if out["overseer"]:
        out["progress"] = [progress_of(scope=scope, assessment=a) for a in assessments]
    if out["reporter"]:
        units = scope.report_units | scope.source_units
        returned = (for_org(Value.objects.filter(status=Value.Status.RETURNED), scope, "assessment__organisation")
                    .filter(Q(object__unit_id__in=scope.report_units) | Q(updated_by_id=scope.user_id))
                    .select_related("object", "period__assessment__version").order_by("-updated_at", "-id"))
        out["returned"] = returned.count()
        out["returned_rows"] = [{"v": v, "indicator": indicator_name(catalog_of(v.period.assessment), v)}
                                for v in returned[:RETURNED_SHOWN]]
        out["reminders"] = list(for_org(Reminder.objects.filter(unit_id__in=units), scope, "assessment__organisation")
                                .select_related("period", "unit", "sent_by")[:10])
    return out
