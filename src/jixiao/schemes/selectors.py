"""Reads of schemes, assessments and periods."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from jixiao.org.scoping import Scope, for_org
from jixiao.schemes.catalog import Catalog, catalog_for
from jixiao.schemes.models import Assessment, Period, PeriodReopening, Scheme, SchemeVersion


def catalog_of(assessment: Assessment) -> Catalog:
    return catalog_for(assessment.version.text)


def assessments_all(*, scope: Scope) -> QuerySet[Assessment]:
    """The assessments of the scope's organisation."""
    return for_org(Assessment.objects.select_related("version__scheme"), scope)


def assessment_get(code: str, *, scope: Scope) -> Assessment:
    """One assessment of the scope's organisation (DoesNotExist for another's)."""
    return assessments_all(scope=scope).get(code=code)


def assessment_in_scope(*, scope: Scope, code: str) -> Assessment:
    """One assessment of the scope's organisation, for a page; ``Http404`` for another's."""
    return get_object_or_404(assessments_all(scope=scope), code=code)


def period_in_assessment(*, scope: Scope, assessment: Assessment, code: str) -> Period:
    """A period of an assessment (with its scheme version, which the ledger reads); ``Http404``
    when it has none of that code or the assessment lies outside the scope's organisation."""
    return get_object_or_404(for_org(Period.objects.select_related("assessment__version"), scope,
                                     "assessment__organisation"), assessment=assessment, code=code)


def period_get(*, scope: Scope, pk: int) -> Period:
    """A period of the scope's organisation by id; ``Http404`` for another's."""
    return get_object_or_404(for_org(Period.objects.all(), scope, "assessment__organisation"), pk=pk)


def scheme_get(*, scope: Scope, pk: int) -> Scheme:
    """A scheme of the scope's organisation by id; ``Http404`` for another's."""
    return get_object_or_404(schemes_all(scope=scope), pk=pk)


def version_get(*, scope: Scope, pk: int) -> SchemeVersion:
    """A scheme version of the scope's organisation with its scheme, author and origin; ``Http404``
    for another's."""
    return get_object_or_404(versions_in_org(scope=scope).select_related("scheme", "created_by", "based_on"), pk=pk)


def assessments_of_scheme(*, scope: Scope, scheme: Scheme) -> QuerySet[Assessment]:
    """The assessments using any version of a scheme, newest first, with their version."""
    return (for_org(Assessment.objects.filter(version__scheme=scheme), scope).select_related("version")
            .order_by("-year", "code"))


def periods_of(assessment: Assessment) -> QuerySet[Period]:
    return assessment.periods.order_by("position")


def schemes_all(*, scope: Scope) -> QuerySet[Scheme]:
    return for_org(Scheme.objects.all(), scope)


def versions_in_org(*, scope: Scope) -> QuerySet[SchemeVersion]:
    """The scheme versions of the scope's organisation (single fetches by id go through this)."""
    return for_org(SchemeVersion.objects.all(), scope, "scheme__organisation")


def versions_of(scheme: Scheme) -> QuerySet[SchemeVersion]:
    return scheme.versions.select_related("created_by").order_by("-number")


def schemes_with_recent_versions(recent: int, *, scope: Scope) -> QuerySet[Scheme]:
    """The schemes of the scope's organisation by code, each with its ``recent`` latest versions
    (and the assessments using them) prefetched and its number of versions as ``n_versions``:
    every save adds a version."""
    versions = (SchemeVersion.objects.select_related("created_by", "based_on").order_by("-number")
                .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-year", "code"))))
    return (schemes_all(scope=scope).order_by("code").annotate(n_versions=Count("versions"))
            .prefetch_related(Prefetch("versions", queryset=versions[:recent], to_attr="recent_versions")))


def versions_page_of(scheme: Scheme) -> QuerySet[SchemeVersion]:
    """Every version of a scheme, newest first, with who made it and the assessments using it."""
    return (scheme.versions.select_related("created_by", "based_on").order_by("-number")
            .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-year", "code"))))


def assessments_with_periods(*, scope: Scope) -> QuerySet[Assessment]:
    """The assessments of the scope's organisation, newest first, with their periods."""
    return (assessments_all(scope=scope).order_by("-year", "code")
            .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("position"))))


def reopenings_pending_of(period_ids: list[int]) -> dict[int, PeriodReopening]:
    """The pending reopening request of each of these (closed) periods; one query, none when empty."""
    if not period_ids:
        return {}
    rows = (PeriodReopening.objects.filter(period_id__in=period_ids, status=PeriodReopening.Status.PENDING)
            .select_related("requested_by"))
    return {r.period_id: r for r in rows}


def reopenings_pending(*, scope: Scope) -> QuerySet[PeriodReopening]:
    """The reopening requests of the scope's organisation waiting for a second person's approval."""
    return (for_org(PeriodReopening.objects.filter(status=PeriodReopening.Status.PENDING), scope,
                    "period__assessment__organisation")
            .select_related("period__assessment", "requested_by").order_by("requested_at", "id"))
