"""Reads of schemes, assessments and periods."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from jixiao.org.scoping import Scope, for_org
from jixiao.schemes.catalog import Catalog, catalog_for
from jixiao.schemes.models import Assessment, Period, Scheme, SchemeVersion


def catalog_of(assessment: Assessment) -> Catalog:
    return catalog_for(assessment.version.text)


def assessments_all(*, scope: Scope) -> QuerySet[Assessment]:
    """The assessments of the scope's organisation."""
    return for_org(Assessment.objects.select_related("version__scheme"), scope)


def assessment_get(code: str, *, scope: Scope) -> Assessment:
    """One assessment of the scope's organisation (DoesNotExist for another's)."""
    return assessments_all(scope=scope).get(code=code)


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
