"""The ledger form offers an input, an upload or a button only where the user may write; what he
may not change is shown as text with its status in words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.collection.services import evidence_add, value_review, value_save

from .test_evidence_checks import small_pdf

URL = "/ledger/mini-2024/2024-Q1/east/"


def _verified_gdp(cast: Any, scope: Any) -> Any:
    v = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                   indicator="gdp", variable="value", value=Decimal("8156"), submit=True)
    return value_review(actor=cast.office, scope=scope(cast.office), value=v, approve=True)


@pytest.mark.django_db
def test_a_reporter_sees_no_input_for_a_verified_value(cast: Any, scope: Any, client: Any) -> None:
    _verified_gdp(cast, scope)
    client.force_login(cast.reporter)
    html = client.get(URL).content.decode()
    assert 'name="v__gdp__value"' not in html
    assert 'id="shown-gdp-value"' in html and "8156" in html and "已审核" in html
    assert "已审核，需由绩效办退回后才能修改" in html


@pytest.mark.django_db
def test_a_reporter_keeps_inputs_for_what_he_may_write(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    html = client.get(URL).content.decode()
    assert 'name="v__gdp__value"' in html and 'name="save"' in html and 'name="submit"' in html
    assert 'name="v__tax__value"' not in html  # 县统计局 reports it


@pytest.mark.django_db
def test_a_leader_sees_no_inputs_at_all(cast: Any, scope: Any, client: Any) -> None:
    v = _verified_gdp(cast, scope)
    evidence_add(actor=cast.office, scope=scope(cast.office), upload=SimpleUploadedFile("统计公报.pdf", small_pdf()),
                 value=v)
    client.force_login(cast.leader)
    resp = client.get(URL)
    assert resp.status_code == 200
    html = resp.content.decode()
    for needle in ('name="v__', 'name="n__', 'type="file"', 'name="save"', 'name="submit"', "审核通过",
                   "evidence\"", "/evidence\""):
        assert needle not in html, needle
    assert "8156" in html and "已审核" in html and "未填报" in html
    assert "本页数据您只能查看，不能修改" in html


@pytest.mark.django_db
def test_a_closed_period_shows_text_only_even_to_the_office(cast: Any, client: Any) -> None:
    from jixiao.schemes.services import period_close

    period_close(actor=cast.office, period=cast.q1)
    client.force_login(cast.office)
    html = client.get(URL).content.decode()
    assert 'name="v__' not in html and 'type="file"' not in html and 'name="save"' not in html


@pytest.mark.django_db
def test_the_office_may_change_a_verified_value(cast: Any, scope: Any, client: Any) -> None:
    _verified_gdp(cast, scope)
    client.force_login(cast.office)
    html = client.get(URL).content.decode()
    assert 'name="v__gdp__value"' in html and "全部审核通过" in html


@pytest.mark.django_db
def test_ballots_are_listed_by_indicator_name(cast: Any, scope: Any, client: Any) -> None:
    from jixiao.collection.services import ballot_add

    ballot_add(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="ldpg",
               rating="27.5", rater="县长")
    client.force_login(cast.office)
    html = client.get(URL).content.decode()
    assert "<td>领导评估</td><td>27.5</td>" in html and "<td>ldpg</td>" not in html
    assert "县长" not in html  # raters are never named


@pytest.mark.django_db
def test_no_upload_for_a_verified_value_and_the_service_refuses_it(cast: Any, scope: Any, client: Any) -> None:
    from jixiao.core.errors import NotAllowed

    v = _verified_gdp(cast, scope)
    client.force_login(cast.reporter)
    html = client.get(URL).content.decode()
    assert f"/ledger/values/{v.pk}/evidence" not in html and 'type="file"' not in html
    with pytest.raises(NotAllowed, match="已审核的数据需由绩效办退回后才能补充佐证材料"):
        evidence_add(actor=cast.reporter, scope=scope(cast.reporter), value=v,
                     upload=SimpleUploadedFile("补充.pdf", small_pdf()))
    resp = client.post(f"/ledger/values/{v.pk}/evidence", {"file": SimpleUploadedFile("补充.pdf", small_pdf())})
    assert resp.status_code == 403 and "才能补充佐证材料" in resp.content.decode()
