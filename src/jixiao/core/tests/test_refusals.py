"""Refusals reach the user in Chinese, inside the site's layout, with the reason and a way back."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import RequestFactory

from jixiao.core.errors import NotAllowed, StaleEdit
from jixiao.core.refusals import RefusalMiddleware, form_refusals

pytestmark = pytest.mark.django_db


def _login(client: Any, user: Any) -> None:
    client.force_login(user)


def test_another_units_page_is_refused_in_chinese_inside_the_layout(cast: Any, client: Any) -> None:
    _login(client, cast.reporter)
    resp = client.get(f"/ledger/{cast.assessment.code}/2024-Q1/west/")
    body = resp.content.decode()
    assert resp.status_code in (403, 404)
    assert "Forbidden" not in body and "Not Found" not in body
    assert "电子台帐" in body  # the site's navigation is there
    assert "回到首页" in body


def test_unknown_record_is_a_chinese_404_without_the_model_name(cast: Any, client: Any) -> None:
    _login(client, cast.office)
    resp = client.get("/ledger/values/999999/history")
    body = resp.content.decode()
    assert resp.status_code == 404
    assert "页面不存在" in body
    assert "matches the given query" not in body and "Value" not in body


def test_csrf_failure_is_explained(cast: Any) -> None:
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(cast.office)
    resp = c.post("/logout/")
    assert resp.status_code == 403
    assert "页面已过期" in resp.content.decode()


def test_not_allowed_from_a_view_shows_the_services_reason(rf: RequestFactory, cast: Any) -> None:
    request = rf.get("/ledger/")
    request.user = cast.reporter
    request.scope = None  # type: ignore[attr-defined]
    mw = RefusalMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    resp = mw.process_exception(request, NotAllowed("已审核的数据需由绩效办退回后才能修改"))
    assert resp is not None and resp.status_code == 403
    assert "已审核的数据需由绩效办退回后才能修改" in resp.content.decode()


def test_api_paths_are_left_to_the_api(rf: RequestFactory) -> None:
    request = rf.get("/api/values/")
    mw = RefusalMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    assert mw.process_exception(request, NotAllowed("x")) is None


class _F(forms.Form):
    value = forms.CharField()


def test_form_refusals_put_the_message_at_its_field_and_let_not_allowed_through() -> None:
    form = _F({"value": "1"})
    assert form.is_valid()
    with form_refusals(form) as outcome:
        raise StaleEdit("他人已先保存，请刷新后再改", field="value")
    assert not outcome.ok and form.errors["value"] == ["他人已先保存，请刷新后再改"]
    form2 = _F({"value": "1"})
    assert form2.is_valid()
    with form_refusals(form2) as outcome2:
        raise StaleEdit("整体错误", field="nope")
    assert form2.non_field_errors() == ["整体错误"] and not outcome2.ok
    with pytest.raises(NotAllowed), form_refusals(_F({})):
        raise NotAllowed("不行")
