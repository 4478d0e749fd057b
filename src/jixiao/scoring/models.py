"""Stored results, rewritten by every recompute of the categories a change touches."""

from __future__ import annotations

from django.db import models

from jixiao.org.models import AssessedObject
from jixiao.schemes.models import Assessment


class Result(models.Model):
    """考核结果: an object's total, rank, grade, flags and component scores as last computed.

    Pages read these rows; the trace ("why this number") is recomputed on demand by the engine.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    object = models.ForeignKey(AssessedObject, on_delete=models.CASCADE, related_name="results")
    category = models.CharField(max_length=40)
    group = models.CharField(max_length=40)
    total = models.FloatField(null=True)
    rank = models.PositiveIntegerField()
    group_size = models.PositiveIntegerField()
    grade = models.CharField(max_length=20, blank=True)
    eligible_top = models.BooleanField(default=True)
    vetoed = models.BooleanField(default=False)
    flags = models.JSONField(default=list)
    components = models.JSONField(default=dict)
    periods = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "object"], name="unique_result")]
        indexes = [models.Index(fields=["assessment", "category", "group", "rank"])]
        ordering = ["category", "group", "rank", "object__code"]
