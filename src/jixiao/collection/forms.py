"""Forms of the ledger pages. The grid of values is built from the scheme's indicators."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms

from jixiao.collection.selectors import IncidentChoices, LedgerRow
from jixiao.collection.services import LedgerCellInput, parse_number
from jixiao.core.errors import ServiceError
from jixiao.org.models import AssessedObject
from jixiao.schemes.catalog import Item
from jixiao.schemes.models import Period


def cell_name(indicator: str, variable: str) -> str:
    return f"v__{indicator}__{variable}"


def version_name(indicator: str, variable: str) -> str:
    return f"ver__{indicator}__{variable}"


class LedgerForm(forms.Form):
    """One number field per (indicator, variable), with the version it was based on, and a note
    per indicator. Numbers are parsed by the same rule as imports (commas and % accepted)."""

    def __init__(self, rows: list[LedgerRow], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            # Indicators counted from supervised matters are shown, never typed (the services refuse them too).
            editable = row.editable and not row.leaf.fed_by_system
            for cell in row.cells:
                name = cell_name(row.leaf.code, cell.variable)
                initial = "" if cell.value is None or cell.value.value is None else format(
                    cell.value.value.normalize(), "f")
                # The value shown travels back as a hidden initial, so a save knows what the user changed.
                self.fields[name] = forms.CharField(required=False, initial=initial, label=cell.label,
                                                    disabled=not (editable and cell.editable), max_length=40,
                                                    show_hidden_initial=True)
                self.fields[version_name(row.leaf.code, cell.variable)] = forms.IntegerField(
                    required=False, widget=forms.HiddenInput, initial=cell.value.version if cell.value else None)
            note = next((c.value.note for c in row.cells if c.value is not None and c.value.note), "")
            self.fields[f"n__{row.leaf.code}"] = forms.CharField(required=False, initial=note, max_length=500,
                                                                 disabled=not editable, label="说明",
                                                                 show_hidden_initial=True)

    def bind_rows(self) -> None:
        """Hand each row and cell its bound fields so the template need not search for them."""
        for row in self.rows:
            row.note_field = self[f"n__{row.leaf.code}"]
            for cell in row.cells:
                cell.field = self[cell_name(row.leaf.code, cell.variable)]
                cell.version_field = self[version_name(row.leaf.code, cell.variable)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.rows:
            for cell in row.cells:
                name = cell_name(row.leaf.code, cell.variable)
                if name in self.errors:
                    continue
                try:
                    data[name] = parse_number(data.get(name) or "")
                except ServiceError as e:
                    self.add_error(name, e.message)
        return data

    def cells(self) -> list[LedgerCellInput]:
        """Every editable cell as posted, with the version it was based on and whether the user
        changed it (or its row's note) against what the form showed (the hidden initial values)."""
        changed = set(self.changed_data)
        out = []
        for row in self.rows:
            if not row.editable or row.leaf.fed_by_system:
                continue
            note_name = f"n__{row.leaf.code}"
            note = self.cleaned_data.get(note_name, "") or ""
            for cell in row.cells:
                if not cell.editable:
                    continue
                name = cell_name(row.leaf.code, cell.variable)
                if not cell.writable and name not in self.data:
                    # Shown as text (verified): not posted, so not the user's to change. Posted
                    # from a page older than the verification, it goes on and is refused at its cell.
                    continue
                version = version_name(row.leaf.code, cell.variable)
                # A blank version: the form showed no value (0); none posted at all: not checked.
                expected = self.cleaned_data.get(version)
                if expected is None and version in self.data:
                    expected = 0
                out.append(LedgerCellInput(
                    indicator=row.leaf.code, variable=cell.variable, value=self.cleaned_data.get(name), note=note,
                    expected_version=expected, edited=name in changed or note_name in changed))
        return out

    @contextmanager
    def refusals_at_cells(self) -> Iterator[None]:
        """Name the form's field in a refusal about one cell (the services say ``indicator:variable``).

        Inside :func:`~jixiao.core.refusals.form_refusals`: a refusal about a cell — stale, not a
        number, or one the user may not change, such as a value the office has verified — is then
        shown next to that cell rather than as the refusal page, with the rest of the form kept."""
        try:
            yield
        except ServiceError as e:
            name = self.field_of(e.field)
            if name is None:
                raise
            raise ServiceError(e.message, field=name) from e

    def field_of(self, key: str | None) -> str | None:
        """The form field an error of the services is about: a cell (``indicator:variable``), or none."""
        if key and ":" in key:
            name = cell_name(*key.split(":", 1))
            if name in self.fields:
                return name
        return None


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


class ChineseDateField(forms.CharField):
    """A date typed as 2024-12-05 (also 2024/12/05, 2024年12月5日): a text input with that example,
    never the browser's mm/dd/yyyy picker, and a Chinese message for anything else."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(widget=forms.TextInput(attrs={"placeholder": "2024-12-05", "inputmode": "numeric",
                                                       "size": 11}), **kwargs)

    def clean(self, value: Any) -> date | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            if self.required:
                raise forms.ValidationError("请填写日期")
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise forms.ValidationError(f"“{text}”不是有效日期，请按 2024-12-05 的格式填写")


class QueueFilterForm(forms.Form):
    """The review queue's filters; choices are the assessment's periods, units and indicators."""

    assessment = forms.ChoiceField(label="考核", required=False)
    period = forms.ChoiceField(label="考核期", required=False)
    unit = forms.ChoiceField(label="单位", required=False)
    indicator = forms.ChoiceField(label="指标", required=False)
    since = ChineseDateField(label="报送日期自")
    until = ChineseDateField(label="至")

    def __init__(self, *args: Any, assessments: list[tuple[str, str]], periods: list[tuple[str, str]],
                 units: list[tuple[str, str]], indicators: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, choices, blank in (("assessment", assessments, None), ("period", periods, "全部考核期"),
                                     ("unit", units, "全部单位"), ("indicator", indicators, "全部指标")):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = ([("", blank)] if blank else []) + choices
            field.error_messages["invalid_choice"] = "请从列表中选择"
        # Another assessment has other periods and indicators: start its queue unfiltered.
        # (jixiao/behaviours.js: data-autosubmit clears the fields named in data-autosubmit-clear first)
        self.fields["assessment"].widget.attrs.update({"data-autosubmit": "", "data-autosubmit-clear":
                                                       "period unit indicator"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "结束日期不能早于开始日期")
        return data


class BatchReviewForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    reason = forms.CharField(label="退回理由", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Any id may be posted: the service checks each is a submitted value and refuses otherwise.
        field = self.fields["ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]


class ReviewForm(forms.Form):
    approve = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=300, label="退回理由")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")


def object_label(obj: AssessedObject, duplicate: bool) -> str:
    """How an object is named in a picker: its name, with its code where two share a name."""
    return f"{obj.name}（{obj.code}）" if duplicate else obj.name


class IncidentForm(forms.Form):
    """登记加减分事项: every choice by name — the object typed or picked from the list of those the
    user may register for, the indicator, item and level from the scheme's names; codes travel
    behind the names. A name that is none of these is refused at its field, in Chinese."""

    object = forms.CharField(label="考核对象", max_length=200, widget=forms.TextInput(attrs={
        "list": "incident-objects", "autocomplete": "off", "placeholder": "输入或选择考核对象名称"}))
    period = forms.ChoiceField(label="考核期", error_messages={
        "invalid_choice": "该考核期已关闭或不存在，请选择开放中的考核期", "required": "请选择考核期"})
    indicator = forms.ChoiceField(label="指标或否决项", error_messages={
        "invalid_choice": "没有这个加减分指标或否决项，请从列表中选择", "required": "请选择指标"})
    item = forms.ChoiceField(label="事项", required=False, error_messages={
        "invalid_choice": "该指标没有这个事项，请从列表中选择"})
    level = forms.ChoiceField(label="级别", required=False, error_messages={
        "invalid_choice": "该事项没有这个级别，请从列表中选择"})
    count = forms.DecimalField(label="次数", initial=1, min_value=Decimal(1), decimal_places=0, max_digits=6,
                               error_messages={"invalid": "次数须为正整数", "min_value": "次数须为正整数"})
    amount = forms.DecimalField(label="每例分值", required=False, max_digits=8, decimal_places=4,
                                error_messages={"invalid": "请填写数字"})
    document = forms.CharField(label="文号", max_length=200, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="佐证材料", required=False)

    def __init__(self, choices: IncidentChoices, periods: list[Period], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.periods = periods
        names: dict[str, int] = {}
        for o in choices.objects:
            names[o.name] = names.get(o.name, 0) + 1
        self.object_labels = [(object_label(o, names[o.name] > 1), o) for o in choices.objects]
        self._objects = {k: o for label, o in self.object_labels for k in (label, o.code)}
        self._choice("period").choices = [(p.code, p.name) for p in periods]
        self._choice("indicator").choices = [
            (i.code, f"{i.name}（否决项）" if i.veto else i.name) for i in choices.indicators]
        picked = self._picked("indicator") or (choices.indicators[0].code if choices.indicators else "")
        ind = choices.indicator(picked)
        items = ind.items if ind is not None else ()
        self._choice("item").choices = [("", "—")] + [(i.code, self.item_label(i)) for i in items]
        item = (ind.item(self._picked("item")) if ind is not None else None) or (items[0] if items else None)
        if not self.is_bound:
            # The picker's reload after another indicator: its first item, with that item's levels.
            self.initial["indicator"] = picked
            self.initial["item"] = item.code if item else ""
        self._choice("level").choices = [("", "—")] + [(lv, lv) for lv in (item.levels if item else ())]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    @staticmethod
    def item_label(i: Item) -> str:
        if i.levels:
            return f"{i.name}（{'/'.join(i.levels)}）"
        if i.range:
            return f"{i.name}（{i.range[0]:g}–{i.range[1]:g}分/例）"
        return f"{i.name}（{i.per:g}分/例）" if i.per is not None else i.name

    def _picked(self, name: str) -> str:
        """The choice posted (or asked for by the picker's reload), else the initial one."""
        if self.is_bound:
            return str(self.data.get(name) or "")
        return str(self.initial.get(name) or "")

    def clean_object(self) -> AssessedObject:
        typed = (self.cleaned_data.get("object") or "").strip()
        obj = self._objects.get(typed)
        if obj is None:
            raise forms.ValidationError(f"没有名为“{typed}”的考核对象，或您无权为它登记；请从列表中选择")
        return obj

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "indicator" in self.errors:
            # its items and levels were checked against no indicator: only the indicator is wrong
            for name in ("item", "level"):
                self.errors.pop(name, None)
        obj, code = data.get("object"), data.get("indicator")
        if obj is None or not code:
            return data
        ind = self.choices.indicator(code)
        category = obj.category.code if obj.category_id else ""
        allowed = self.choices.indicators_of.get(category, frozenset())
        if ind is None or (allowed and code not in allowed):
            self.add_error("indicator", f"“{ind.name if ind else code}”不适用于{obj.name}")
        elif not ind.veto and ind.items and not data.get("item"):
            self.add_error("item", "请选择事项")
        elif not ind.veto:
            item = ind.item(data.get("item") or "")
            if item is not None and item.levels and not data.get("level"):
                self.add_error("level", "请选择级别")
        return data


class DecisionForm(forms.Form):
    approve = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=300, label="理由")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class BallotForm(forms.Form):
    indicator = forms.CharField(max_length=40, widget=forms.HiddenInput)
    rater = forms.CharField(label="评价人", max_length=100, required=False)
    rating = forms.CharField(label="评价/分数", max_length=40)
    count = forms.IntegerField(label="票数", min_value=1, initial=1)


class RemindForm(forms.Form):
    message = forms.CharField(label="通知内容", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
