"""Forms of the planning pages: they parse what was typed; the rules live in the services, whose
``ServiceError.field`` the views put back next to the field it names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS,
                           widget=forms.TextInput(attrs={"placeholder": "2024-12-05", "autocomplete": "off"}),
                           error_messages={"invalid": f"{label}请按 2024-12-05 的格式填写"})


def _number(label: str, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=20, decimal_places=6, help_text=help_text,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                              error_messages={"invalid": f"{label}须为数字", "required": f"请填写{label}"})


class ProposalForm(forms.Form):
    """目标申报: one indicator's proposed target."""

    object = forms.ChoiceField(label="考核对象")
    period = forms.ChoiceField(label="考核期")
    indicator = forms.ChoiceField(label="指标")
    target = _number("目标值", help_text="量化目标；未量化的目标请在“目标内容”中说明")
    challenge = _number("挑战值")
    last_actual = _number("上年实际完成")
    description = forms.CharField(label="目标内容", required=False, max_length=300)
    reason = forms.CharField(label="申报理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": "请填写申报理由"})
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, objects: list[tuple[str, str]], periods: list[tuple[str, str]],
                 indicators: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["object"].choices = objects  # type: ignore[attr-defined]
        self.fields["period"].choices = periods  # type: ignore[attr-defined]
        self.fields["indicator"].choices = indicators  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    """初审: pass, or return with a comment."""

    decision = forms.ChoiceField(label="初审结论", choices=[("pass", "通过"), ("return", "退回修改")])
    comment = forms.CharField(label="初审意见", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class PlanDecideForm(forms.Form):
    """审批计划 / 确认完成情况: agree, or return with a comment."""

    decision = forms.ChoiceField(label="审批结论", choices=[("pass", "同意"), ("return", "退回")])
    comment = forms.CharField(label="意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class NegotiationForm(forms.Form):
    """磋商记录."""

    held_on = _date("磋商日期")
    participants = forms.CharField(label="参加人员", max_length=300,
                                   error_messages={"required": "请填写参加磋商的人员"})
    agreed = _number("确定目标值", required=True)
    why = forms.CharField(label="确定理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                          error_messages={"required": "请写明确定该目标值的理由"})


class ApproveForm(forms.Form):
    """审定."""

    note = forms.CharField(label="审定意见", required=False, max_length=300)


class SettingsForm(forms.Form):
    """目标与计划设置 of one assessment."""

    proposal_deadline = _date("目标申报截止日期", required=False)
    max_indicators = forms.IntegerField(label="每单位最多申报指标数", required=False, min_value=1)
    min_indicators = forms.IntegerField(label="每单位至少申报指标数", required=False, min_value=1)
    require_quantified = forms.BooleanField(label="目标须全部量化", required=False)
    min_ratio = _number("目标下限（上年实际的倍数）", help_text="如 1 表示目标不得低于上年实际")
    max_ratio = _number("目标上限（上年实际的倍数）")
    remind_before = forms.IntegerField(label="截止前几天提醒", min_value=0, max_value=60)
    remind_after = forms.IntegerField(label="逾期几天后催报", min_value=0, max_value=60)
    late_indicator = forms.CharField(label="逾期扣分指标编码", required=False, max_length=40)
    late_item = forms.CharField(label="逾期扣分事项编码", required=False, max_length=40)
    late_level = forms.CharField(label="逾期扣分级别", required=False, max_length=40)
    late_per_day = forms.BooleanField(label="按逾期天数计次", required=False)


class HigherTargetForm(forms.Form):
    """上级下达目标 and its split: one line per object, ``对象编码 = 比例或数额``."""

    indicator = forms.ChoiceField(label="指标")
    total = _number("上级下达目标值", required=True)
    split = forms.ChoiceField(label="分解方式", choices=[("amounts", "按数额分解"), ("shares", "按比例分解")])
    parts = forms.CharField(label="分解到单位", widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="每行一个：考核对象编码 = 数额（或比例，如 0.4）",
                            error_messages={"required": "请填写分解到各单位的数额或比例"})

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["indicator"].choices = indicators  # type: ignore[attr-defined]

    def clean_parts(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for n, line in enumerate(self.cleaned_data["parts"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, amount = line.replace("＝", "=").partition("=")
            try:
                out[code.strip()] = Decimal(amount.strip())
            except Exception:
                raise forms.ValidationError(f"第 {n} 行应为“考核对象编码 = 数字”") from None
            if not sep:
                raise forms.ValidationError(f"第 {n} 行应为“考核对象编码 = 数字”")
        return out


class CalendarForm(forms.Form):
    """报送日历 of one period."""

    report_due = _date("数据报送截止", required=False)
    self_due = _date("自查自评截止", required=False)
    review_due = _date("审核截止", required=False)


class SelfScoreForm(forms.Form):
    """自评分 of one indicator."""

    indicator = forms.CharField(widget=forms.HiddenInput)
    score = _number("自评分", required=True)
    note = forms.CharField(label="自评说明", required=False, max_length=300)


class SelfReportForm(forms.Form):
    """自查自评报告 / 工作纪实 / 述职."""

    text = forms.CharField(label="报告内容", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
                           error_messages={"required": "请填写报告内容"})


class PlanItemForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=[("routine", "日常基础工作"), ("function", "科室职能工作"),
                                                      ("central", "中心工作")])
    title = forms.CharField(label="计划事项", max_length=200, error_messages={"required": "请填写计划事项"})
    planned = forms.DecimalField(label="计划分值", required=False, max_digits=8, decimal_places=2,
                                 error_messages={"invalid": "计划分值须为数字"})
