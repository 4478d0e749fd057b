"""Use of the results (结果运用): appeals against published scores and year archives."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.org.models import AssessedObject
from jixiao.schemes.models import Assessment, Period
from jixiao.scoring.models import Publication


def appeal_path(instance: Appeal, filename: str) -> str:
    return f"appeals/{instance.publication_id}/{filename}"


class Appeal(models.Model):
    """申诉: the assessed unit (or person) disputes one indicator's score of a publication within its
    notice window (公示期), with a reason and an evidence file; the office accepts (受理并更正) or
    rejects (不予支持) it with its reasons by ``deadline``. An accepted appeal corrects the ledger
    (the value's history points to the appeal), and the corrected results are published again
    (``republished`` supersedes ``publication``)."""

    class Status(models.TextChoices):
        FILED = "filed", "待答复"
        ACCEPTED = "accepted", "申诉成立，已更正"
        REJECTED = "rejected", "不予支持"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="appeals")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="appeals")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="appeals")
    indicator = models.CharField(max_length=40)
    indicator_name = models.CharField(max_length=200)
    reason = models.TextField()
    evidence = models.FileField(upload_to=appeal_path, max_length=300, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    deadline = models.DateField(help_text="the office answers by then")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FILED)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # The correction an accepted appeal made (the value's history line says "申诉 #id").
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    variable = models.CharField(max_length=40, blank=True)
    value_before = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    value_after = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    republished = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["assessment", "status"])]

    def __str__(self) -> str:
        return f"申诉 #{self.pk} {self.object} {self.indicator_name}"


class Archive(models.Model):
    """年度归档: one ZIP of a closed assessment year (scheme versions, ledger, results, official
    tables, evidence, audit extract) with a manifest of every file's SHA-256."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="archives")
    file = models.FileField(upload_to="archives/", max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    files = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class Feedback(models.Model):
    """反馈意见: the office's suggestions to one assessed object on its year's results, printed in
    its feedback letter (考核结果反馈意见书) beside its scores."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="feedback")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="feedback")
    suggestions = models.TextField(blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "object"], name="unique_feedback")]


class ImprovementPlan(models.Model):
    """绩效改进计划: an object graded at or below the grade the office chose must improve —
    measures (:class:`PlanItem`), signed off by the unit's head (单位负责人签字), reviewed at
    half-year and year-end (:class:`PlanReview`). Open until the year-end review closes it, and
    shown on the object's pages the next year meanwhile."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待制定"
        SIGNED = "signed", "已签字，执行中"
        CLOSED = "closed", "已完成"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plans")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="plans")
    grade = models.CharField(max_length=20, help_text="the grade that called for the plan")
    threshold = models.CharField(max_length=20, help_text="plans were required at or below this grade")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "object"], name="unique_improvement_plan")]
        ordering = ["-created_at", "-id"]


class PlanItem(models.Model):
    """改进措施: one SMART measure of a plan — what is done, who is responsible, by when, and the
    measurable result that shows it worked."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="items")
    measure = models.CharField(max_length=500)
    owner = models.CharField(max_length=100)
    due = models.DateField()
    result = models.CharField(max_length=300, help_text="the measurable result")

    class Meta:
        ordering = ["due", "id"]


class PlanReview(models.Model):
    """改进计划评估: the office's half-year (半年) or year-end (年终) review of a plan's progress."""

    class Kind(models.TextChoices):
        HALF = "half", "半年评估"
        YEAR = "year", "年终评估"

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    progress = models.TextField()
    closes = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="unique_plan_review")]
