"""Budget performance management (预算绩效管理): the finance bureau and every budget unit manage
the performance of their spending in five steps — 事前绩效评估, 绩效目标管理, 绩效运行监控 (双监控),
绩效评价 and 结果应用. Budget units are the organisation's units; the finance bureau's reviewer is
the organisation's office (绩效办管理员). Money is Decimal yuan with two places (分)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from jixiao.org.models import Organisation, Unit
from jixiao.schemes.models import Assessment, Period


class BudgetSettings(models.Model):
    """预算绩效设置: one organisation's rules for one budget year — the monitoring thresholds, the
    evaluation scheme's points and grade bands, the re-check share, the cut of a 差 project, and
    which leaf of the main scheme receives each unit's budget-performance score."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    warn_gap = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.10"),
                                   help_text="黄灯：执行率或目标完成度落后时间进度达到该比例")
    red_gap = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.25"),
                                  help_text="红灯：落后时间进度达到该比例")
    execution_points = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(10))
    output_points = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(50))
    effect_points = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(30))
    satisfaction_points = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(10))
    grade_excellent = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(90))
    grade_good = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(80))
    grade_fair = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(60))
    recheck_share = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.20"),
                                        help_text="财政重点复核的自评比例")
    cut_share = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0.10"),
                                    help_text="评价为“差”的项目下年控制数压减比例")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   help_text="单位预算绩效得分写入的年度考核")
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    indicator = models.CharField(max_length=40, blank=True, help_text="写入的考核方案指标编码")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="unique_budget_settings")]

    def __str__(self) -> str:
        return f"{self.year} 预算绩效设置"


class Project(models.Model):
    """预算项目: a project's spending (项目支出) or a unit's whole spending (部门整体支出) of one
    budget year, with its funding source, amount, responsible section and period of execution.
    Its target table passes draft → submitted → returned/approved; approval enters its budget
    (预算录入), which an ex-ante opinion of 不予支持 forbids."""

    class Kind(models.TextChoices):
        PROJECT = "project", "项目支出"
        WHOLE = "whole", "部门整体支出"

    class Source(models.TextChoices):
        GENERAL = "general", "一般公共预算"
        FUND = "fund", "政府性基金预算"
        TRANSFER = "transfer", "上级转移支付"
        OTHER = "other", "其他资金"

    class State(models.TextChoices):
        DRAFT = "draft", "目标填报中"
        SUBMITTED = "submitted", "目标已报送"
        RETURNED = "returned", "目标已退回"
        APPROVED = "approved", "目标已批复"

    class Mark(models.TextChoices):
        NONE = "", "—"
        CORRECT = "correct", "责令整改"
        SUSPEND = "suspend", "暂停执行"

    EDITABLE = (State.DRAFT, State.RETURNED)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", help_text="预算单位")
    year = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROJECT)
    sector = models.CharField(max_length=40, blank=True, help_text="行业领域，用于检索指标库")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GENERAL)
    amount = models.DecimalField(max_digits=16, decimal_places=2, help_text="预算金额（元）")
    section = models.CharField(max_length=60, blank=True, help_text="责任科室")
    start = models.DateField()
    end = models.DateField()
    key = models.BooleanField(default=False, help_text="重点项目（开展外部评价）")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    review_comment = models.CharField(max_length=500, blank=True, help_text="财政审核意见")
    budget_entered = models.BooleanField(default=False, help_text="预算已录入")
    mark = models.CharField(max_length=10, choices=Mark.choices, default=Mark.NONE, blank=True)
    mark_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "code"], name="unique_budget_project")]
        indexes = [models.Index(fields=["organisation", "year", "unit"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Criterion(models.Model):
    """事前绩效评估要点: one item of the organisation's ex-ante checklist (立项必要性, 投入经济性,
    绩效目标合理性, 实施方案可行性, 筹资合规性) with its points."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=60)
    points = models.DecimalField(max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_budget_criterion")]

    def __str__(self) -> str:
        return self.name


class ExAnte(models.Model):
    """事前绩效评估: the reviewers' scores of a project on the checklist and their opinion
    (予以支持 / 调整后支持 / 不予支持). A new assessment replaces the project's previous one."""

    class Opinion(models.TextChoices):
        SUPPORT = "support", "予以支持"
        CHANGES = "changes", "调整完善后予以支持"
        REJECT = "reject", "不予支持"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="exante")
    scores = models.JSONField(default=dict, help_text="{要点编码: 得分}")
    total = models.DecimalField(max_digits=6, decimal_places=2)
    opinion = models.CharField(max_length=10, choices=Opinion.choices)
    comment = models.CharField(max_length=500, blank=True)
    reviewers = models.CharField(max_length=200, blank=True, help_text="评估人员")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now=True)


class Indicator(models.Model):
    """绩效指标: one row of a project's target table (绩效目标表) — 产出 (数量/质量/时效/成本), 效益
    (经济/社会/生态/可持续) or 满意度 — with its standard (计划/行业/历史标准), target value, unit
    and direction; the progress reported during the year and the year-end actual."""

    class Part(models.TextChoices):
        OUTPUT = "output", "产出指标"
        EFFECT = "effect", "效益指标"
        SATISFACTION = "satisfaction", "满意度指标"

    class Sub(models.TextChoices):
        QUANTITY = "quantity", "数量指标"
        QUALITY = "quality", "质量指标"
        TIMELINESS = "timeliness", "时效指标"
        COST = "cost", "成本指标"
        ECONOMIC = "economic", "经济效益指标"
        SOCIAL = "social", "社会效益指标"
        ECOLOGICAL = "ecological", "生态效益指标"
        SUSTAINABLE = "sustainable", "可持续影响指标"
        SATISFACTION = "satisfaction", "服务对象满意度指标"

    class Standard(models.TextChoices):
        PLAN = "plan", "计划标准"
        INDUSTRY = "industry", "行业标准"
        HISTORY = "history", "历史标准"

    class Direction(models.TextChoices):
        HIGHER = "higher", "≥（越高越好）"
        LOWER = "lower", "≤（越低越好）"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=0)
    part = models.CharField(max_length=12, choices=Part.choices)
    sub = models.CharField(max_length=12, choices=Sub.choices)
    name = models.CharField(max_length=100)
    standard = models.CharField(max_length=10, choices=Standard.choices)
    target = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=20)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    progress = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True, help_text="最近报送的完成值")
    actual = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True, help_text="年末实际完成值")

    class Meta:
        ordering = ["project", "position"]

    def __str__(self) -> str:
        return self.name


