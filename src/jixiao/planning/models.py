"""Targets and plans (目标与计划): target negotiation, self-assessment, the reporting calendar and
work plans. What they decide reaches the ledger only through ``jixiao.collection.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.org.models import AssessedObject, Organisation, Unit
from jixiao.schemes.models import Assessment, Period


class PlanningSettings(models.Model):
    """目标与计划设置: an assessment's configurable rules — the proposal deadline and rules checked
    on submit ("7+2, at most 10, all quantified"), the allowed target range against last year's
    actual, reminder days of the reporting calendar and the lateness deduction (逾期扣分)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="planning_settings")
    proposal_deadline = models.DateField(null=True, blank=True, help_text="目标申报截止日期")
    max_indicators = models.PositiveSmallIntegerField(null=True, blank=True, help_text="每个单位最多申报指标数")
    min_indicators = models.PositiveSmallIntegerField(null=True, blank=True, help_text="每个单位至少申报指标数")
    require_quantified = models.BooleanField(default=True, help_text="目标须全部量化")
    min_ratio = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True,
                                    help_text="目标不得低于上年实际 × 该比例")
    max_ratio = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True,
                                    help_text="目标不得高于上年实际 × 该比例")
    remind_before = models.PositiveSmallIntegerField(default=3, help_text="截止前几天提醒")
    remind_after = models.PositiveSmallIntegerField(default=1, help_text="逾期几天后催报")
    late_indicator = models.CharField(max_length=40, blank=True, help_text="逾期扣分指标编码（空：不扣分）")
    late_item = models.CharField(max_length=40, blank=True, help_text="逾期扣分事项编码")
    late_level = models.CharField(max_length=40, blank=True)
    late_per_day = models.BooleanField(default=False, help_text="按逾期天数计次；否则每期一次")

    def __str__(self) -> str:
        return f"{self.assessment} 设置"


class HigherTarget(models.Model):
    """上级下达目标: a city/district-level indicator's target assigned to the organisation, split
    among units by shares (分解比例) or by amounts (分解数额)."""

    class Split(models.TextChoices):
        SHARES = "shares", "按比例分解"
        AMOUNTS = "amounts", "按数额分解"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="higher_targets")
    indicator = models.CharField(max_length=40, help_text="本单位方案中对应的指标编码")
    name = models.CharField(max_length=100)
    total = models.DecimalField(max_digits=20, decimal_places=6)
    split = models.CharField(max_length=10, choices=Split.choices, default=Split.AMOUNTS)

    class Meta:
        ordering = ["assessment", "indicator"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="unique_higher_target")]

    def __str__(self) -> str:
        return self.name


class TargetShare(models.Model):
    """目标分解: the part of a higher-level target assigned to one assessed object."""

    higher = models.ForeignKey(HigherTarget, on_delete=models.CASCADE, related_name="shares")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(max_digits=20, decimal_places=6, help_text="比例 (0–1) 或数额")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["higher", "object"], name="unique_target_share")]


class TargetProposal(models.Model):
    """目标申报: a unit proposes a target (and a challenge value) for one indicator with a target,
    with its reason and last year's actual; the office checks it (初审), records the face-to-face
    negotiation (磋商) and the leader in charge approves it (审定), which writes the agreed target
    into the ledger."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已申报"
        RETURNED = "returned", "已退回"
        PASSED = "passed", "初审通过"
        NEGOTIATED = "negotiated", "已磋商"
        APPROVED = "approved", "已审定"

    EDITABLE = (State.DRAFT, State.RETURNED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="target_proposals")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=40)
    target = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True, help_text="目标值")
    challenge = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True, help_text="挑战值")
    last_actual = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True, help_text="上年实际")
    description = models.CharField(max_length=300, blank=True, help_text="目标内容（未量化时的文字）")
    reason = models.TextField(blank=True, help_text="申报理由")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    office_comment = models.CharField(max_length=500, blank=True, help_text="初审意见")
    agreed = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True, help_text="审定目标值")
    value_id = models.PositiveIntegerField(null=True, blank=True, help_text="the ledger value it wrote")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["object__code", "indicator"]
        constraints = [models.UniqueConstraint(fields=["assessment", "period", "object", "indicator"],
                                               name="unique_target_proposal")]
        indexes = [models.Index(fields=["assessment", "state"])]

    def __str__(self) -> str:
        return f"{self.object_id}/{self.indicator}@{self.period_id}"


class Negotiation(models.Model):
    """磋商记录: the face-to-face negotiation of a proposal — when, who took part, the value agreed
    and why."""

    proposal = models.OneToOneField(TargetProposal, on_delete=models.CASCADE, related_name="negotiation")
    held_on = models.DateField()
    participants = models.CharField(max_length=300)
    agreed = models.DecimalField(max_digits=20, decimal_places=6)
    why = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class WorkPlan(models.Model):
    """工作计划: a section's (or a member of staff's) plan for one period — items by category with
    planned points, approved before the period starts; completion is reported against the items."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "待审批"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "已批准"
        REPORTED = "reported", "已报完成情况"
        CONFIRMED = "confirmed", "已确认完成"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="work_plans")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=40, help_text="the scheme's plan-method indicator it feeds")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    comment = models.CharField(max_length=500, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["period__position", "object__code"]
        constraints = [models.UniqueConstraint(fields=["assessment", "period", "object", "indicator"],
                                               name="unique_work_plan")]


class PlanItem(models.Model):
    """计划事项: one item of a work plan, by category, with its planned and (once reported) its
    completed points."""

    class Category(models.TextChoices):
        ROUTINE = "routine", "日常基础工作"
        FUNCTION = "function", "科室职能工作"
        CENTRAL = "central", "中心工作"

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(max_length=10, choices=Category.choices)
    title = models.CharField(max_length=200)
    planned = models.DecimalField(max_digits=8, decimal_places=2, help_text="计划分值")
    actual = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, help_text="完成分值")
    note = models.CharField(max_length=300, blank=True, help_text="完成情况")

    class Meta:
        ordering = ["plan", "position", "id"]


