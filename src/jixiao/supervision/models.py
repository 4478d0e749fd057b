"""Supervision (督办) and rectification (整改): matters tracked from registration to closure.

A supervised matter (督办事项) and a rectification item (整改事项) share one model and one chain of
states, so they get the same traffic lights, reminder notices and bulletins; ``kind`` tells them
apart and picks the labels. Lights are computed (``jixiao.supervision.lights``), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.core.fields import SM4EncryptedField
from jixiao.org.models import Organisation, Unit


class Matter(models.Model):
    """督办事项 / 整改事项: a task assigned by a superior, a leader or a meeting (or a problem found by an
    inspection, audit, complaint or evaluation) with a lead unit (主办), co-units (协办), a leader in
    charge (责任领导), a deadline and staged milestones.

    The chain: registered → reviewed → assigned → signed → in progress (feedback reports) →
    reported (办结报告, awaiting the check) → checked → closed; a check may return it for rework
    (returned), after which the unit reports progress and completion again. ``version`` rises with
    every write so an edit based on an older page is refused.
    """

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "督办事项"
        RECTIFICATION = "rectification", "整改事项"

    class Source(models.TextChoices):
        SUPERIOR = "superior", "上级交办"
        LEADER = "leader", "领导批示"
        MEETING = "meeting", "会议议定"
        NPC = "npc", "人大建议"
        CPPCC = "cppcc", "政协提案"
        INSPECTION = "inspection", "查访核验"
        AUDIT = "audit", "审计发现"
        COMPLAINT = "complaint", "群众投诉"
        EVALUATION = "evaluation", "评议反馈"
        OTHER = "other", "其他"

    class Level(models.TextChoices):
        NORMAL = "normal", "一般"
        IMPORTANT = "important", "重要"
        MAJOR = "major", "重大"

    class Urgency(models.TextChoices):
        NORMAL = "normal", "常规"
        URGENT = "urgent", "紧急"
        CRITICAL = "critical", "特急"

    class State(models.TextChoices):
        REGISTERED = "registered", "已登记"
        REVIEWED = "reviewed", "已审核"
        ASSIGNED = "assigned", "已交办"
        SIGNED = "signed", "已签收"
        IN_PROGRESS = "in_progress", "办理中"
        REPORTED = "reported", "待核查"
        RETURNED = "returned", "已退回"
        CHECKED = "checked", "核查通过"
        CLOSED = "closed", "已办结"

    # States in which the lead unit is working on it (the clock runs, lights apply, reminders go out).
    OPEN = (State.ASSIGNED, State.SIGNED, State.IN_PROGRESS, State.RETURNED, State.REPORTED)
    BEFORE_ASSIGNMENT = (State.REGISTERED, State.REVIEWED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="matters",
                                     help_text="its lead unit's")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.SUPERVISION)
    number = models.CharField(max_length=30, unique=True, help_text="编号, e.g. DB-2026-0001")
    title = models.CharField(max_length=200)
    content = models.TextField(blank=True, help_text="事项内容 / 问题描述")
    source = models.CharField(max_length=15, choices=Source.choices, default=Source.SUPERIOR)
    source_ref = models.CharField(max_length=200, blank=True, help_text="来源文号或会议纪要, e.g. 正政办〔2026〕12号")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NORMAL)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="led_matters", help_text="责任领导 (a user with the leader role)")
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="led_matters")
    co_units = models.ManyToManyField(Unit, blank=True, related_name="co_matters")
    liaison = models.CharField(max_length=50, blank=True, help_text="联络员")
    liaison_phone = SM4EncryptedField(blank=True, help_text="联系电话, SM4-GCM encrypted at rest; masked on screens")
    materials = models.TextField(blank=True, help_text="报送资料清单, one per line")
    measures = models.TextField(blank=True, help_text="整改措施 (rectification) / 办理措施")
    year = models.PositiveSmallIntegerField(help_text="the year the matter belongs to; extensions past its end "
                                                      "need a leader's approval")
    assigned_on = models.DateField(null=True, blank=True)
    deadline = models.DateField()
    original_deadline = models.DateField(null=True, blank=True, help_text="the deadline before extensions")
    warn_days = models.PositiveSmallIntegerField(null=True, blank=True,
                                                 help_text="yellow this many days ahead; blank: the site default")
    state = models.CharField(max_length=12, choices=State.choices, default=State.REGISTERED)
    completed_on = models.DateField(null=True, blank=True, help_text="date of the completion report that stands")
    closed_on = models.DateField(null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(default=0)
    return_reason = models.CharField(max_length=500, blank=True)
    last_feedback_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["deadline", "number"]
        indexes = [models.Index(fields=["state", "deadline"]), models.Index(fields=["lead_unit", "state"]),
                   models.Index(fields=["kind", "year"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    @property
    def material_list(self) -> list[str]:
        return [m.strip() for m in self.materials.splitlines() if m.strip()]


class Milestone(models.Model):
    """阶段节点: a staged target of a matter with its own due date; behind when past due and not done."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["matter", "due", "position"]

    def __str__(self) -> str:
        return f"{self.title} ({self.due})"


