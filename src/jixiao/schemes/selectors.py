"""Reads of schemes, assessments and periods."""

from __future__ import annotations

from django.db.models import QuerySet

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