class DelegatedScheme(models.Model):
    """考评细则备案 (四级考核): a unit head's own rules for assessing his sections and staff, filed
    (报备) with the office, which accepts them (已备案) or returns them with its comment. An engine
    scheme file (optional) is registered, on acceptance, as a draft scheme of the organisation."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        FILED = "filed", "待备案"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已备案"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    content = models.TextField(help_text="考评细则正文")
    scheme_text = models.TextField(blank=True, help_text="方案文件（可选，考核方案格式）")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    office_comment = models.CharField(max_length=500, blank=True)
    scheme_code = models.CharField(max_length=60, blank=True, help_text="the scheme registered on acceptance")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unique_delegated_scheme")]


class Step(models.Model):
    """流转记录: one step of a target proposal or a work plan — who, when, which state to which, why."""

    proposal = models.ForeignKey(TargetProposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="steps")
    class Action(models.TextChoices):
        PROPOSE = "propose", "单位自报"
        REVISE = "revise", "修改申报"
        SUBMIT = "submit", "报送"
        PASS = "pass", "初审通过"
        RETURN = "return", "退回修改"
        NEGOTIATE = "negotiate", "磋商"
        APPROVE = "approve", "领导审定"
        PLAN_SAVE = "plan_save", "编制计划"
        PLAN_SUBMIT = "plan_submit", "报送计划"
        PLAN_APPROVE = "plan_approve", "批准计划"
        PLAN_RETURN = "plan_return", "退回计划"
        PLAN_REPORT = "plan_report", "报告完成情况"
        PLAN_CONFIRM = "plan_confirm", "确认完成情况"
        RULES_SAVE = "rules_save", "编制细则"
        FILE = "file", "报备细则"
        ACCEPT = "accept", "备案通过"
        FILE_RETURN = "file_return", "退回细则"

    plan = models.ForeignKey(WorkPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="steps")
    delegated = models.ForeignKey(DelegatedScheme, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="steps")
    action = models.CharField(max_length=20, choices=Action.choices)
    state_before = models.CharField(max_length=12, blank=True)
    state_after = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class SelfScore(models.Model):
    """自评分: a unit's own score of one indicator for one period (自查自评), never above its points."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=40)
    score = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "object", "indicator"], name="unique_self_score")]


class SelfReport(models.Model):
    """自查自评报告 / 工作纪实 / 述职: a unit's self-assessment report, or a member of staff's record
    of his year's work, for one period; shown to raters."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey(AssessedObject, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    submitted_on = models.DateField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "object"], name="unique_self_report")]


class PeriodCalendar(models.Model):
    """报送日历: a period's due dates — reporting (数据报送), self-assessment (自查自评) and review
    (审核) — that the worker's reminders and the lateness deduction go by."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="calendar")
    report_due = models.DateField(null=True, blank=True)
    self_due = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)


class CalendarMark(models.Model):
    """报送日历记录: that the worker reminded a unit (提醒/催报) or deducted for lateness (逾期扣分) for
    a period's due date, so it does so once."""

    class Kind(models.TextChoices):
        BEFORE = "before", "截止前提醒"
        AFTER = "after", "逾期催报"
        LATE = "late", "逾期扣分"
        SELF_BEFORE = "self_before", "自评截止前提醒"
        SELF_AFTER = "self_after", "自评逾期催报"

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    object = models.ForeignKey(AssessedObject, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due = models.DateField()
    on = models.DateField()
    incident_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit", "kind"], name="unique_calendar_mark")]
