"""Schemes, their versions, assessments and periods."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.org.models import Organisation


class Scheme(models.Model):
    """考核方案: a named scheme whose content lives in its versions."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="schemes")
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SchemeVersion(models.Model):
    """方案版本: the full scheme file (YAML text, the engine's format) as of one edit.

    A draft can be replaced by a newer draft; ``adopted`` versions are frozen (an assessment year
    uses exactly one adopted version) and no service changes their text again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ADOPTED = "adopted", "已启用（冻结）"

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(help_text="the scheme file, YAML")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the text")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(max_length=300, blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheme__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="unique_scheme_version")]

    def __str__(self) -> str:
        return f"{self.scheme.name} v{self.number}"


class Assessment(models.Model):
    """考核: one assessment year (or quarter) run on one adopted scheme version, which decides
    its categories, indicators and periods. A category is in at most one assessment per year."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments",
                                     help_text="its scheme's, copied so lists filter without a join")
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="assessments")
    created_at = models.DateTimeField(auto_now_add=True)
    results_at = models.DateTimeField(null=True, blank=True, help_text="when results were last recomputed")

    class Meta:
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """考核期: a month, quarter, half-year, year (or week) of an assessment; values are reported
    per period. Closed periods refuse every write."""

    class Kind(models.TextChoices):
        WEEK = "week", "周"
        MONTH = "month", "月"
        QUARTER = "quarter", "季度"
        HALF = "half", "半年"
        YEAR = "year", "年度"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "填报中"
        CLOSED = "closed", "已关闭"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="periods")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts = models.DateField()
    ends = models.DateField()
    due = models.DateField(null=True, blank=True, help_text="reporting deadline")
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="unique_period")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PeriodReopening(models.Model):
    """重新开放申请: a request to reopen a closed period, with its reason. Reopening needs two people:
    one office admin requests, a second — another office admin or a member of the leadership group
    (考核领导小组) — approves; the requester can never approve his own request (四眼原则)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["period"], condition=models.Q(status="pending"),
                                               name="one_pending_reopening")]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_status_display()})"
