"""The REST API: thin views over the apps' selectors and services, scoped like the pages.

Service errors become answers with ``{"detail": message, "field": field}``: a refused write
(``ServiceError``) 400, a scope that does not cover it (``NotAllowed``) 403, a stale edit, a
closed period or a frozen version 409. Nothing is written when any of them is raised.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import generics
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jixiao.api import serializers as s
from jixiao.api.checks import RowError, check_rows, flatten, row_shape_errors
from jixiao.api.permissions import AUTHENTICATION, PERMISSIONS, scope_of, sees_reference
from jixiao.api.selectors import (
    assessment_for_api,
    assessments_for_api,
    categories_for_api,
    objects_for_api,
    period_for_api,
    results_for_api,
    schemes_for_api,
    values_of_assessment,
    values_of_period,
    values_visible,
    version_visible,
)
from jixiao.collection.models import Value
from jixiao.collection.services import ValueInput, values_bulk_upsert
from jixiao.collection.services.values import value_change
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import AssessedObject, Category, Person, Unit
from jixiao.org.scoping import Scope
from jixiao.org.selectors import objects_visible, people_visible, units_visible
from jixiao.schemes.models import Assessment, Period, Scheme
from jixiao.schemes.selectors import catalog_of, periods_of
from jixiao.schemes.services import period_require_open
from jixiao.scoring.explain import trace_of
from jixiao.scoring.models import Result
from jixiao.scoring.seals import results_check
from jixiao.scoring.selectors import result_of


class Page(LimitOffsetPagination):
    max_limit = 2000


ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="refused; nothing was written"),
    403: OpenApiResponse(s.ErrorSerializer, description="the scope does not cover it"),
    409: OpenApiResponse(s.ErrorSerializer, description="stale edit, closed period or frozen version"),
}


class ScopedMixin(APIView):
    """Authentication, parsers and the service-error answers of every API view; put it first
    in the bases so that it overrides the generic views' defaults."""

    authentication_classes = AUTHENTICATION
    permission_classes = PERMISSIONS
    parser_classes = [JSONParser]  # bodies are nested lists: JSON only
    pagination_class: type[BasePagination] | None = Page

    @property
    def scope(self) -> Scope:
        return scope_of(self.request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ServiceError):
            return Response({"detail": exc.message, "field": exc.field}, status=exc.status)
        return super().handle_exception(exc)


def _assessment(scope: Scope, code: str) -> Assessment:
    return assessment_for_api(scope=scope, code=code)


def _writer(scope: Scope) -> None:
    if not (scope.office or scope.report_units or scope.source_units):
        raise NotAllowed("无权填报数据")


# --- organisation -----------------------------------------------------------------------------------

@extend_schema(summary="Units (单位) the scope sees, as a tree by parent code")
class UnitList(ScopedMixin, generics.ListAPIView[Unit]):
    serializer_class = s.UnitSerializer

    def get_queryset(self) -> QuerySet[Unit]:
        return units_visible(scope=self.scope).select_related("parent")


@extend_schema(summary="People (人员) of the units the scope sees")
class PersonList(ScopedMixin, generics.ListAPIView[Person]):
    serializer_class = s.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return people_visible(scope=self.scope).order_by("unit__code", "code")


@extend_schema(summary="Object categories (考核对象类别)")
class CategoryList(ScopedMixin, generics.ListAPIView[Category]):
    serializer_class = s.CategorySerializer

    def get_queryset(self) -> QuerySet[Category]:
        return categories_for_api(scope=self.scope)


@extend_schema(summary="Assessed objects (考核对象) the scope sees",
               parameters=[OpenApiParameter("category", str, description="category code")])
class ObjectList(ScopedMixin, generics.ListAPIView[AssessedObject]):
    serializer_class = s.ObjectSerializer

    def get_queryset(self) -> QuerySet[AssessedObject]:
        qs = objects_for_api(scope=self.scope)
        category = self.request.query_params.get("category")
        return qs.filter(category__code=category) if category else qs


# --- schemes, assessments, periods ------------------------------------------------------------------

@extend_schema(summary="Schemes (考核方案) with their versions (drafts for the office only)")
class SchemeList(ScopedMixin, generics.ListAPIView[Scheme]):
    serializer_class = s.SchemeSerializer

    def get_queryset(self) -> QuerySet[Scheme]:
        return schemes_for_api(scope=self.scope)


@extend_schema(summary="One scheme version with its YAML text")
class SchemeVersionDetail(ScopedMixin):
    @extend_schema(responses={200: s.VersionDetailSerializer})
    def get(self, request: Request, code: str, number: int) -> Response:
        scope = self.scope
        version = version_visible(scope=scope, scheme=code, number=number) if sees_reference(scope) else None
        if version is None:
            raise Http404
        return Response(s.VersionDetailSerializer(version).data)


