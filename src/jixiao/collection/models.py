"""Ledger records: values, their change history, evidence, incidents, ballots, imports, reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jixiao.org.models import AssessedObject, Unit
from jixiao.schemes.models import Assessment, Period


class Value(models.Model):
    """填报值: one number reported for an object, indicator, variable (完成值, 目标值…) and period.

    It counts in scores while ``submitted`` or ``verified``; a draft or a returned value does not.
    ``version`` rises with every write so a form based on an older version is refused (stale edit).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        VERIFIED = "verified", "已审核"
        RETURNED = "returned", "已退回"

    COUNTING = (Status.SUBMITTED, Status.VERIFIED)

    # No index of their own for ``assessment`` and ``object``: the unique constraint starts with
    # assessment_id and the (object, period) index with object_id, and every index slows every write.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="values", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="values", db_index=False)
    indicator = models.CharField(max_length=40)
    variable = models.CharField(max_length=40, default="value")
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "period", "object", "indicator", "variable"],
                                               name="unique_value")]
        indexes = [models.Index(fields=["assessment", "status"]), models.Index(fields=["object", "period"])]

    def __str__(self) -> str:
        return f"{self.object_id}/{self.indicator}.{self.variable}@{self.period_id}={self.value}"


class ValueChange(models.Model):
    """填报记录: one change of a value — who, when, how (form, import, API), before and after."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    via = models.CharField(max_length=20, default="form")  # form, import, api, demo, supervision
    action = models.CharField(max_length=10)  # save, submit, verify, return
    before = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    after = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10)
    note = models.CharField(max_length=300, blank=True)
    # Not yet added to the recording counts (RecordingCount). A database default, so that the
    # services' plain INSERT statements get it too.
    pending = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["value"], condition=models.Q(pending=True), name="valuechange_pending")]


class Incident(models.Model):
    """加减分事项: a deduction, a bonus (commendation) or a veto event for an object in a period,
    with its document (文号) as evidence. It counts only once the office has approved it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已驳回"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="incidents")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="incidents")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="incidents")
    indicator = models.CharField(max_length=40, help_text="the deduction/bonus indicator or the veto code")
    item = models.CharField(max_length=40, blank=True)
    level = models.CharField(max_length=40, blank=True)
    count = models.DecimalField(max_digits=12, decimal_places=4, default=1)
    amount = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True,
                                 help_text="points per incident, for items scored within a range")
    document = models.CharField(max_length=200, blank=True, help_text="文号, e.g. 冀政字〔2024〕31号")
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["assessment", "status"])]


class Ballot(models.Model):
    """评价票: a rater's rating label (优秀/称职…) or number for an object, indicator and period —
    leader evaluation (领导评估) and peer ratings. ``count`` ballots with the same label."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ballots")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="ballots")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="ballots")
    indicator = models.CharField(max_length=40)
    rater = models.CharField(max_length=100, blank=True)
    rating = models.CharField(max_length=40, help_text="a label of the scale, or a number for manual scores")
    score = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True,
                                help_text="the points picked within a grade's range (等次折算 8–9%)")
    count = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["assessment", "period"])]


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Evidence(models.Model):
    """佐证材料: a file attached to a value or an incident, checked for type and size on upload."""

    value = models.ForeignKey(Value, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class ImportJob(models.Model):
    """导入任务: one uploaded Excel file of values, validated then written all-or-nothing by the
    background worker; ``progress`` (0–100) feeds the progress bar.

    ``heartbeat_at`` is the worker's last sign of life (the claim, every progress write): a job
    queued or running with no sign for ``JIXIAO_RECOMPUTE_TIMEOUT`` seconds is marked failed by the
    sweep (its worker died) and may be retried, which runs the same stored file as a new job.

    ``digest`` (SM3 of the file) makes an upload idempotent: the same file uploaded again for the
    same period (a double click, a resubmit after a timeout) answers the earlier job instead of
    queueing a second one, unless the user asks to import it again.
    """

    # Set on the earlier job an upload of the same file answered with (not stored).
    repeated = False

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "未通过校验"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="imports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=300)
    name = models.CharField(max_length=200)
    digest = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=60, blank=True)
    cells = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(default=timezone.now)
    retryable = models.BooleanField(default=False, help_text="failed for a cause other than the file's content")
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"]), models.Index(fields=["period", "digest"])]


class Reminder(models.Model):
    """催报通知: the office reminds a unit that has not reported for a period; the unit sees it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reminders")
    message = models.CharField(max_length=500)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]


class LedgerChange(models.Model):
    """台帐变更记录: the ledger's outbox. A write that can move scores records, in its own
    transaction, which category (and which object of it; none for the whole category) changed.

    Its id is the ledger's revision: entries present for a category mean its stored results lag
    the ledger ("结果更新中"). The recompute (:mod:`jixiao.scoring.recompute`) scores what the
    entries name and deletes exactly the entries it has scored, in the transaction that stores the
    new results, so a change committed while it ran stays and is scored by the next run.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ledger_changes")
    category = models.CharField(max_length=40)
    object = models.ForeignKey(AssessedObject, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["assessment", "category"])]


class RecordingCount(models.Model):
    """录入计数: how many counting values (submitted or verified, not empty) the ledger holds per
    period, object category, object group, object unit, indicator and variable — what the recording
    rates (录入率) add up, kept so that a cockpit never counts a city's million values a month.

    Kept by the recompute from the value history: every change of a value writes a history line
    (:class:`ValueChange`) marked ``pending``; the recompute adds what the pending lines change and
    clears their mark in the transaction that stores the results
    (:func:`jixiao.collection.services.recording.recording_counts_apply`)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40)
    group = models.CharField(max_length=40, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=40)
    variable = models.CharField(max_length=40)
    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "category", "group", "unit", "indicator", "variable"],
                                               name="unique_recording_count")]

