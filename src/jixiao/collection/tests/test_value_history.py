"""A value's change history (填报记录) records every step: who, how, before and after."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services import ValueInput, value_review, value_save, values_bulk_upsert, values_submit


def dec(s: str | None) -> Decimal | None:
    return None if s is None else Decimal(s)


@pytest.mark.django_db
def test_history_of_a_sequence_of_edits(cast: Any, scope: Any) -> None:
    rep, office = scope(cast.reporter), scope(cast.office)

    def save(value: str | None, *, submit: bool = False) -> Value:
        return value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                          variable="value", value=dec(value), submit=submit)

    v = save("10")
    save("20")
    values_submit(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj)
    value_review(actor=cast.office, scope=office, value=v, approve=False, reason="数值偏小")
    save("30", submit=True)
    value_review(actor=cast.office, scope=office, value=v, approve=True)
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=dec("31"))
    values_bulk_upsert(actor=cast.office, scope=office, period=cast.q1, via="import",
                       rows=[ValueInput(object="east", indicator="gdp", variable="value", value=dec("32"))])

    rows = list(ValueChange.objects.filter(value=v).order_by("id")
                .values_list("actor__username", "via", "action", "before", "after", "status_before", "status_after",
                             "note"))
    rep_name, office_name = cast.reporter.get_username(), cast.office.get_username()
    assert rows == [
        (rep_name, "form", "save", None, dec("10"), "", "draft", ""),
        (rep_name, "form", "save", dec("10"), dec("20"), "draft", "draft", ""),
        (rep_name, "form", "submit", dec("20"), dec("20"), "draft", "submitted", ""),
        (office_name, "form", "return", dec("20"), dec("20"), "submitted", "returned", "数值偏小"),
        (rep_name, "form", "submit", dec("20"), dec("30"), "returned", "submitted", ""),
        (office_name, "form", "verify", dec("30"), dec("30"), "submitted", "verified", ""),
        (office_name, "form", "save", dec("30"), dec("31"), "verified", "verified", ""),
        (office_name, "import", "save", dec("31"), dec("32"), "verified", "verified", ""),
    ]
    v.refresh_from_db()
    assert (v.value, v.status, v.version) == (dec("32"), Value.Status.VERIFIED, 8)
    # The model's default order is newest first, as the history page shows it.
    assert list(v.changes.values_list("after", flat=True))[:2] == [dec("32"), dec("31")]


@pytest.mark.django_db
def test_clearing_a_value_is_recorded(cast: Any, scope: Any) -> None:
    office = scope(cast.office)
    v = value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="gdp",
                   variable="value", value=dec("55"))
    value_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="gdp",
               variable="value", value=None)
    last = ValueChange.objects.filter(value=v).order_by("-id").first()
    assert last is not None and (last.before, last.after) == (dec("55"), None)
