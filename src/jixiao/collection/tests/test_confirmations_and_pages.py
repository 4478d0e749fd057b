"""Irreversible ledger actions ask first, in Chinese; the lists that grow come in pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection import views, views_import
from jixiao.collection.models import ImportJob
from jixiao.collection.services import incident_create, value_save


@pytest.mark.django_db
def test_the_object_form_asks_before_submitting_returning_and_verifying_all(cast: Any, scope: Any,
                                                                            client: Any) -> None:
    value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
               indicator="gdp", variable="value", value=Decimal("1"), submit=True)
    client.force_login(cast.reporter)
    html = client.get("/ledger/mini-2024/2024-Q1/east/").content.decode()
    assert 'data-confirm="报送后数据将进入绩效办审核' in html
    client.force_login(cast.office)
    html = client.get("/ledger/mini-2024/2024-Q1/east/").content.decode()
    assert 'data-confirm="将审核通过本对象本期全部已报送的数据' in html
    assert 'data-confirm="退回后该数据不再计分' in html
    assert 'data-confirm="评价记录后即计入得分' in html


@pytest.mark.django_db
def test_incident_decisions_reminders_and_imports_ask_first(cast: Any, scope: Any, client: Any) -> None:
    incident_create(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                    indicator="jianfen", item="tbpp", level="县", document="县政办通报〔2024〕3号")
    client.force_login(cast.office)
    html = client.get("/ledger/incidents/?assessment=mini-2024").content.decode()
    assert 'data-confirm="批准后该事项即计入得分' in html and 'data-confirm="驳回后该事项不计分' in html
    rates = client.get("/ledger/mini-2024/2024-Q1/rates").content.decode()
    assert 'data-confirm="将向勾选的单位发送催报通知' in rates
    assert 'data-confirm="导入通过校验后' in client.get("/ledger/import/mini-2024/2024-Q1/").content.decode()


@pytest.mark.django_db
def test_my_import_jobs_come_in_pages(cast: Any, client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views_import, "JOBS_PAGE", 2)
    for n in range(3):
        ImportJob.objects.create(assessment=cast.assessment, period=cast.q1, name=f"第{n}次.xlsx",
                                 created_by=cast.reporter, status=ImportJob.Status.DONE)
    client.force_login(cast.reporter)
    first = client.get("/ledger/import/mini-2024/2024-Q1/")
    html = first.content.decode()
    assert "第2次.xlsx" in html and "第1次.xlsx" in html and "第0次.xlsx" not in html
    assert "第 1 / 2 页" in html
    assert "第0次.xlsx" in client.get("/ledger/import/mini-2024/2024-Q1/?page=2").content.decode()


@pytest.mark.django_db
def test_the_period_page_comes_in_pages(cast: Any, client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "OBJECTS_PAGE", 1)
    client.force_login(cast.office)
    first = client.get("/ledger/mini-2024/2024-Q1/")
    assert [o.code for o, _ in first.context["rows"]] == ["east"]
    assert "第 1 / 2 页" in first.content.decode()
    assert [o.code for o, _ in client.get("/ledger/mini-2024/2024-Q1/?page=2").context["rows"]] == ["west"]
