"""Reads for the API that the apps' selectors do not already offer, scoped like the pages."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from jixiao.api.permissions import sees_reference
from jixiao.collection.models import Value
from jixiao.org.models import AssessedObject, Category
from jixiao.org.scoping import Scope, for_org
from jixiao.org.selectors import categories_all, objects_of_org, objects_visible
from jixiao.schemes.models import Assessment, Period, Scheme, SchemeVersion
from jixiao.schemes.selectors import assessment_in_scope, assessments_all, catalog_of
from jixiao.scoring.models import Result
from jixiao.scoring.selectors import results_for


def source_condition(*, scope: Scope, assessments: Iterable[Assessment]) -> Q | None:
    """Values of the indicators a data-source reporter reports: per assessment, the categories'
    groups and the value indicators sourced to his unit. ``None`` when there are none."""
    cond: Q | None = None
    if not scope.source_keys:
        return None
    for assessment in assessments:
        catalog = catalog_of(assessment)
        for category, codes in catalog.sourced_to(scope.source_keys).items():
            q = Q(assessment_id=assessment.pk, object__group__in=catalog.categories[category].groups,
                  indicator__in=codes)
            cond = q if cond is None else cond | q
    return cond


def values_visible(*, scope: Scope, assessments: Iterable[Assessment] | None = None) -> QuerySet[Value]:
    """Values the scope sees: all for the office; the objects of the units it oversees or reports
    for (and a person's own); a data-source reporter's indicators for every object.

    ``assessments`` bounds the assessments whose schemes are read for the data-source rule
    (default: all)."""
    qs = for_org(Value.objects.select_related("assessment", "period", "object", "updated_by"), scope,
                 "assessment__organisation")
    units = scope.view_units
    if units is None:
        return qs
    cond = Q(object__unit_id__in=units)
    if scope.person_id is not None:
        cond |= Q(object__person_id=scope.person_id)
    if scope.source_keys:
        if assessments is None:
            assessments = for_org(Assessment.objects.select_related("version"), scope)
        source = source_condition(scope=scope, assessments=assessments)
        if source is not None:
            cond |= source
    return qs.filter(cond)


def objects_for_api(*, scope: Scope) -> QuerySet[AssessedObject]:
    """The objects the scope sees in full, and for a data-source reporter also those he reports
    indicators for (so a data-source system knows the codes to post), as on the ledger pages."""
    qs = objects_visible(scope=scope)
    if scope.source_keys and not scope.office:
        cats = {c for a in for_org(Assessment.objects.select_related("version"), scope)
                for c in catalog_of(a).sourced_to(scope.source_keys)}
        qs = qs | objects_of_org(scope=scope).filter(category__code__in=cats)
    return qs.distinct().select_related("category", "unit", "parent", "person").order_by("category__position", "code")


def schemes_visible(*, scope: Scope) -> QuerySet[Scheme]:
    """The office sees every scheme and draft; everyone else the adopted (frozen) versions only,
    since drafts are the office's work in progress."""
    versions = SchemeVersion.objects.order_by("-number")
    schemes = for_org(Scheme.objects.all(), scope)
    if scope.office:
        return schemes.prefetch_related(Prefetch("versions", queryset=versions))
    adopted = versions.filter(status=SchemeVersion.Status.ADOPTED)
    return (schemes.filter(versions__status=SchemeVersion.Status.ADOPTED).distinct()
            .prefetch_related(Prefetch("versions", queryset=adopted)))


def version_visible(*, scope: Scope, scheme: str, number: int) -> SchemeVersion | None:
    qs = for_org(SchemeVersion.objects.select_related("scheme"), scope, "scheme__organisation").filter(
        scheme__code=scheme, number=number)
    if not scope.office:
        qs = qs.filter(status=SchemeVersion.Status.ADOPTED)
    return qs.first()


# --- reference data: visible to anyone the organisation knows (``sees_reference``) ---------------


def categories_for_api(*, scope: Scope) -> QuerySet[Category]:
    qs = categories_all(scope=scope)
    return qs if sees_reference(scope) else qs.none()


def schemes_for_api(*, scope: Scope) -> QuerySet[Scheme]:
    return schemes_visible(scope=scope) if sees_reference(scope) else Scheme.objects.none()


def assessments_for_api(*, scope: Scope) -> QuerySet[Assessment]:
    qs = assessments_all(scope=scope)
    return qs if sees_reference(scope) else qs.none()


def assessment_for_api(*, scope: Scope, code: str) -> Assessment:
    """An assessment of the scope's organisation; ``Http404`` for another's and for an account
    the organisation does not know."""
    if not sees_reference(scope):
        raise Http404
    return assessment_in_scope(scope=scope, code=code)


def period_for_api(*, scope: Scope, assessment: str, code: str) -> Period:
    """A period by assessment code and period code, with its scheme version; ``Http404`` for
    another organisation's."""
    return get_object_or_404(for_org(Period.objects.select_related("assessment__version"), scope,
                                     "assessment__organisation"), assessment__code=assessment, code=code)


# --- values and results -------------------------------------------------------------------------


def values_of_assessment(*, scope: Scope, code: str | None) -> QuerySet[Value]:
    """The values the scope sees, of one assessment when ``code`` is given (none for an unknown
    code: a list, not a 404)."""
    if not code:
        return values_visible(scope=scope)
    assessment = assessments_all(scope=scope).filter(code=code).first()
    if assessment is None:
        return Value.objects.none()
    return values_visible(scope=scope, assessments=[assessment]).filter(assessment=assessment)


def values_of_period(*, scope: Scope, assessment: str, code: str) -> QuerySet[Value]:
    """The values of one period the scope sees; none for an account the organisation does not
    know, ``Http404`` for an unknown period."""
    if not sees_reference(scope):
        return Value.objects.none()
    period = period_for_api(scope=scope, assessment=assessment, code=code)
    return values_visible(scope=scope, assessments=[period.assessment]).filter(period=period)


def results_for_api(*, scope: Scope, assessment: Assessment, category: str | None) -> QuerySet[Result]:
    """The results of an assessment the scope sees, of one category or all; none for a category
    the scheme does not have."""
    categories = list(catalog_of(assessment).categories)
    if category:
        if category not in categories:
            return Result.objects.none()
        categories = [category]
    qs = reduce(or_, [results_for(scope=scope, assessment=assessment, category=c) for c in categories])
    return qs.order_by("category", "group", "rank", "object__code")
