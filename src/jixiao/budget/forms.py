"""Forms of the budget pages: they parse what was typed; the rules live in the services, whose
``ServiceError.field`` the views put back next to the field it names. The target table's rows
are read from the posted ``<field>_<n>`` names (:func:`table_rows`), a row per indicator."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import QueryDict

from jixiao.budget.models import ExAnte, Indicator, Project
from jixiao.budget.services import IndicatorInput

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS,
                           widget=forms.TextInput(attrs={"placeholder": "2025-01-01", "autocomplete": "off"}),
                           error_messages={"invalid": f"{label}请按 2025-01-01 的格式填写",
                                           "required": f"请填写{label}"})


def _number(label: str, required: bool = True, places: int = 4, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=18, decimal_places=places,
                              help_text=help_text,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                              error_messages={"invalid": f"{label}须为数字", "required": f"请填写{label}",
                                              "max_decimal_places": f"{label}最多 {places} 位小数"})


class ProjectForm(forms.Form):
    unit = forms.ChoiceField(label="预算单位")
    code = forms.CharField(label="项目编码", max_length=40, error_messages={"required": "请填写项目编码"})
    name = forms.CharField(label="项目名称", max_length=120, error_messages={"required": "请填写项目名称"})
    kind = forms.ChoiceField(label="类型", choices=Project.Kind.choices)
    source = forms.ChoiceField(label="资金来源", choices=Project.Source.choices)
    amount = _number("预算金额（元）", places=2)
    sector = forms.CharField(label="行业领域", max_length=40, required=False)
    section = forms.CharField(label="责任科室", max_length=60, required=False)
    start = _date("执行期开始")
    end = _date("执行期结束")
    key = forms.BooleanField(label="重点项目（开展第三方评价）", required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class ExAnteForm(forms.Form):
    opinion = forms.ChoiceField(label="评估结论", choices=[("", "——请选择——"), *ExAnte.Opinion.choices],
                                error_messages={"required": "请选择评估结论"})
    comment = forms.CharField(label="评估意见", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    reviewers = forms.CharField(label="评估人员", max_length=200, required=False)

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c_{c.code}"] = _number(f"{c.name}（{c.points.normalize():f} 分）", places=2)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=[("approve", "批复目标并录入预算"), ("return", "退回修改")])
    comment = forms.CharField(label="审核意见", max_length=500, required=False)


class MonitoringForm(forms.Form):
    month = forms.DateField(label="监控时点", input_formats=["%Y-%m-%d", "%Y-%m"],
                            error_messages={"invalid": "监控时点请按 2025-06 的格式填写", "required": "请填写监控时点"})
    reason = forms.CharField(label="偏差原因", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label="纠偏措施", max_length=500, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class MarkForm(forms.Form):
    mark = forms.ChoiceField(label="处理方式", choices=Project.Mark.choices, required=False)
    note = forms.CharField(label="处理意见", max_length=300, required=False)


class ExternalForm(forms.Form):
    score = _number("评价得分", places=2)
    evaluator = forms.CharField(label="评价机构", max_length=100, required=False)
    report = forms.CharField(label="评价报告摘要", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", error_messages={"required": "请选择要导入的文件"})


class SettingsForm(forms.Form):
    warn_gap = _number("黄灯阈值（落后时间进度的比例）")
    red_gap = _number("红灯阈值")
    execution_points = _number("预算执行率分值", places=2)
    output_points = _number("产出指标分值", places=2)
    effect_points = _number("效益指标分值", places=2)
    satisfaction_points = _number("满意度指标分值", places=2)
    grade_excellent = _number("“优”分数线", places=2)
    grade_good = _number("“良”分数线", places=2)
    grade_fair = _number("“中”分数线", places=2)
    recheck_share = _number("财政复核比例")
    cut_share = _number("“差”项目压减比例")
    assessment = forms.ChoiceField(label="写入的年度考核", required=False)
    period = forms.CharField(label="考核期编码", max_length=40, required=False)
    indicator = forms.CharField(label="指标编码", max_length=40, required=False)

    def __init__(self, *args: Any, assessments: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [("", "——不写入——"), *assessments]  # type: ignore[attr-defined]


class CriteriaForm(forms.Form):
    """事前评估要点: one item a line, ``名称 分值`` (e.g. ``立项必要性 25``). The clerk never types a
    code: an item keeps the code of the item of the same name, a new one gets a fresh code."""

    criteria = forms.CharField(label="事前绩效评估要点（每行：名称 分值）",
                               widget=forms.Textarea(attrs={"rows": 6}),
                               error_messages={"required": "请至少设置一项评估要点"})

    def items(self) -> list[tuple[str, str, Decimal]]:
        out = []
        for n, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2:
                raise ValueError(f"第 {n} 行应为“名称 分值”两项，用空格分隔")
            try:
                points = Decimal(parts[1])
            except InvalidOperation:
                raise ValueError(f"第 {n} 行的分值“{parts[1]}”不是数字") from None
            out.append(("", parts[0], points))
        return out


class LibraryForm(forms.Form):
    sector = forms.CharField(label="行业领域", max_length=40)
    part = forms.ChoiceField(label="一级指标", choices=Indicator.Part.choices)
    sub = forms.ChoiceField(label="二级指标", choices=Indicator.Sub.choices)
    name = forms.CharField(label="指标名称", max_length=100)
    unit = forms.CharField(label="计量单位", max_length=20)
    standard = forms.ChoiceField(label="指标标准", choices=Indicator.Standard.choices)
    direction = forms.ChoiceField(label="指标方向", choices=Indicator.Direction.choices)


ROW_FIELDS = ("part", "sub", "name", "standard", "target", "unit", "direction")


def decimal_or_none(raw: str) -> Decimal | str | None:
    """A typed number; the text itself when it is not one (the caller reports it)."""
    raw = raw.strip().replace(",", "")
    if not raw:
        return None
    try:
        d = Decimal(raw)
    except InvalidOperation:
        return raw
    return d if d.is_finite() else raw


def table_rows(data: QueryDict, count: int) -> tuple[list[IndicatorInput], dict[str, str]]:
    """The posted target table's rows, and the cells that are not numbers (field → message)."""
    rows: list[IndicatorInput] = []
    bad: dict[str, str] = {}
    for n in range(count):
        cells = {f: (data.get(f"{f}_{n}") or "").strip() for f in ROW_FIELDS}
        target = decimal_or_none(cells["target"])
        if isinstance(target, str):
            bad[f"target_{n}"] = f"第 {n + 1} 项指标的指标值“{target}”不是数字"
            target = None
        if not (cells["name"] or cells["unit"] or target is not None):
            continue
        rows.append(IndicatorInput(part=cells["part"], sub=cells["sub"], name=cells["name"],
                                   standard=cells["standard"], target=target, unit=cells["unit"],
                                   direction=cells["direction"] or Indicator.Direction.HIGHER))
    return rows, bad


def values_posted(data: QueryDict, prefix: str, ids: list[int]) -> tuple[dict[int, Decimal | None], dict[str, str]]:
    """Per-indicator numbers posted as ``<prefix><id>``, and the cells that are not numbers."""
    out: dict[int, Decimal | None] = {}
    bad: dict[str, str] = {}
    for pk in ids:
        v = decimal_or_none(data.get(f"{prefix}{pk}") or "")
        if isinstance(v, str):
            bad[f"{prefix}{pk}"] = f"“{v}”不是数字"
            v = None
        out[pk] = v
    return out, bad