class Step(models.Model):
    """流转记录: one step of a matter's chain (registered, assigned, signed, feedback, returned,
    extension asked/decided, closed, edited) — who, when, from which state to which, and why."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    state_before = models.CharField(max_length=12, blank=True)
    state_after = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    on = models.DateField(help_text="the business date (the supervision clock's today)")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "on"])]


class Feedback(models.Model):
    """办理反馈 / 办结报告: a progress report (or the completion report, ``final``) by the lead unit or a
    co-unit, with attachments; it may mark a milestone done."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="feedback")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    progress = models.PositiveSmallIntegerField(null=True, blank=True, help_text="percent done, 0–100")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    final = models.BooleanField(default=False, help_text="办结报告: asks for the check")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"supervision/{instance.feedback.matter_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    """反馈附件: a file attached to a feedback report, checked like ledger evidence (type, size)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """延期申请: the lead unit asks to move the deadline; a leader approves or refuses it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="extensions")
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    requested_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["matter"], condition=models.Q(status="pending"),
                                               name="one_pending_extension")]


class Notice(models.Model):
    """催办通知单: the ``sequence``-th reminder for a yellow or red matter, issued on a date to its
    lead unit — and, once escalated, to the leader in charge. One per matter and sequence, so a
    second run of the reminder job cannot issue it twice."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="notices")
    sequence = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="supervision_notices")
    light = models.CharField(max_length=10)
    escalated = models.BooleanField(default=False)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="the leader it was escalated to")
    issued_on = models.DateField()
    deadline = models.DateField(help_text="the deadline when it was issued")
    message = models.CharField(max_length=500)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="blank: the scheduled job")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["matter", "sequence"], name="unique_notice_sequence")]
        indexes = [models.Index(fields=["unit", "issued_on"])]


class Delivery(models.Model):
    """送达记录: a notice delivered to one recipient over one channel (in-app, e-mail, webhook…).
    A failed delivery is kept with its error and retried by the next run until it succeeds or runs
    out of attempts — never lost silently."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    address = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "channel", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "channel", "recipient"], name="unique_delivery")]
        indexes = [models.Index(fields=["status", "channel"])]


class Bulletin(models.Model):
    """督办通报: a dated report per unit (counts by state and light, the overdue list, units that have
    not fed back), stored as the snapshot it was drawn from so a published bulletin never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bulletins")
    kind = models.CharField(max_length=15, blank=True, help_text="blank: both kinds of matter")
    title = models.CharField(max_length=200)
    number = models.CharField(max_length=40, blank=True, help_text="期号, e.g. 2026年第11期")
    date_from = models.DateField()
    date_to = models.DateField(help_text="the as-of date of the lights")
    data = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date_to", "-id"]

    def __str__(self) -> str:
        return self.title


class JobRun(models.Model):
    """定时任务记录: a scheduled job's run for a day (e.g. the daily reminder run), so a scheduler
    started twice, or a worker retrying, runs it once a day."""

    name = models.CharField(max_length=40)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-day", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="unique_job_day")]
