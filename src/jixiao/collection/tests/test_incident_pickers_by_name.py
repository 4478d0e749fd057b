"""The incident register picks everything by name: the object (typed or from the list of those the
user may register for), the indicator, item and level from the scheme's names; the list shows names,
not codes; an unknown name is a Chinese field error, never an English 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Incident
from jixiao.collection.services import incident_create
from jixiao.collection.views_incidents import INCIDENTS_PAGE

from ..selectors import incident_choices

URL = "/ledger/incidents/?assessment=mini-2024"


def post(cast: Any, **over: str) -> dict[str, str]:
    data = {"object": "东镇", "period": cast.q1.code, "indicator": "jianfen", "item": "tbpp", "level": "县",
            "count": "1", "document": "县政办通报〔2024〕3号", "note": ""}
    data.update(over)
    return data


@pytest.mark.django_db
def test_the_form_offers_names_scoped_to_the_users_units(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    resp = client.get(URL)
    html = resp.content.decode()
    assert '<datalist id="incident-objects">' in html
    assert '<option value="东镇">' in html and '<option value="西镇">' not in html
    assert '<option value="jianfen" selected>通报批评</option>' in html
    assert '<option value="aqsg">重大安全事故（否决项）</option>' in html
    assert '<option value="tbpp" selected>通报批评（县/市/省）</option>' in html
    assert '<option value="市">市</option>' in html
    assert f'<option value="{cast.q1.code}"' in html and cast.q1.name in html


@pytest.mark.django_db
def test_the_choices_selector_is_scoped(cast: Any, scope: Any) -> None:
    office = incident_choices(scope=scope(cast.office), assessment=cast.assessment)
    reporter = incident_choices(scope=scope(cast.reporter), assessment=cast.assessment)
    leader = incident_choices(scope=scope(cast.leader), assessment=cast.assessment)
    assert {o.code for o in office.objects} == {"east", "west"}
    assert [o.code for o in reporter.objects] == ["east"]
    assert leader.objects == []
    assert [(i.code, i.veto) for i in office.indicators] == [("jianfen", False), ("aqsg", True)]


@pytest.mark.django_db
def test_registering_by_name_stores_the_codes(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    resp = client.post(URL, post(cast))
    assert resp.status_code == 302
    inc = Incident.objects.get()
    assert (inc.object_id, inc.indicator, inc.item, inc.level) == (cast.east_obj.pk, "jianfen", "tbpp", "县")


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "typed", "message"), [
    ("object", "南镇", "没有名为“南镇”的考核对象"),
    ("object", "西镇", "没有名为“西镇”的考核对象，或您无权为它登记"),  # not his unit
    ("indicator", "jiafen", "没有这个加减分指标或否决项"),
    ("item", "dwzf", "该指标没有这个事项"),
    ("level", "国", "该事项没有这个级别"),
])
def test_an_unknown_name_is_a_chinese_field_error(cast: Any, client: Any, field: str, typed: str,
                                                  message: str) -> None:
    client.force_login(cast.reporter)
    resp = client.post(URL, post(cast, **{field: typed}))
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert list(errors) == [field] and message in errors[field][0]
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_the_list_shows_names_not_codes(cast: Any, scope: Any, client: Any) -> None:
    office = scope(cast.office)
    incident_create(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="jianfen",
                    item="tbpp", level="市", document="市委通报〔2024〕1号")
    incident_create(actor=cast.office, scope=office, period=cast.q1, obj=cast.west_obj, indicator="aqsg",
                    document="县应急局认定〔2024〕2号")
    client.force_login(cast.office)
    html = client.get(URL).content.decode()
    table = html[html.index('id="incidents"'):html.index("</table>", html.index('id="incidents"'))]
    assert "通报批评 / 通报批评" in table and "重大安全事故（否决项）" in table
    assert "jianfen" not in table and "tbpp" not in table and "aqsg" not in table


@pytest.mark.django_db
def test_the_picker_reloads_items_for_the_chosen_indicator(cast: Any, client: Any) -> None:
    client.force_login(cast.office)
    veto = client.get("/ledger/incidents/form?assessment=mini-2024&indicator=aqsg").content.decode()
    assert '<option value="aqsg" selected>' in veto and 'value="tbpp"' not in veto
    back = client.get("/ledger/incidents/form?assessment=mini-2024&indicator=jianfen&item=nope").content.decode()
    assert '<option value="tbpp" selected>' in back and '<option value="省">省</option>' in back


@pytest.mark.django_db
def test_the_default_assessment_has_incident_indicators(cast: Any, client: Any) -> None:
    from conftest import MINI

    from jixiao.org import services as org
    from jixiao.org.models import Category
    from jixiao.schemes import services as sch

    org.category_create(actor=None, code="village", name="村", subject=Category.Subject.UNIT)

    text = MINI.read_text(encoding="utf-8")
    start, end = text.index("      - code: jianfen"), text.index("    results:")
    text = (text[:start] + text[end:]).replace("code: town\n    name: 乡镇", "code: village\n    name: 村")
    version = sch.scheme_create(actor=None, code="plain", name="无加减分方案", text=text)
    sch.scheme_version_adopt(actor=None, version=version)
    # "a-plain" sorts before "mini-2024": it would be the first assessment, but has no incidents.
    sch.assessment_create(actor=None, code="a-plain-2024", name="无加减分考核", year=2024, version=version)
    client.force_login(cast.office)
    resp = client.get("/ledger/incidents/")
    assert resp.context["assessment"].code == "mini-2024"
    assert [a.code for a in resp.context["assessments"]] == ["mini-2024"]


@pytest.mark.django_db
def test_a_leader_gets_no_registration_form(cast: Any, client: Any) -> None:
    client.force_login(cast.leader)
    html = client.get(URL).content.decode()
    assert 'id="incident-form"' not in html


@pytest.mark.django_db
def test_the_list_is_paginated(cast: Any, scope: Any, client: Any) -> None:
    office = scope(cast.office)
    for n in range(INCIDENTS_PAGE + 3):
        incident_create(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="jianfen",
                        item="tbpp", level="县", document=f"通报〔2024〕{n}号", count=Decimal(1))
    client.force_login(cast.office)
    first = client.get(URL)
    assert len(first.context["rows"]) == INCIDENTS_PAGE
    assert "第 1 / 2 页" in first.content.decode()
    second = client.get(URL + "&page=2")
    assert len(second.context["rows"]) == 3


@pytest.mark.django_db
def test_only_open_periods_are_offered(cast: Any, client: Any) -> None:
    from jixiao.schemes.services import period_close

    period_close(actor=cast.office, period=cast.q1)
    client.force_login(cast.reporter)
    html = client.get(URL).content.decode()
    assert f'<option value="{cast.q1.code}"' not in html and f'<option value="{cast.q2.code}"' in html
    resp = client.post(URL, post(cast))  # a page from before the close
    assert "该考核期已关闭" in resp.context["form"].errors["period"][0]
    assert not Incident.objects.exists()
