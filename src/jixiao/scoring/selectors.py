"""Reads of results and traces, scoped, and of publications (结果公示)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jixiao.engine.trace import TraceNode, explain, headline
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.models import Assessment
from jixiao.scoring.models import Publication, Result
from jixiao.scoring.services import score_assessment


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


def trace_of(*, assessment: Assessment, obj: AssessedObject) -> tuple[TraceNode, list[str]]:
    """The engine's explanation of one object's score, recomputed from the ledger now."""
    result, _, _ = score_assessment(assessment, {obj.category.code})
    return explain(result, obj.code), headline(result, obj.code)


def publications_for(*, scope: Scope, assessment: Assessment | None = None) -> QuerySet[Publication]:
    """Publications, newest first, withdrawn ones included (marked). 公示 is for the whole
    government: every signed-in user reads every publication, whatever results he may see
    otherwise; nobody else reads any."""
    if not scope.authenticated:
        return Publication.objects.none()
    qs = Publication.objects.select_related("assessment", "published_by", "withdrawn_by").defer("snapshot")
    return qs.filter(assessment=assessment) if assessment is not None else qs


def publication_by_token(token: str) -> Publication:
    """The publication behind a stable link, withdrawn or not; ``Publication.DoesNotExist`` if none."""
    return Publication.objects.select_related("assessment", "published_by", "withdrawn_by").get(token=token)
