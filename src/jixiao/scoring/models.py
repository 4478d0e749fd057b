"""Stored results, rewritten by the recompute of the categories a change touches; the node scores
behind them (what the cockpit and the tables read instead of re-scoring the ledger); the
recompute's own state; and the publications (公示) that freeze a category's results for good."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.org.models import AssessedObject
from jixiao.schemes.models import Assessment


class Result(models.Model):
    """考核结果: an object's total, rank, grade, flags and component scores as last computed.

    Pages read these rows; the trace ("why this number") is scored on demand for the one object.
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
    seal = models.CharField(max_length=90, blank=True, default="",
                            help_text="HMAC-SM3 of the final scores (jixiao.scoring.seals), verified when read")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "object"], name="unique_result")]
        indexes = [models.Index(fields=["assessment", "category", "group", "rank"])]
        ordering = ["category", "group", "rank", "object__code"]


class CategoryScores(models.Model):
    """计分快照: every node's score per period for one category, as the last recompute left them
    (:class:`jixiao.engine.stored.CategoryArrays`: ``data`` is the head, the node scores are in its
    :class:`CategoryScoresPage` rows), with the ledger revision they reflect.

    ``revision`` is the highest :class:`~jixiao.collection.models.LedgerChange` id the recompute
    consumed for this assessment; ``scheme_digest`` the scheme version text's digest the arrays were
    scored with (a version switch makes older arrays unreadable rather than wrong).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="category_scores")
    category = models.CharField(max_length=40)
    scheme_digest = models.CharField(max_length=64)
    revision = models.BigIntegerField(default=0)
    size = models.PositiveIntegerField(default=0, help_text="objects scored")
    data = models.BinaryField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "category"], name="unique_category_scores")]


class CategoryScoresPage(models.Model):
    """计分快照分页: the node scores of one page of a category's objects (``PAGE`` of them, in the
    order of its :class:`CategoryScores` head), so a patch rewrites only the pages it touched."""

    scores = models.ForeignKey(CategoryScores, on_delete=models.CASCADE, related_name="pages")
    page = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scores", "page"], name="unique_category_scores_page")]


class RecomputeState(models.Model):
    """计分任务状态: the coalescing recompute of one assessment.

    At most one run holds the claim (``token``, refreshed in ``heartbeat_at``); a run whose worker
    died is taken over once its heartbeat is older than ``JIXIAO_RECOMPUTE_TIMEOUT``, and its late
    writes are refused (the token no longer matches). ``queued`` keeps a burst of writes to one
    task on the queue instead of one per write.
    """

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="recompute_state")
    queued = models.BooleanField(default=False)
    token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_seconds = models.FloatField(null=True, blank=True)
    last_error = models.TextField(blank=True)


class Publication(models.Model):
    """结果公示: a category's results of an assessment published to the whole government.

    The ranking is frozen into ``snapshot`` when published (names, components, totals, ranks,
    grades and flags in words), so the stable link (``token``) shows the same table for good:
    a later recompute changes the ranking page, never a publication. A wrong publication is
    withdrawn (撤回) with a reason, not deleted; its link then says so and keeps resolving.
    ``number`` counts the publications of one category of one assessment (第1次、第2次公示…).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="publications")
    category = models.CharField(max_length=40)
    number = models.PositiveIntegerField()
    token = models.SlugField(max_length=32, unique=True)
    title = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    snapshot = models.JSONField()
    results_at = models.DateTimeField(null=True, blank=True, help_text="when the published results were computed")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdraw_reason = models.TextField(blank=True)
    # 公示期 (public notice window): appeals are filed between these dates (inclusive).
    notice_starts = models.DateField(null=True, blank=True)
    notice_ends = models.DateField(null=True, blank=True)
    public = models.BooleanField(default=False, help_text="readable without signing in (网上公示)")
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="superseded_by")
    approval = models.ForeignKey("Approval", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seal = models.CharField(max_length=90, blank=True, default="",
                            help_text="HMAC-SM3 of identity and snapshot (jixiao.scoring.seals), verified when read")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "category", "number"],
                                               name="unique_publication_number")]
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class LedgerPage(models.Model):
    """台帐列存页: the counting values (submitted or verified, with a number) of one page of an
    assessment's objects — those whose id divided by ``PAGE_OBJECTS`` gives ``page`` — as one
    compressed Arrow block (object id, indicator, variable, period id, value).

    A read model of the ledger kept for the full recompute (after a scheme change, a city's eleven
    million values load in about a second instead of being formatted row by row by the database):
    the values table stays the truth. The recompute rewrites the pages of the objects its outbox
    entries name, in the transaction that consumes them, so pages plus the entries still waiting
    always equal the ledger (:mod:`jixiao.scoring.ledger_pages`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField()
    rows = models.PositiveIntegerField(default=0)
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "page"], name="unique_ledger_page")]


class LedgerPages(models.Model):
    """台帐列存: that an assessment's :class:`LedgerPage` rows are complete (written from the whole
    ledger once; kept since by every recompute)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField()


class Approval(models.Model):
    """结果审定: a category's results reviewed by the office (绩效办审核) then approved by the
    leadership group (考核领导小组审定) before they may be published. Ties at a quota line
    (名额线并列，须审定) are decided at approval, each with its recorded reason (``ties``:
    ``[{"object", "name", "flag", "grade", "reason"}]``). One row per category of an assessment;
    a new review starts over (the audit trail keeps the earlier steps)."""

    class Status(models.TextChoices):
        REVIEWED = "reviewed", "绩效办已审核，待领导小组审定"
        APPROVED = "approved", "领导小组已审定"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="approvals")
    category = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REVIEWED)
    results_at = models.DateTimeField(null=True, blank=True, help_text="the results reviewed were computed then")
    digest = models.CharField(max_length=64, blank=True,
                              help_text="SHA-256 of the reviewed results (object, total, rank, grade)")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField()
    review_note = models.TextField(blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approve_note = models.TextField(blank=True)
    ties = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "category"], name="unique_approval")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.category} {self.get_status_display()}"
