"""Ledger pages answer a refusal in Chinese: at the field it concerns, or as the refusal page with
the reason — never a bare "403 Forbidden"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value
from jixiao.collection.services import value_review, value_save

URL = "/ledger/mini-2024/2024-Q1/east/"


def _verified_after_load(cast: Any, scope: Any, client: Any) -> tuple[dict[str, Any], Value]:
    """The reporter loads his form with a submitted value; the office verifies it meanwhile."""
    v = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("8156"), submit=True)
    client.force_login(cast.reporter)
    page = client.get(URL)
    assert 'name="v__gdp__value"' in page.content.decode()
    data = {"v__gdp__value": "9500", "initial-v__gdp__value": "8156", "ver__gdp__value": str(v.version),
            "n__gdp": "", "initial-n__gdp": "", "save": ""}
    value_review(actor=cast.office, scope=scope(cast.office), value=v, approve=True)
    return data, v


@pytest.mark.django_db
def test_saving_a_value_verified_meanwhile_is_refused_at_its_field(cast: Any, scope: Any, client: Any) -> None:
    data, v = _verified_after_load(cast, scope, client)
    resp = client.post(URL, data)
    assert resp.status_code == 200
    form = resp.context["form"]
    (error,) = form.errors["v__gdp__value"]
    assert error.endswith("已审核的数据需由绩效办退回后才能修改") and "当前值为 8156" in error
    assert "未保存任何数据" in " ".join(form.non_field_errors())
    html = resp.content.decode()
    assert "已审核的数据需由绩效办退回后才能修改" in html and "Forbidden" not in html
    v.refresh_from_db()
    assert v.value == Decimal("8156")


@pytest.mark.django_db
def test_posting_a_verified_value_is_refused_at_its_field(cast: Any, scope: Any, client: Any) -> None:
    """Posted with the current version (no stale form): the reason is the verification alone."""
    data, v = _verified_after_load(cast, scope, client)
    v.refresh_from_db()
    data["ver__gdp__value"] = str(v.version)
    resp = client.post(URL, data)
    assert resp.status_code == 200
    assert resp.context["form"].errors["v__gdp__value"] == ["已审核的数据需由绩效办退回后才能修改"]
    assert "Forbidden" not in resp.content.decode()


@pytest.mark.django_db
def test_an_object_out_of_reach_is_refused_with_a_reason(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    resp = client.get("/ledger/mini-2024/2024-Q1/west/")
    assert resp.status_code == 403
    html = resp.content.decode()
    assert "西镇 不在您负责的范围内" in html and "Forbidden" not in html


@pytest.mark.django_db
def test_a_reporter_reviewing_gets_the_services_reason(cast: Any, scope: Any, client: Any) -> None:
    v = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("1"), submit=True)
    client.force_login(cast.reporter)
    resp = client.post(f"/ledger/values/{v.pk}/review", {"approve": "on", "version": v.version})
    assert resp.status_code == 403
    assert "只有绩效办或单位负责人可以审核数据" in resp.content.decode()


@pytest.mark.django_db
def test_rates_are_refused_to_a_reporter_with_a_reason(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    resp = client.get("/ledger/mini-2024/2024-Q1/rates")
    assert resp.status_code == 403
    assert "录入率与催报只对绩效办开放" in resp.content.decode()


@pytest.mark.django_db
def test_import_is_refused_to_a_leader_with_a_reason(cast: Any, client: Any) -> None:
    client.force_login(cast.leader)
    resp = client.get("/ledger/import/mini-2024/2024-Q1/")
    assert resp.status_code == 403
    assert "没有填报权限" in resp.content.decode()


@pytest.mark.django_db
def test_a_closed_period_is_said_atop_the_form(cast: Any, scope: Any, client: Any) -> None:
    from jixiao.schemes.services import period_close

    client.force_login(cast.office)
    page = client.get(URL)
    assert 'name="v__gdp__value"' in page.content.decode()
    period_close(actor=cast.office, period=cast.q1)
    resp = client.post(URL, {"v__gdp__value": "5", "initial-v__gdp__value": "", "save": ""})
    assert resp.status_code == 200
    assert any("关闭" in e for e in resp.context["form"].non_field_errors())


@pytest.mark.django_db
def test_a_cell_shown_as_text_is_not_sent_to_the_service(cast: Any, scope: Any) -> None:
    """A note typed beside a verified value (shown as text, not posted) never reaches its cell."""
    from jixiao.collection.forms import LedgerForm
    from jixiao.collection.selectors import ledger_for

    v = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("8156"), submit=True)
    value_review(actor=cast.office, scope=scope(cast.office), value=v, approve=True)
    rows = ledger_for(scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj)
    form = LedgerForm(rows, {"n__gdp": "附件已补", "initial-n__gdp": ""})
    assert form.is_valid()
    assert [c for c in form.cells() if c.indicator == "gdp"] == []
    posted = LedgerForm(rows, {"v__gdp__value": "9500", "initial-v__gdp__value": "8156"})
    assert posted.is_valid()
    assert [(c.indicator, c.value) for c in posted.cells() if c.indicator == "gdp"] == [("gdp", Decimal("9500"))]
