"""Reads of results, node scores and traces, scoped, and of publications (结果公示).

Nothing here scores anything: pages read the stored results and the stored node scores
(:class:`~jixiao.scoring.models.CategoryScores`). An object's own explanation, scored on demand
for that one object, is :mod:`jixiao.scoring.explain`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from jixiao.collection.models import Ballot, Evidence, Incident, LedgerChange, Value
from jixiao.engine.stored import CategoryArrays
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, for_org
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import CategoryScores, CategoryScoresPage, Publication, RecomputeState, Result


def results_for(*, scope: Scope, assessment: Assessment, category: str) -> QuerySet[Result]:
    """A category's ranking, ordered by group then rank; scoped to the objects the user sees."""
    qs = (Result.objects.filter(assessment=assessment, category=category)
          .select_related("object__unit").order_by("group", "rank", "object__code"))
    units = scope.view_units
    if units is None:
        return qs
    if scope.person_id is not None:
        return qs.filter(Q(object__unit_id__in=units) | Q(object__person_id=scope.person_id))
    return qs.filter(object__unit_id__in=units)


def result_of(*, assessment: Assessment, obj: AssessedObject) -> Result | None:
    return Result.objects.filter(assessment=assessment, object=obj).first()


# Node scores read back, per process: a page view of a big category then costs one small query
# (is it still the latest?) instead of moving and unpacking tens of megabytes again.
_CACHE_SIZE = 4
_cache: OrderedDict[tuple[int, str], tuple[int, str, CategoryArrays]] = OrderedDict()
_cache_lock = threading.Lock()


def stored_scores(*, assessment: Assessment, category: str, catalog: Catalog | None = None) -> CategoryArrays | None:
    """The category's node scores as the last recompute stored them; None if it has none yet, or
    only ones scored with another scheme version (a switch's recompute replaces them)."""
    latest = (CategoryScores.objects.filter(assessment=assessment, category=category)
              .values_list("id", "computed_at", "scheme_digest").first())
    if latest is None or latest[2] != assessment.version.digest:
        return None
    pk, stamp = latest[0], latest[1].isoformat()
    key = (assessment.pk, category)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == pk and hit[1] == stamp:
            _cache.move_to_end(key)
            return hit[2]
    head = CategoryScores.objects.filter(pk=pk).values_list("data", flat=True).first()
    if head is None:
        return None
    pages = [bytes(d) for d in CategoryScoresPage.objects.filter(scores_id=pk).order_by("page")
             .values_list("data", flat=True)]
    catalog = catalog or catalog_of(assessment)
    arrays = CategoryArrays.from_parts(catalog.compiled, bytes(head), pages)
    with _cache_lock:
        _cache[key] = (pk, stamp, arrays)
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return arrays


def stored_scores_remember(*, assessment_id: int, category: str, pk: int, computed_at: Any,
                           arrays: CategoryArrays) -> None:
    """The recompute that just stored these keeps them in its process's cache, so its next patch
    of the same category starts from memory (computed_at as stored, to match later reads)."""
    with _cache_lock:
        _cache[(assessment_id, category)] = (pk, computed_at.isoformat(), arrays)
        _cache.move_to_end((assessment_id, category))
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def ledger_revision(*, assessment: Assessment) -> int:
    """The ledger's latest revision: the newest change waiting to be scored, else the newest one
    scored (two small queries). It rises with every write that can move a score or a count."""
    waiting = LedgerChange.objects.filter(assessment=assessment).aggregate(m=Max("id"))["m"]
    scored = CategoryScores.objects.filter(assessment=assessment).aggregate(m=Max("revision"))["m"]
    return max(waiting or 0, scored or 0)


def results_pending(*, assessment: Assessment, category: str | None = None) -> bool:
    """Whether the ledger has changes the stored results do not reflect yet ("结果更新中")."""
    qs = LedgerChange.objects.filter(assessment=assessment)
    return (qs.filter(category=category) if category is not None else qs).exists()


def recompute_state(*, assessment: Assessment) -> RecomputeState | None:
    return RecomputeState.objects.filter(assessment=assessment).first()


def pending_context(*, assessment: Assessment, category: str | None) -> dict[str, Any]:
    """What "结果更新中…" needs: whether results lag, and why the last run failed, if it did (two
    small queries, the second only while results lag)."""
    pending = results_pending(assessment=assessment, category=category)
    error = ""
    if pending:
        state = recompute_state(assessment=assessment)
        error = state.last_error if state is not None and not state.token else ""
    return {"pending": pending, "pending_error": error, "pending_category": category or ""}


def publications_for(*, scope: Scope, assessment: Assessment | None = None) -> QuerySet[Publication]:
    """Publications, newest first, withdrawn ones included (marked). 公示 is for the whole
    government: every signed-in user of its organisation reads every publication, whatever results he may see
    otherwise; nobody else reads any."""
    if not scope.authenticated:
        return Publication.objects.none()
    qs = for_org(Publication.objects.select_related("assessment", "published_by", "withdrawn_by").defer("snapshot"),
                 scope, "assessment__organisation")
    return qs.filter(assessment=assessment) if assessment is not None else qs


def publication_by_token(token: str) -> Publication:
    """The publication behind a stable link, withdrawn or not; ``Publication.DoesNotExist`` if none."""
    return Publication.objects.select_related("assessment", "published_by", "withdrawn_by").get(token=token)


@dataclass
class ObjectLedger:
    """What lies behind an object's score in an assessment: its values by indicator (each with its
    evidence by value id), its incidents (with their evidence) and its ballots by indicator."""
    values: dict[str, list[Value]]
    evidence: dict[int, list[Evidence]]
    incidents: list[Incident]
    ballots: dict[str, list[dict[str, Any]]]  # per indicator: {period_name, rating, n}, never a rater


def ledger_of_object(*, assessment: Assessment, obj: AssessedObject, by_rating: bool = True) -> ObjectLedger:
    """The ledger behind one object's explained score, in five queries whatever its size."""
    values = list(Value.objects.filter(assessment=assessment, object=obj).select_related("period", "updated_by")
                  .order_by("indicator", "period__position", "variable"))
    by_indicator: dict[str, list[Value]] = {}
    for v in values:
        by_indicator.setdefault(v.indicator, []).append(v)
    evidence: dict[int, list[Evidence]] = {}
    for ev in Evidence.objects.filter(value__in=values):
        assert ev.value_id is not None
        evidence.setdefault(ev.value_id, []).append(ev)
    incidents = list(Incident.objects.filter(assessment=assessment, object=obj).select_related("period")
                     .prefetch_related("evidence"))
    ballots: dict[str, list[dict[str, Any]]] = {}
    # Counted per rating for the office (it enters the tallies), else only how many per period.
    keys = ["indicator", "period__position", "period__name", *(["rating"] if by_rating else [])]
    for b in (Ballot.objects.filter(assessment=assessment, object=obj)
              .values(*keys).annotate(n=Sum("count")).order_by(*keys)):
        ballots.setdefault(b["indicator"], []).append(dict(b))
    return ObjectLedger(values=by_indicator, evidence=evidence, incidents=incidents, ballots=ballots)
