"""Forms of the administrators' pages; every choice is of the current organisation."""

from __future__ import annotations

from typing import Any

from django import forms

from jixiao.org.models import Category, Person, Unit
from jixiao.org.scoping import Scope
from jixiao.org.selectors import categories_all, units_of_org
from jixiao.sysadmin.selectors import people_of_org, people_without_account
from jixiao.sysadmin.services import GRANTABLE

PASSWORD_HELP = ("至少 8 个字符（管理员 12 个），包含大写字母、小写字母、数字、符号中的至少三类，不含用户名。"
                 "首次登录须修改。")


class _Unit(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class UnitForm(forms.Form):
    code = forms.SlugField(label="单位编码", max_length=40)
    name = forms.CharField(label="单位名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Unit.Kind.choices)
    parent = _Unit(label="上级单位", queryset=Unit.objects.none())
    position = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units_of_org(scope=scope).order_by("level", "position", "code")  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    code = forms.SlugField(label="人员编码", max_length=40)
    name = forms.CharField(label="姓名", max_length=50)
    unit = _Unit(label="所在单位", queryset=Unit.objects.none())
    level = forms.ChoiceField(label="层级", choices=Person.Level.choices, initial=Person.Level.STAFF)
    title = forms.CharField(label="职务", max_length=60, required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of_org(scope=scope).order_by("level", "position", "code")  # type: ignore[attr-defined]


class AccountForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="显示名称", max_length=150, required=False)
    password = forms.CharField(label="初始密码", help_text=PASSWORD_HELP,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    person = forms.ModelChoiceField(label="对应人员", queryset=Person.objects.none(), required=False)
    role = forms.ChoiceField(label="角色", choices=[("", "（暂不授权）"), *GRANTABLE], required=False)
    unit = _Unit(label="授权单位", queryset=Unit.objects.none(), required=False,
                 help_text="按单位授权的角色（领导、单位负责人、填报员等）须选择；绩效办管理员不需要")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_without_account(scope=scope)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_of_org(scope=scope).order_by("level", "position", "code")  # type: ignore[attr-defined]


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=GRANTABLE)
    unit = _Unit(label="授权单位", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of_org(scope=scope).order_by("level", "position", "code")  # type: ignore[attr-defined]


class CategoryForm(forms.Form):
    code = forms.SlugField(label="类别编码", max_length=40)
    name = forms.CharField(label="类别名称", max_length=100)
    subject = forms.ChoiceField(label="考核对象", choices=Category.Subject.choices)
    position = forms.IntegerField(label="排序", min_value=0, initial=0, required=False)


class ObjectForm(forms.Form):
    code = forms.SlugField(label="对象编码", max_length=40)
    name = forms.CharField(label="对象名称", max_length=100)
    category = forms.ModelChoiceField(label="类别", queryset=Category.objects.none())
    unit = _Unit(label="所在单位", queryset=Unit.objects.none())
    person = forms.ModelChoiceField(label="对应人员（个人类别）", queryset=Person.objects.none(), required=False)
    group = forms.SlugField(label="排名组", max_length=40, required=False, help_text="默认与类别编码相同")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_all(scope=scope)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units_of_org(scope=scope).order_by("level", "position", "code")  # type: ignore[attr-defined]
        self.fields["person"].queryset = people_of_org(scope=scope)  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


class CodeForm(forms.Form):
    token = forms.CharField(label="6 位验证码", max_length=8, min_length=6,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))