@extend_schema(summary="Assessments (考核), each on one adopted scheme version")
class AssessmentList(ScopedMixin, generics.ListAPIView[Assessment]):
    serializer_class = s.AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return assessments_for_api(scope=self.scope)


@extend_schema(summary="Periods (考核期) of an assessment")
class PeriodList(ScopedMixin, generics.ListAPIView[Period]):
    serializer_class = s.PeriodSerializer

    def get_queryset(self) -> QuerySet[Period]:
        return periods_of(_assessment(self.scope, self.kwargs["code"]))


# --- values -----------------------------------------------------------------------------------------

VALUE_FILTERS = [
    OpenApiParameter("object", str, description="object code"),
    OpenApiParameter("indicator", str, description="indicator code"),
    OpenApiParameter("variable", str, description="variable, e.g. value or target"),
    OpenApiParameter("status", str, enum=Value.Status.values),
]


def _filter_values(qs: QuerySet[Value], params: Any) -> QuerySet[Value]:
    for param, lookup in (("object", "object__code"), ("indicator", "indicator"), ("variable", "variable"),
                          ("status", "status")):
        if params.get(param):
            qs = qs.filter(**{lookup: params[param]})
    return qs.order_by("assessment_id", "period__position", "object__code", "indicator", "variable", "id")


@extend_schema(summary="Values the scope sees (a data-source reporter: his indicators only)",
               parameters=[OpenApiParameter("assessment", str, description="assessment code"),
                           OpenApiParameter("period", str, description="period code (with assessment)"),
                           *VALUE_FILTERS])
class ValueList(ScopedMixin, generics.ListAPIView[Value]):
    serializer_class = s.ValueSerializer

    def get_queryset(self) -> QuerySet[Value]:
        scope, params = self.scope, self.request.query_params
        qs = values_of_assessment(scope=scope, code=params.get("assessment"))
        if params.get("period"):
            qs = qs.filter(period__code=params["period"])
        return _filter_values(qs, params)


class PeriodValues(ScopedMixin, generics.ListAPIView[Value]):
    """A period's values: read them, or write many at once (data-source systems)."""

    serializer_class = s.ValueSerializer

    def _period(self) -> Period:
        return period_for_api(scope=self.scope, assessment=self.kwargs["code"], code=self.kwargs["period"])

    @extend_schema(summary="Values of one period that the scope sees", parameters=VALUE_FILTERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Value]:
        qs = values_of_period(scope=self.scope, assessment=self.kwargs["code"], code=self.kwargs["period"])
        return _filter_values(qs, self.request.query_params)

    @extend_schema(
        summary="Write many values of one period at once (all or nothing)",
        description=(
            "Every row is checked before anything is written; when any is refused, the answer lists each "
            "refused row with its index in `values` (from 0) and the field at fault, and nothing is written "
            "(400; 403 when a row is outside the caller's scope). Otherwise all rows are written in one "
            "transaction (`via` = api) and the results of the touched categories recomputed. "
            "A closed period answers 409. The office's values are verified at once; a reporter's are "
            "submitted (count in results) unless `submit` is false."),
        request=s.ValuesUpsertSerializer,
        responses={200: s.UpsertResultSerializer,
                   400: OpenApiResponse(s.RowErrorsSerializer, description="refused rows; nothing written"),
                   403: OpenApiResponse(PolymorphicProxySerializer(
                       component_name="ValuesForbidden", serializers=[s.RowErrorsSerializer, s.ErrorSerializer],
                       resource_type_field_name=None),
                       description="rows outside the caller's scope (with the rows), or a caller who writes "
                                   "no values at all (without)"),
                   409: ERRORS[409]})
    def post(self, request: Request, code: str, period: str) -> Response:
        scope = self.scope
        _writer(scope)
        target = self._period()
        period_require_open(target)
        body = s.ValuesUpsertSerializer(data=request.data)
        shape_ok = body.is_valid()
        errors: list[RowError] = [] if shape_ok else row_shape_errors(body.errors)
        rows = _rows_for_check(request.data, body, shape_ok, errors)
        if rows is not None:
            errors += check_rows(scope=scope, period=target, rows=rows)
        if errors:
            errors.sort(key=lambda e: (-1 if e.index is None else e.index, e.field))
            forbidden = any(e.forbidden for e in errors)
            detail = "有数据超出您的填报范围" if forbidden else "数据有误"
            return Response({"detail": f"{detail}，未写入任何数据（{len(errors)} 处）",
                             "errors": [e.as_json() for e in errors]}, status=403 if forbidden else 400)
        data = body.validated_data
        inputs = [ValueInput(object=r["object"], indicator=r["indicator"], variable=r["variable"], value=r["value"],
                             note=r["note"]) for r in data["values"]]
        try:
            written = values_bulk_upsert(actor=request.user, scope=scope, period=target, rows=inputs, via="api",
                                         submit=data["submit"])
        except ServiceError as e:  # something changed since the check (or a rule the check does not know)
            line = RowError(None, e.field or "body", e.message)
            return Response({"detail": e.message, "field": e.field, "errors": [line.as_json()]}, status=e.status)
        return Response({"rows": len(inputs), "written": written})


