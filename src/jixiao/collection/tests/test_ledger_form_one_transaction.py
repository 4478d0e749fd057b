"""The ledger form is one service call and one transaction: it writes only the cells the user
changed, all of them or none (a stale cell refuses the whole form, named next to that cell), and
asks for one recompute. A value the user left alone keeps its status: a returned value stays
returned through an office save of the same page, and an office save does not verify it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import LedgerChange, Value, ValueChange
from jixiao.collection.services import LedgerCellInput, ledger_form_save, value_review, value_save
from jixiao.core.errors import StaleEdit
from jixiao.core.events import ledger_changed

RETURN_REASON = "与县城管局抽查台账不一致"


def url(cast: Any) -> str:
    return f"/ledger/{cast.assessment.code}/{cast.q1.code}/{cast.east_obj.code}/"


@pytest.fixture
def page(cast: Any, scope: Any) -> Any:
    """East in Q1: the reporter's gdp 70 and the statistics bureau's tax 300, both submitted."""
    value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
               indicator="gdp", variable="value", value=Decimal("70"), note="统计快报", submit=True)
    value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=cast.east_obj,
               indicator="tax", variable="value", value=Decimal("300"), submit=True)
    return cast


@pytest.fixture
def announced() -> Iterator[list[int]]:
    """The ledger changes announced (each asks for one recompute)."""
    seen: list[int] = []

    def count(sender: Any, assessment_id: int, **_: Any) -> None:
        seen.append(assessment_id)

    ledger_changed.connect(count, dispatch_uid="test.announced")
    yield seen
    ledger_changed.disconnect(dispatch_uid="test.announced")


def stored(cast: Any) -> dict[str, tuple[Decimal | None, str, int, str]]:
    return {v.indicator: (v.value, v.status, v.version, v.note)
            for v in Value.objects.filter(period=cast.q1, object=cast.east_obj)}


def form_post(client: Any, cast: Any, **typed: str) -> Any:
    """Post the ledger form as a browser does: every field as shown, the hidden initials (what the
    form showed) and versions, with ``typed`` (field name → text) changed by the user."""
    page = client.get(url(cast))
    assert page.status_code == 200
    form = page.context["form"]
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        shown = form[name].value()
        data[name] = "" if shown is None else str(shown)
        if field.show_hidden_initial:
            data[f"initial-{name}"] = data[name]
    data.update(typed)
    return data


def history(value: Value) -> list[tuple[str, str, str]]:
    return list(ValueChange.objects.filter(value=value).order_by("id")
                .values_list("action", "status_before", "status_after"))


@pytest.mark.django_db
def test_a_stale_cell_writes_nothing(page: Any, scope: Any, announced: list[int]) -> None:
    cast = page
    office = scope(cast.office)
    versions = {k: v[2] for k, v in stored(cast).items()}
    # The bureau corrects tax while the office has the page open.
    value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=cast.east_obj, indicator="tax",
               variable="value", value=Decimal("320"), expected_version=versions["tax"], submit=True)
    before = stored(cast)
    counts = (ValueChange.objects.count(), LedgerChange.objects.count(), AuditEntry.objects.count())
    announced.clear()
    with pytest.raises(StaleEdit) as err:
        ledger_form_save(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, cells=[
            LedgerCellInput("gdp", "value", Decimal("75"), "统计快报", versions["gdp"]),
            LedgerCellInput("tax", "value", Decimal("330"), "", versions["tax"])])
    assert err.value.field == "tax:value" and "stats" in err.value.message and "320" in err.value.message
    assert stored(cast) == before  # gdp, checked first and fine, is not written either
    assert (ValueChange.objects.count(), LedgerChange.objects.count(), AuditEntry.objects.count()) == counts
    assert announced == []


@pytest.mark.django_db
def test_a_value_stored_since_the_form_was_opened_is_a_stale_cell(cast: Any, scope: Any) -> None:
    rep = scope(cast.reporter)
    # The form showed no gdp (expected version 0); the office has entered one since.
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("50"))
    with pytest.raises(StaleEdit) as err:
        ledger_form_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj,
                         cells=[LedgerCellInput("gdp", "value", Decimal("60"), "", 0)])
    assert err.value.field == "gdp:value"
    assert stored(cast)["gdp"][:2] == (Decimal("50"), "verified")


@pytest.mark.django_db
def test_a_stale_cell_on_the_page_is_named_next_to_it(page: Any, scope: Any, client: Any) -> None:
    cast = page
    client.force_login(cast.office)
    data = form_post(client, cast, v__gdp__value="75", v__tax__value="330")
    value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=cast.east_obj, indicator="tax",
               variable="value", value=Decimal("320"), submit=True)
    before, changes = stored(cast), ValueChange.objects.count()
    resp = client.post(url(cast), data)
    assert resp.status_code == 200
    form = resp.context["form"]
    assert "320" in " ".join(form.errors["v__tax__value"]) and "v__gdp__value" not in form.errors
    assert "未保存任何数据" in resp.content.decode()
    assert stored(cast) == before and ValueChange.objects.count() == changes


@pytest.mark.django_db
def test_a_returned_value_stays_returned_through_an_office_save_of_the_page(page: Any, scope: Any, client: Any,
                                                                             announced: list[int]) -> None:
    cast = page
    gdp = Value.objects.get(object=cast.east_obj, indicator="gdp")
    value_review(actor=cast.office, scope=scope(cast.office), value=gdp, approve=False, reason=RETURN_REASON)
    gdp.refresh_from_db()
    tax_before = stored(cast)["tax"]
    client.force_login(cast.office)
    announced.clear()
    resp = client.post(url(cast), form_post(client, cast, v__tax__value="310"))
    assert resp.status_code == 302
    after = Value.objects.get(pk=gdp.pk)
    assert (after.status, after.return_reason, after.version, after.value) == (
        Value.Status.RETURNED, RETURN_REASON, gdp.version, Decimal("70"))
    assert ("save", "returned", "verified") not in history(after)
    assert history(after)[-1] == ("return", "submitted", "returned")
    assert stored(cast)["tax"] == (Decimal("310"), "verified", tax_before[2] + 1, "")
    assert announced == [cast.assessment.pk]  # one recompute for the form


@pytest.mark.django_db
def test_an_office_save_of_one_field_changes_only_that_field(page: Any, client: Any, announced: list[int]) -> None:
    cast = page
    before = stored(cast)
    tax = Value.objects.get(object=cast.east_obj, indicator="tax")
    client.force_login(cast.office)  # a login is itself audited
    tax_history, audits = history(tax), AuditEntry.objects.count()
    announced.clear()
    resp = client.post(url(cast), form_post(client, cast, v__gdp__value="72"))
    assert resp.status_code == 302
    after = stored(cast)
    # gdp: the office's own entry, verified at once; tax, not touched, stays submitted (no 审核 by saving).
    assert after["gdp"] == (Decimal("72"), "verified", before["gdp"][2] + 1, "统计快报")
    assert after["tax"] == before["tax"] and history(tax) == tax_history
    assert AuditEntry.objects.count() == audits + 1
    assert announced == [cast.assessment.pk]
    # Saving the page again unchanged changes nothing and asks for no recompute.
    announced.clear()
    resp = client.post(url(cast), form_post(client, cast))
    assert resp.status_code == 302 and stored(cast) == after and announced == []


@pytest.mark.django_db
def test_a_note_changes_only_the_cells_of_its_row(page: Any, client: Any) -> None:
    cast = page
    before = stored(cast)
    client.force_login(cast.office)
    assert client.post(url(cast), form_post(client, cast, n__tax="国库数据")).status_code == 302
    after = stored(cast)
    assert after["tax"] == (Decimal("300"), "verified", before["tax"][2] + 1, "国库数据")
    assert after["gdp"] == before["gdp"]


@pytest.mark.django_db
def test_the_reporter_resubmits_a_returned_value_only_by_correcting_or_submitting(page: Any, scope: Any,
                                                                                 client: Any) -> None:
    cast = page
    gdp = Value.objects.get(object=cast.east_obj, indicator="gdp")
    value_review(actor=cast.office, scope=scope(cast.office), value=gdp, approve=False, reason=RETURN_REASON)
    client.force_login(cast.reporter)
    # "保存草稿" without a change: still returned, reason kept.
    assert client.post(url(cast), form_post(client, cast, save="")).status_code == 302
    assert Value.objects.get(pk=gdp.pk).status == Value.Status.RETURNED
    assert Value.objects.get(pk=gdp.pk).return_reason == RETURN_REASON
    # "保存并报送": the returned value, filled in, is submitted as it stands (values_submit's rule).
    assert client.post(url(cast), form_post(client, cast, submit="")).status_code == 302
    after = Value.objects.get(pk=gdp.pk)
    assert (after.status, after.value) == (Value.Status.SUBMITTED, Decimal("70"))
    assert history(after)[-1] == ("submit", "returned", "submitted")


@pytest.mark.django_db
def test_save_and_submit_is_one_transaction(page: Any, scope: Any, announced: list[int]) -> None:
    cast = page
    rep = scope(cast.reporter)
    gdp = Value.objects.get(object=cast.east_obj, indicator="gdp")
    value_review(actor=cast.office, scope=scope(cast.office), value=gdp, approve=False, reason=RETURN_REASON)
    gdp.refresh_from_db()
    announced.clear()
    result = ledger_form_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, submit=True,
                              cells=[LedgerCellInput("gdp", "value", Decimal("74"), "统计快报", gdp.version)])
    assert (result.saved, result.submitted) == (1, 0)
    after = Value.objects.get(pk=gdp.pk)
    assert (after.status, after.value) == (Value.Status.SUBMITTED, Decimal("74"))
    assert history(after)[-1] == ("submit", "returned", "submitted")
    assert announced == [cast.assessment.pk]


@pytest.mark.django_db
def test_a_verified_value_changed_by_the_reporter_is_refused_next_to_it(page: Any, scope: Any, client: Any) -> None:
    cast = page
    gdp = Value.objects.get(object=cast.east_obj, indicator="gdp")
    value_review(actor=cast.office, scope=scope(cast.office), value=gdp, approve=True)
    client.force_login(cast.reporter)
    before = stored(cast)
    resp = client.post(url(cast), form_post(client, cast, v__gdp__value="90"))
    assert resp.status_code == 200
    assert "已审核的数据需由绩效办退回后才能修改" in " ".join(resp.context["form"].errors["v__gdp__value"])
    assert stored(cast) == before


@pytest.mark.django_db
def test_a_value_entered_by_someone_while_the_page_was_open_is_not_overwritten(cast: Any, scope: Any,
                                                                              client: Any) -> None:
    client.force_login(cast.reporter)
    data = form_post(client, cast, v__gdp__value="60")  # the page showed gdp empty
    assert data["ver__gdp__value"] == ""
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("50"))
    resp = client.post(url(cast), data)
    assert resp.status_code == 200 and "当前值为 50" in " ".join(resp.context["form"].errors["v__gdp__value"])
    assert stored(cast)["gdp"][:2] == (Decimal("50"), "verified")
