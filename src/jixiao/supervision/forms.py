"""Forms of the supervision pages. They parse what was typed; the rules (deadline after the
assignment, co-units not the lead unit, milestones before the deadline…) live in the services,
whose ``ServiceError.field`` the views put back next to the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jixiao.org.models import Unit
from jixiao.org.scoping import Scope
from jixiao.supervision.models import Matter, Milestone
from jixiao.supervision.selectors import leader_choices, unit_choices
from jixiao.supervision.services import MatterInput, MilestoneInput

User = get_user_model()

DATE_EXAMPLE = "2024-12-05"
# What a clerk types: 2024-12-05 (also 2024/12/05, 2024.12.05 and 2024年12月05日), never the
# browser's locale-dependent picker (mm/dd/yyyy on an English system).
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class DateText(forms.DateInput):
    """A plain text box for a date, with the format shown as its placeholder."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={"placeholder": DATE_EXAMPLE, "autocomplete": "off", "inputmode": "numeric",
                                "size": 12, "data-date": "1", **(attrs or {})}, format="%Y-%m-%d")


class ChineseDateField(forms.DateField):
    """A date typed as 2024-12-05, parsed on the server; a wrong one is refused in Chinese naming
    the field (its label at the time, so 整改时限 on a rectification matter)."""

    widget = DateText
    input_formats = DATE_FORMATS

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("widget", DateText())
        super().__init__(input_formats=DATE_FORMATS, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("“%(field)s”不是有效的日期，请按 %(example)s 的格式填写（年-月-日）"),
                code="invalid", params={"field": self.label, "example": DATE_EXAMPLE}) from None

    def validate(self, value: Any) -> None:
        if value in self.empty_values and self.required:
            raise forms.ValidationError(_("请填写“%(field)s”（如 %(example)s）"), code="required",
                                        params={"field": self.label, "example": DATE_EXAMPLE})
        super().validate(value)


class Picker(forms.Select):
    """A select with a filter box (static/supervision/picker.js): type part of a name to narrow it."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={"data-picker": "1", **(attrs or {})})


class MultiPicker(forms.CheckboxSelectMultiple):
    """Checkboxes by name with a filter box above them; the ticked ones stay visible whatever is typed."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(attrs={"data-picker": "1", **(attrs or {})})


class LeaderChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class MatterForm(forms.Form):
    """登记 / 修改督办事项 (整改事项): every field of ``MatterInput`` but the milestones (a formset)."""

    kind = forms.ChoiceField(label=_("类别"), choices=Matter.Kind.choices)
    title = forms.CharField(label=_("事项名称"), max_length=200)
    content = forms.CharField(label=_("事项内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(label=_("来源"), choices=Matter.Source.choices)
    source_ref = forms.CharField(label=_("来源文号 / 会议纪要"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=Matter.Level.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Matter.Urgency.choices)
    leader = LeaderChoice(label=_("责任领导"), queryset=User.objects.none(), required=False,
                          empty_label=_("（未指定）"), widget=Picker())
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Unit.objects.none(), empty_label=_("（请选择）"),
                                       widget=Picker())
    co_units = forms.ModelMultipleChoiceField(label=_("协办单位"), queryset=Unit.objects.none(), required=False,
                                              widget=MultiPicker(),
                                              help_text=_("可多选，输入名称筛选；不能是主办单位"))
    liaison = forms.CharField(label=_("联络员"), max_length=50, required=False)
    liaison_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    materials = forms.CharField(label=_("报送资料清单（每行一项）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label=_("办理措施"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = ChineseDateField(label=_("办结时限"))
    warn_days = forms.IntegerField(label=_("预警天数"), required=False,
                                   help_text=_("距时限几天内亮黄灯；留空用系统默认值"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, scope: Scope, kind: str = Matter.Kind.SUPERVISION, **kwargs: Any):
        super().__init__(*args, **kwargs)
        leader_field, lead, co = self.fields["leader"], self.fields["lead_unit"], self.fields["co_units"]
        assert isinstance(leader_field, LeaderChoice)
        assert isinstance(lead, forms.ModelChoiceField) and isinstance(co, forms.ModelMultipleChoiceField)
        # The choices come from the selectors, scoped to the user's rights (one place to narrow them).
        leader_field.queryset = leader_choices(scope=scope)
        lead.queryset = co.queryset = unit_choices(scope=scope)
        if kind == Matter.Kind.RECTIFICATION:
            # The ledger's own words (整改台账: 问题、责任单位、整改措施).
            self.fields["title"].label = _("问题")
            self.fields["content"].label = _("问题描述")
            self.fields["lead_unit"].label = _("责任单位")
            self.fields["measures"].label = _("整改措施")
            self.fields["deadline"].label = _("整改时限")

    def matter_input(self, milestones: list[MilestoneInput]) -> MatterInput:
        d = self.cleaned_data
        return MatterInput(
            kind=d["kind"], title=d["title"], content=d["content"], source=d["source"], source_ref=d["source_ref"],
            level=d["level"], urgency=d["urgency"], leader_id=d["leader"].pk if d["leader"] else None,
            lead_unit=d["lead_unit"], co_units=list(d["co_units"]), liaison=d["liaison"],
            liaison_phone=d["liaison_phone"], materials=d["materials"], measures=d["measures"],
            deadline=d["deadline"], warn_days=d["warn_days"], milestones=tuple(milestones))

    @staticmethod
    def initial_of(matter: Matter) -> dict[str, Any]:
        return {"kind": matter.kind, "title": matter.title, "content": matter.content, "source": matter.source,
                "source_ref": matter.source_ref, "level": matter.level, "urgency": matter.urgency,
                "leader": matter.leader_id, "lead_unit": matter.lead_unit_id,
                "co_units": [u.pk for u in matter.co_units.all()], "liaison": matter.liaison,
                "liaison_phone": matter.liaison_phone, "materials": matter.materials, "measures": matter.measures,
                "deadline": matter.deadline, "warn_days": matter.warn_days, "version": matter.version}


class MilestoneForm(forms.Form):
    """阶段节点: a blank row is skipped; ``done_on`` rides along hidden so an edit keeps it."""

    title = forms.CharField(label=_("阶段节点"), max_length=200, required=False)
    due = ChineseDateField(label=_("节点时限"), required=False)
    done_on = forms.DateField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("due"):
            self.add_error("due", _("请填写节点时限"))
        if data.get("due") and not (data.get("title") or "").strip():
            self.add_error("title", _("请填写节点名称"))
        return data


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=3, max_num=30)


def milestone_inputs(formset: Any) -> list[MilestoneInput]:
    """The filled rows, in the order typed."""
    out = []
    for f in formset.forms:
        d = f.cleaned_data
        if d.get("title") and d.get("due"):
            out.append(MilestoneInput(title=d["title"], due=d["due"], done_on=d.get("done_on")))
    return out


class NoteForm(forms.Form):
    """One step of the chain (审核、交办、签收、核查、办结): the page's version and an optional note
    (the reason, for a return)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FeedbackForm(forms.Form):
    """办理反馈 (or, ticked, the 办结报告) of one of the user's units."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(label=_("反馈单位"), queryset=Unit.objects.none())
    text = forms.CharField(label=_("反馈内容"), widget=forms.Textarea(attrs={"rows": 3}))
    progress = forms.IntegerField(label=_("进度（%）"), required=False)
    milestone = forms.ModelChoiceField(label=_("完成阶段节点"), queryset=Milestone.objects.none(), required=False,
                                       empty_label=_("（无）"))
    # Not "files": that name is the form's own dict of uploads.
    attachments = MultipleFileField(label=_("附件"), required=False)
    final = forms.BooleanField(label=_("作为办结报告报送"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], milestones: QuerySet[Milestone], may_report: bool,
                 **kwargs: Any):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        ms_field = self.fields["milestone"]
        assert isinstance(unit_field, forms.ModelChoiceField) and isinstance(ms_field, forms.ModelChoiceField)
        unit_field.queryset = units
        unit_field.empty_label = None
        ms_field.queryset = milestones
        if not may_report:
            del self.fields["final"]


class ExtensionForm(forms.Form):
    """申请延期."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_deadline = ChineseDateField(label=_("申请延期至"))
    reason = forms.CharField(label=_("延期理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    """批准 / 不批准延期 (a refusal needs a note: the service says so)."""

    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("不批准"))])
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)