class LibraryIndicator(models.Model):
    """指标库: a reusable indicator by sector (行业), searched while filling a target table."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(max_length=40)
    part = models.CharField(max_length=12, choices=Indicator.Part.choices)
    sub = models.CharField(max_length=12, choices=Indicator.Sub.choices)
    name = models.CharField(max_length=100)
    unit = models.CharField(max_length=20)
    standard = models.CharField(max_length=10, choices=Indicator.Standard.choices, default=Indicator.Standard.PLAN)
    direction = models.CharField(max_length=6, choices=Indicator.Direction.choices,
                                 default=Indicator.Direction.HIGHER)

    class Meta:
        ordering = ["sector", "part", "name"]

    def __str__(self) -> str:
        return self.name


class Execution(models.Model):
    """预算执行: the amount paid on a project up to a checkpoint (month end, cumulative), as
    imported from the treasury's Excel."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="executions")
    month = models.DateField(help_text="监控时点（月末）")
    paid = models.DecimalField(max_digits=16, decimal_places=2, help_text="累计支付（元）")

    class Meta:
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="unique_budget_execution")]


class Monitoring(models.Model):
    """绩效运行监控记录: a unit's monitoring at a checkpoint — the deviation's reasons and the
    corrective measures (偏差原因、纠偏措施) beside the light then."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monitorings")
    month = models.DateField()
    light = models.CharField(max_length=8, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    measures = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="unique_budget_monitoring")]


class Evaluation(models.Model):
    """绩效评价: a project's year-end self-evaluation (单位自评), the finance bureau's re-check
    (财政重点复核, replacing the self-score) or an external evaluation of a key project (第三方评价)
    with its score, grade and report."""

    class Kind(models.TextChoices):
        SELF = "self", "单位自评"
        RECHECK = "recheck", "财政复核"
        EXTERNAL = "external", "第三方评价"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    score = models.DecimalField(max_digits=6, decimal_places=2)
    grade = models.CharField(max_length=2)
    parts = models.JSONField(default=dict, help_text="{部分: 得分}")
    actuals = models.JSONField(default=dict, help_text="{指标id: 实际值} used for the score")
    paid = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    evaluator = models.CharField(max_length=100, blank=True, help_text="评价机构")
    report = models.TextField(blank=True, help_text="评价报告摘要")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="unique_budget_evaluation")]
