"""Reads of schemes, assessments and periods."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from jixiao.schemes.catalog import Catalog, catalog_for
from jixiao.schemes.models import Assessment, Period, Scheme, SchemeVersion


def catalog_of(assessment: Assessment) -> Catalog:
    return catalog_for(assessment.version.text)


def assessments_all() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("version__scheme")


def assessment_get(code: str) -> Assessment:
    return Assessment.objects.select_related("version__scheme").get(code=code)


def periods_of(assessment: Assessment) -> QuerySet[Period]:
    return assessment.periods.order_by("position")


def schemes_all() -> QuerySet[Scheme]:
    return Scheme.objects.prefetch_related("versions")


def versions_of(scheme: Scheme) -> QuerySet[SchemeVersion]:
    return scheme.versions.select_related("created_by").order_by("-number")


def schemes_with_recent_versions(recent: int) -> QuerySet[Scheme]:
    """Schemes by code, each with its ``recent`` latest versions (and the assessments using them)
    prefetched and its number of versions as ``n_versions``: every save adds a version."""
    versions = (SchemeVersion.objects.select_related("created_by", "based_on").order_by("-number")
                .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-year", "code"))))
    return (Scheme.objects.order_by("code").annotate(n_versions=Count("versions"))
            .prefetch_related(Prefetch("versions", queryset=versions[:recent], to_attr="recent_versions")))


def versions_page_of(scheme: Scheme) -> QuerySet[SchemeVersion]:
    """Every version of a scheme, newest first, with who made it and the assessments using it."""
    return (scheme.versions.select_related("created_by", "based_on").order_by("-number")
            .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-year", "code"))))


def assessments_with_periods() -> QuerySet[Assessment]:
    return (Assessment.objects.select_related("version__scheme").order_by("-year", "code")
            .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("position"))))
