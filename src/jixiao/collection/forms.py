"""Forms of the ledger pages. The grid of values is built from the scheme's indicators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from jixiao.collection.selectors import LedgerRow
from jixiao.collection.services import LedgerCellInput, parse_number
from jixiao.core.errors import ServiceError


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
                version = version_name(row.leaf.code, cell.variable)
                # A blank version: the form showed no value (0); none posted at all: not checked.
                expected = self.cleaned_data.get(version)
                if expected is None and version in self.data:
                    expected = 0
                out.append(LedgerCellInput(
                    indicator=row.leaf.code, variable=cell.variable, value=self.cleaned_data.get(name), note=note,
                    expected_version=expected, edited=name in changed or note_name in changed))
        return out

    def field_of(self, key: str | None) -> str | None:
        """The form field an error of the services is about: a cell (``indicator:variable``), or none."""
        if key and ":" in key:
            name = cell_name(*key.split(":", 1))
            if name in self.fields:
                return name
        return None


class ReviewForm(forms.Form):
    approve = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=300, label="退回理由")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")


class IncidentForm(forms.Form):
    object = forms.CharField(label="考核对象", max_length=40)
    period = forms.CharField(label="考核期", max_length=40)
    indicator = forms.CharField(label="指标或否决项", max_length=40)
    item = forms.CharField(label="事项", max_length=40, required=False)
    level = forms.CharField(label="级别", max_length=40, required=False)
    count = forms.DecimalField(label="次数", initial=1, min_value=Decimal(1), decimal_places=0, max_digits=6)
    amount = forms.DecimalField(label="每例分值", required=False, max_digits=8, decimal_places=4)
    document = forms.CharField(label="文号", max_length=200, required=False)
    note = forms.CharField(label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label="佐证材料", required=False)


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
