"""Reads for the API that the apps' selectors do not already offer, scoped like the pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from jixiao.collection.models import Value
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, for_org
from jixiao.org.selectors import objects_of_org, objects_visible
from jixiao.schemes.models import Assessment, Scheme, SchemeVersion
from jixiao.schemes.selectors import catalog_of


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
