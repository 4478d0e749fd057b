"""The data catalogue (数据指标库) and the office's checks of data-quality flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.org.models import Organisation, Unit
from jixiao.schemes.models import Assessment


class Figure(models.Model):
    """数据指标: a reported figure defined once for the organisation — e.g. a town's 全部财政收入 for
    a month, reported by its data source (数据来源单位, the county finance bureau) — with its unit of
    measure, frequency and owner. Scheme leaves of any assessment take their value from it
    (:class:`FigureBinding`) instead of asking the units for it again (最多报一次)."""

    class Frequency(models.TextChoices):
        MONTH = "month", "月"
        QUARTER = "quarter", "季度"
        HALF = "half", "半年"
        YEAR = "year", "年度"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    measure = models.CharField(max_length=20, blank=True, help_text="计量单位, e.g. 万元")
    source = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", help_text="数据来源单位")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTH)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="责任人")
    description = models.CharField(max_length=500, blank=True)
    amount = models.BooleanField(default=False, help_text="金额类（首位数字检验适用）")
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="unique_figure_code")]

    def __str__(self) -> str:
        return self.name


class FigureValue(models.Model):
    """指标数值: a figure's number for one unit (a town, a department) and period (the period's code,
    e.g. ``2024-12``, as the bound assessments name their periods), as its source reported it; each
    assessment's object of that unit takes it. A
    correction replaces the number and flows through the ledger's write path to every scheme
    that uses the figure."""

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reported_at = models.DateTimeField()
    corrections = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["figure", "period", "unit"]
        constraints = [models.UniqueConstraint(fields=["figure", "unit", "period"], name="unique_figure_value")]


class FigureBinding(models.Model):
    """指标引用: a scheme leaf (indicator and variable of an assessment) that takes its values from
    a figure — the lineage of the ledger values written from the catalogue."""

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="bindings")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    indicator = models.CharField(max_length=40)
    variable = models.CharField(max_length=40, default="value")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "indicator"]
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator", "variable"],
                                               name="unique_figure_binding")]


class FlagCheck(models.Model):
    """提示核查: the office's mark that it has looked at a data-quality flag (rule on a ledger value),
    with its note. The flag stays computed; the mark says it was checked, by whom and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=20)
    value_id = models.BigIntegerField(help_text="the ledger value's id (collection.Value)")
    note = models.CharField(max_length=300)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "rule", "value_id"], name="unique_flag_check")]
