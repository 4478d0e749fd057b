"""Forms of the use-of-results pages: they parse what was typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from jixiao.org.models import AssessedObject
from jixiao.schemes.models import Period


class AppealForm(forms.Form):
    object = forms.ModelChoiceField(label="申诉对象", queryset=AssessedObject.objects.none(), empty_label=None)
    indicator = forms.ChoiceField(label="申诉指标")
    reason = forms.CharField(label="申诉理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                             required=False)
    evidence = forms.FileField(label="佐证材料", required=False)

    def __init__(self, *args: Any, objects: list[AssessedObject], indicators: list[tuple[str, str]],
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["object"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AssessedObject.objects.filter(pk__in=[o.pk for o in objects]).order_by("code")
        field.label_from_instance = lambda o: o.name  # type: ignore[method-assign,assignment]
        choice = self.fields["indicator"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = indicators


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(label="答复", choices=[("0", "不予支持"), ("1", "申诉成立，更正台帐")],
                                    coerce=lambda v: v == "1")
    reason = forms.CharField(label="答复理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             required=False)
    period = forms.ModelChoiceField(label="更正考核期", queryset=Period.objects.none(), required=False)
    value = forms.DecimalField(label="更正后的数值", required=False, max_digits=20, decimal_places=6,
                               error_messages={"invalid": "请填写数字"})

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Period.objects.filter(pk__in=[p.pk for p in periods]).order_by("position")
        field.label_from_instance = lambda p: p.name  # type: ignore[method-assign,assignment]

