"""Forms of the scheme and period pages. Each field has a label; a refused save keeps what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope
from jixiao.schemes.models import Assessment, Scheme, SchemeVersion
from jixiao.schemes.selectors import schemes_all, versions_in_org


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.scheme.name} v{obj.number}"


class ServiceErrorMixin:
    """``add_service_error``: put a service's refusal next to the field it names."""

    def add_service_error(self, err: ServiceError) -> None:
        field = err.field if err.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, err.message)  # type: ignore[attr-defined]


class AssessmentForm(ServiceErrorMixin, forms.Form):
    code = forms.SlugField(label=_("考核编码"), max_length=60, help_text=_("英文字母、数字、- 和 _，如 zhengding-2025"))
    name = forms.CharField(label=_("考核名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2200)
    version = VersionChoiceField(label=_("方案版本（已启用）"), queryset=SchemeVersion.objects.none())

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (versions_in_org(scope=scope)  # type: ignore[attr-defined]
                                           .filter(status=SchemeVersion.Status.ADOPTED)
                                           .select_related("scheme").order_by("scheme__code", "-number"))


class ReopenForm(ServiceErrorMixin, forms.Form):
    reason = forms.CharField(label=_("重新开放的理由"), max_length=300)


class ImportForm(ServiceErrorMixin, forms.Form):
    file = forms.FileField(label=_("方案文件（.yaml 或 Excel 模板 .xlsx）"))
    scheme = forms.ModelChoiceField(label=_("导入为"), queryset=Scheme.objects.all(), required=False,
                                    empty_label=_("新方案"),
                                    help_text=_("选择已有方案时，导入为该方案最新版本之后的新草稿版本"))
    code = forms.SlugField(label=_("新方案编码"), max_length=60, required=False,
                           help_text=_("不填则取文件中的方案编码"))
    name = forms.CharField(label=_("新方案名称"), max_length=200, required=False,
                           help_text=_("不填则取文件中的方案名称"))
    note = forms.CharField(label=_("版本说明"), max_length=300, required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes_all(scope=scope)  # type: ignore[attr-defined]


class YamlForm(ServiceErrorMixin, forms.Form):
    text = forms.CharField(label=_("方案文件（YAML）"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false",
                                                                               "class": "yaml"}),
                           strip=False)
    note = forms.CharField(label=_("版本说明"), max_length=300, required=False)


class NoteForm(forms.Form):
    """The tree editor's own field (its rows are read by ``editor.form_from_post``); a refused save
    is reported through it."""

    note = forms.CharField(label=_("版本说明"), max_length=300, required=False)


class SwitchForm(forms.Form):
    assessment = forms.ModelChoiceField(label=_("考核"), queryset=Assessment.objects.none(), to_field_name="code")

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = Assessment.objects.filter(  # type: ignore[attr-defined]
            version__scheme=scheme).select_related("version")
