"""Shapes of the API: read serializers over the models, and the bodies of the writes.

Related records are named by their codes (``unit: "east"``), never by database ids, so a
data-source system can use the same codes it uses in Excel imports.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jixiao.collection.models import Value
from jixiao.collection.services import parse_number
from jixiao.core.errors import ServiceError
from jixiao.org.models import AssessedObject, Category, Person, Unit
from jixiao.schemes.models import Assessment, Period, Scheme, SchemeVersion
from jixiao.scoring.models import Result

MAX_ROWS = 20000


class UnitSerializer(serializers.ModelSerializer[Unit]):
    parent: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "level", "parent"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = ["code", "name", "unit", "level", "title"]


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["code", "name", "subject"]


class ObjectSerializer(serializers.ModelSerializer[AssessedObject]):
    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person: serializers.SlugRelatedField[Person] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True)
    parent: serializers.SlugRelatedField[AssessedObject] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AssessedObject
        fields = ["code", "name", "category", "group", "unit", "person", "parent"]


class VersionSerializer(serializers.ModelSerializer[SchemeVersion]):
    class Meta:
        model = SchemeVersion
        fields = ["number", "status", "digest", "note", "created_at", "adopted_at"]


class VersionDetailSerializer(serializers.ModelSerializer[SchemeVersion]):
    scheme: serializers.SlugRelatedField[Scheme] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    text = serializers.CharField(read_only=True, help_text="the scheme file (YAML, docs/scheme-format.md)")
    # A plain string here: the same enum in two components makes drf-spectacular warn about its name.
    status = serializers.CharField(read_only=True, help_text="draft, or adopted (frozen)")

    class Meta:
        model = SchemeVersion
        fields = ["scheme", "number", "status", "digest", "note", "created_at", "adopted_at", "text"]


class SchemeSerializer(serializers.ModelSerializer[Scheme]):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta:
        model = Scheme
        fields = ["code", "name", "created_at", "versions"]


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    scheme = serializers.CharField(source="version.scheme.code", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = Assessment
        fields = ["code", "name", "year", "scheme", "version", "results_at"]


class PeriodSerializer(serializers.ModelSerializer[Period]):
    class Meta:
        model = Period
        fields = ["code", "name", "kind", "starts", "ends", "due", "status"]


class ValueSerializer(serializers.ModelSerializer[Value]):
    assessment: serializers.SlugRelatedField[Assessment] = serializers.SlugRelatedField(
        slug_field="code", read_only=True)
    period: serializers.SlugRelatedField[Period] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    object: serializers.SlugRelatedField[AssessedObject] = serializers.SlugRelatedField(
        slug_field="code", read_only=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True, read_only=True,
                                     normalize_output=True)
    updated_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Value
        fields = ["id", "assessment", "period", "object", "indicator", "variable", "value", "note", "status",
                  "return_reason", "version", "updated_by", "updated_at"]


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": True,
                      "example": "12.5",
                      "description": "a number, or a string such as \"1,234.5\" or \"87.5%\"; null or \"\" clears"})
class ReportedNumberField(serializers.Field):
    """A reported number: JSON number, numeric string (commas, trailing %), or null."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Decimal | None:
        if not isinstance(data, str | int | float) or isinstance(data, bool):
            raise serializers.ValidationError("应为数字或数字文本")
        try:
            return parse_number(data)
        except ServiceError as e:
            raise serializers.ValidationError(e.message) from None

    def to_representation(self, value: Any) -> Any:
        return None if value is None else format(Decimal(value).normalize(), "f")


class ValueRowSerializer(serializers.Serializer):
    object = serializers.CharField(max_length=40, help_text="考核对象 code")
    indicator = serializers.CharField(max_length=40, help_text="indicator code of the object's category")
    variable = serializers.CharField(max_length=40, default="value",
                                     help_text="value (完成值), target (目标值), … as the indicator's rule names them")
    value = ReportedNumberField()
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class ValuesUpsertSerializer(serializers.Serializer):
    values = ValueRowSerializer(many=True, allow_empty=False, max_length=MAX_ROWS)  # type: ignore[call-arg]
    submit = serializers.BooleanField(
        default=True, help_text="reporters: submit at once (counts in results) rather than keep as drafts")


class UpsertResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(help_text="rows received")
    written = serializers.IntegerField(help_text="values created or changed (unchanged rows are not rewritten)")


class ValueUpdateSerializer(serializers.Serializer):
    value = ReportedNumberField()
    note = serializers.CharField(max_length=500, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, help_text="the version read; a newer one on the server → 409")
    submit = serializers.BooleanField(default=True)


class RowErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="position in `values`, from 0; null: the body")
    field = serializers.CharField()
    message = serializers.CharField()


class RowErrorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)  # type: ignore[assignment]  # a declared field, popped by the metaclass


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField(allow_null=True, required=False)


class ResultSerializer(serializers.ModelSerializer[Result]):
    object = serializers.CharField(source="object.code", read_only=True)
    name = serializers.CharField(source="object.name", read_only=True)
    unit = serializers.CharField(source="object.unit.code", read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    components = serializers.DictField(child=serializers.FloatField(allow_null=True), read_only=True,
                                       help_text="score of each top-level component, by code")
    periods = serializers.DictField(child=serializers.DictField(), read_only=True,
                                    help_text="per period code: {total, rank}")

    class Meta:
        model = Result
        fields = ["object", "name", "unit", "category", "group", "total", "rank", "group_size", "grade", "flags",
                  "components", "periods", "eligible_top", "vetoed", "computed_at"]


@extend_schema_field(OpenApiTypes.OBJECT)
class TraceField(serializers.JSONField):
    """A trace node: code, name, score, points, method, text, inputs, periods, children (nodes)."""


class ExplainSerializer(serializers.Serializer):
    object = serializers.CharField()
    name = serializers.CharField()
    headline = serializers.ListField(child=serializers.CharField())
    trace = TraceField()
