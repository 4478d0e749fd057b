"""Forms of the evaluation pages. They parse what was typed; the services decide what may be written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from jixiao.evaluations import rules
from jixiao.evaluations.models import Campaign, RaterGroup

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CampaignForm(forms.Form):
    name = forms.CharField(label="测评活动名称", max_length=100)
    period = forms.TypedChoiceField(label="考核期", coerce=int)
    indicator = forms.ChoiceField(label="结果计入指标")
    feed = forms.ChoiceField(label="计入方式", choices=Campaign.Feed.choices, initial=Campaign.Feed.SCORE)
    scale = forms.CharField(label="评价标准", widget=forms.Textarea(attrs={"rows": 4}),
                            initial="优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60",
                            help_text="每行一个等次：优秀 = 100；或一个分数范围：0-10")
    dimensions = forms.CharField(label="测评维度及权重", widget=forms.Textarea(attrs={"rows": 3}), initial="总体评价",
                                 help_text="只评总体写“总体评价”；分维度每行一个，如：德 = 0.2、能 = 0.2、"
                                           "勤 = 0.2、绩 = 0.3、廉 = 0.1")
    trim_pct = forms.DecimalField(label="去掉最高、最低各（%）", min_value=0, max_value=rules.MAX_TRIM, initial=0,
                                  decimal_places=2)
    min_group = forms.IntegerField(label="每类评价主体最少票数", min_value=1, initial=rules.MIN_GROUP_DEFAULT,
                                   help_text="不足该票数的评价主体不显示结果、不计入总分")
    opens_at = forms.DateTimeField(label="开始时间", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    closes_at = forms.DateTimeField(label="结束时间", widget=DT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    objects = forms.TypedMultipleChoiceField(label="被测评对象", coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, periods: list[tuple[int, str]], indicators: list[tuple[str, str]],
                 objects: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods  # type: ignore[attr-defined]
        self.fields["indicator"].choices = indicators  # type: ignore[attr-defined]
        self.fields["objects"].choices = objects  # type: ignore[attr-defined]

    def clean_scale(self) -> rules.Scale:
        try:
            return rules.parse_scale(self.cleaned_data["scale"])
        except rules.RuleError as e:
            raise forms.ValidationError(str(e)) from None

    def clean_dimensions(self) -> tuple[tuple[str, Decimal], ...]:
        try:
            return rules.parse_weights(self.cleaned_data["dimensions"], what="测评维度")
        except rules.RuleError as e:
            raise forms.ValidationError(str(e)) from None


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label="评价主体", choices=RaterGroup.Kind.choices)
    subtype = forms.ChoiceField(label="公众类别", choices=RaterGroup.Subtype.choices, required=False)
    name = forms.CharField(label="名称", max_length=60, required=False, help_text="不填则用类别名称")
    weight = forms.DecimalField(label="权重", min_value=Decimal("0.0001"), initial=1, decimal_places=4)
    paper_issued = forms.IntegerField(label="纸质票发放数（张/对象）", min_value=0, initial=0, required=False)


class TokenForm(forms.Form):
    group = forms.TypedChoiceField(label="评价主体", coerce=int)
    count = forms.IntegerField(label="生成数量", min_value=1, max_value=2000, initial=20)


class WindowForm(forms.Form):
    group = forms.TypedChoiceField(label="评价主体", coerce=int)
    object = forms.TypedChoiceField(label="窗口所属对象", coerce=int)


class AssignmentForm(forms.Form):
    group = forms.TypedChoiceField(label="评价主体", coerce=int)
    rater = forms.TypedChoiceField(label="评价人", coerce=int)
    object = forms.TypedChoiceField(label="被测评对象", coerce=int)


class PaperForm(forms.Form):
    group = forms.TypedChoiceField(label="评价主体", coerce=int)
    object = forms.TypedChoiceField(label="被测评对象", coerce=int)

    def __init__(self, *args: Any, labels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels
        for i, label in enumerate(labels):
            self.fields[f"n{i}"] = forms.IntegerField(label=label, min_value=0, initial=0, required=False)

    def counts(self) -> dict[str, int]:
        return {label: int(self.cleaned_data.get(f"n{i}") or 0) for i, label in enumerate(self.labels)}


def choices(rows: Any, label: Any = str) -> list[tuple[int, str]]:
    return [(r.pk, label(r)) for r in rows]


def ratings_from(post: Any, dims: list[str], prefix: str = "") -> dict[str, str]:
    """The ratings posted for one object: field ``<prefix>d<i>`` per dimension."""
    return {d: str(post.get(f"{prefix}d{i}", "")).strip() for i, d in enumerate(dims)}