def _rows_for_check(raw: Any, body: s.ValuesUpsertSerializer, shape_ok: bool,
                    errors: list[RowError]) -> list[dict[str, Any] | None] | None:
    """The rows whose shape is fine (others ``None``), to check against the scheme and the scope too."""
    if shape_ok:
        return list(body.validated_data["values"])
    values = raw.get("values") if isinstance(raw, dict) else None
    if not isinstance(values, list) or any(e.index is None and e.field == "values" for e in errors):
        return None  # no list of rows, or too many: nothing more to check
    bad = {e.index for e in errors if e.index is not None}
    out: list[dict[str, Any] | None] = []
    for i, row in enumerate(values):
        if i in bad:
            out.append(None)
            continue
        one = s.ValueRowSerializer(data=row)
        out.append(dict(one.validated_data) if one.is_valid() else None)
    return out


@extend_schema(summary="One value")
class ValueDetail(ScopedMixin, generics.RetrieveAPIView[Value]):
    serializer_class = s.ValueSerializer

    def get_queryset(self) -> QuerySet[Value]:
        return values_visible(scope=self.scope)

    @extend_schema(
        summary="Change one value, refusing a stale edit",
        description="`version` is the version the caller read; if someone saved since, the answer is 409 "
                    "with who changed it and the current value, and nothing is written.",
        request=s.ValueUpdateSerializer,
        responses={200: s.ValueSerializer,
                   400: OpenApiResponse(s.RowErrorsSerializer, description="invalid body"), 403: ERRORS[403],
                   409: ERRORS[409]})
    def put(self, request: Request, pk: int) -> Response:
        scope = self.scope
        body = s.ValueUpdateSerializer(data=request.data)
        if not body.is_valid():
            self.get_object()  # a value the caller does not see: 404 before the body's errors
            errors = flatten(body.errors)
            return Response({"detail": "数据有误，未写入", "errors": [e.as_json() for e in errors]}, status=400)
        data = body.validated_data
        # One read of the value, locked, with what the answer shows (assessment, period, object).
        saved = value_change(actor=request.user, scope=scope, visible=self.get_queryset(), pk=pk,
                             value=data["value"], note=data["note"], expected_version=data["version"],
                             submit=data["submit"], via="api")
        if saved is None:
            raise Http404
        return Response(_value_answer().to_representation(saved))


@functools.cache
def _value_answer() -> s.ValueSerializer:
    """One value's answer, by one serializer per process: a ModelSerializer builds its fields (the
    model's introspection, deep copies) anew for every instance, which cost more than the rest of the
    answer; ``to_representation`` only reads them."""
    return s.ValueSerializer()


# --- results ----------------------------------------------------------------------------------------

@extend_schema(summary="Results (考核结果) of an assessment, scoped",
               parameters=[OpenApiParameter("category", str, description="category code; default all")])
class ResultList(ScopedMixin, generics.ListAPIView[Result]):
    serializer_class = s.ResultSerializer

    def get_queryset(self) -> QuerySet[Result]:
        scope = self.scope
        assessment = _assessment(scope, self.kwargs["code"])
        return results_for_api(scope=scope, assessment=assessment, category=self.request.query_params.get("category"))

    def paginate_queryset(self, queryset: Any) -> Any:
        # The rows about to be answered are checked against their HMAC-SM3 seals (a 409 otherwise).
        page = super().paginate_queryset(queryset)
        results_check(list(page) if page is not None else list(queryset))
        return page


@extend_schema(summary="Why an object's score is what it is: the engine's trace",
               responses={200: s.ExplainSerializer, 404: OpenApiResponse(OpenApiTypes.OBJECT)})
class Explain(ScopedMixin):
    def get(self, request: Request, code: str, object: str) -> Response:
        scope = self.scope
        assessment = _assessment(scope, code)
        obj = objects_visible(scope=scope).filter(code=object).first()
        if obj is None or obj.category.code not in catalog_of(assessment).categories:
            raise Http404
        node, headline = trace_of(assessment=assessment, obj=obj, stored=result_of(assessment=assessment, obj=obj))
        if node is None:
            raise Http404
        return Response({"object": obj.code, "name": obj.name, "headline": list(headline),
                         "trace": node.as_json()})
