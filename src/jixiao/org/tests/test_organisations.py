"""Organisations (组织) are kept apart: the users of one never see a record of another — on the home
page, the assessment lists, the cockpit, the supervision lists, the unit pickers and the API —
an office admin of two works in one at a time and switches, a direct link to another
organisation's record is a 404, and the services refuse writes across organisations."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from jixiao.collection.services import value_save
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org import services as org
from jixiao.org.middleware import SESSION_KEY
from jixiao.org.models import Organisation, RoleGrant, Unit
from jixiao.org.selectors import scope_for_user, units_visible
from jixiao.supervision.models import Matter
from jixiao.supervision.services import MatterInput, matter_register

COUNTY_ASSESSMENT, BUREAU_ASSESSMENT = "正定县2024年度政府绩效管理评估", "浏阳市财政局2024年度科室和个人绩效考核"
COUNTY_UNITS = ("南牛乡", "县财政局", "县统计局")


def _client(username: str) -> Client:
    from django.contrib.auth.models import User

    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _html(c: Client, url: str, status: int = 200) -> str:
    resp = c.get(url, follow=True)
    assert resp.status_code == status, url
    return resp.content.decode()


def _main(html: str) -> str:
    """The page's own content: the top bar's switcher names every organisation the user may work in."""
    return html.split("<main", 1)[1]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))


def _switch(c: Client, code: str) -> None:
    resp = c.post("/org/switch/", {"organisation": Organisation.objects.get(code=code).pk})
    assert resp.status_code == 302


def _api(c: Client, url: str) -> list[dict[str, Any]]:
    resp = c.get(url)
    assert resp.status_code == 200, url
    data = resp.json()
    return list(data["results"] if isinstance(data, dict) else data)


@pytest.mark.django_db
def test_the_bureau_sees_nothing_of_the_county(demo: Any) -> None:
    head = _client("lyczj_jz")  # 浏阳市财政局局长
    home = _html(head, "/")
    assert BUREAU_ASSESSMENT in home and COUNTY_ASSESSMENT not in home
    results = _html(head, "/results/")
    assert "正定" not in results
    for url in ("/supervision/", "/supervision/rectification/", "/supervision/inbox/", "/supervision/notices/"):
        html = _html(head, url)
        assert not any(u in html for u in COUNTY_UNITS), url
        assert "DB-" not in html and "ZG-" not in html, url
    assert {a["code"] for a in _api(head, "/api/assessments/")} == {"liuyang-czj-2024"}
    assert _api(head, "/api/matters/") == []
    units = {u["code"] for u in _api(head, "/api/units/")}
    assert units and all(code.startswith("lyczj") for code in units)

    # The office working in the bureau: the cockpit and the pickers hold the bureau's only.
    office = _client("office")
    _switch(office, "lyczj")
    cockpit = _html(office, "/cockpit/")
    assert "预算股" in cockpit and "督办红灯 0" in " ".join(_text(cockpit).split())
    assert not any(u in cockpit for u in COUNTY_UNITS)
    form = _html(office, "/supervision/new/")
    assert "办公室" in form and "预算股" in form  # the bureau's sections are the units to choose from
    assert not any(u in form for u in COUNTY_UNITS)
    scope = scope_for_user(_user("office"), organisation_id=_org("lyczj"))
    assert set(units_visible(scope=scope).values_list("organisation__code", flat=True)) == {"lyczj"}
    assert _api(office, "/api/matters/") == []
    assert {o["code"][:5] for o in _api(office, "/api/objects/?limit=2000")} == {"lyczj"}
    assert {s["code"] for s in _api(office, "/api/schemes/")} == {"liuyang-czj"}
    schemes = _html(office, "/schemes/")
    assert "浏阳市财政局科室和个人绩效考核方案" in schemes and "正定县政府绩效管理评估方案" not in schemes
    incidents = _html(office, "/ledger/incidents/")
    assert not any(u in incidents for u in COUNTY_UNITS)


@pytest.mark.django_db
def test_the_county_sees_nothing_of_the_bureau(demo: Any) -> None:
    leader = _client("leader")  # 县长
    home = _html(leader, "/")
    assert 'class="org-switch"' not in home  # one organisation: nothing to switch to
    assert COUNTY_ASSESSMENT in home and BUREAU_ASSESSMENT not in home
    assert "浏阳" not in _html(leader, "/results/")
    for tab in ("units", "objects", "people"):  # the organisation page's tabs
        page = _main(_html(leader, f"/org/?show={tab}"))
        assert not any(word in page for word in ("浏阳", "预算股", "张敏")), tab
    assert {a["code"] for a in _api(leader, "/api/assessments/")} == {"zhengding-2024", "caiyuan-2024"}
    assert not any(u["code"].startswith("lyczj") or u["code"] == "liuyang" for u in _api(leader, "/api/units/"))
    matters = _api(leader, "/api/matters/?limit=2000")
    assert matters and Matter.objects.filter(number__in=[m["number"] for m in matters]).exclude(
        organisation__code="zhengding").count() == 0

    office = _client("office")  # works in the county first
    cockpit = _main(_html(office, "/cockpit/"))
    assert "南牛乡" in cockpit and "浏阳" not in cockpit
    form = _main(_html(office, "/supervision/new/"))
    assert "南牛乡" in form and "预算股" not in form and "浏阳" not in form


@pytest.mark.django_db
def test_an_office_admin_of_both_works_in_one_at_a_time_and_switches(demo: Any) -> None:
    office = _client("office")
    resp = office.get("/")
    home = resp.content.decode()
    assert COUNTY_ASSESSMENT in home and BUREAU_ASSESSMENT not in home
    assert 'class="org-switch"' in home.split("<main", 1)[0]  # the switcher is in the top bar
    switcher = render_to_string("org/_switcher.html", request=resp.wsgi_request)
    assert f'<option value="{_org("zhengding")}" selected>正定县人民政府</option>' in switcher
    assert f'<option value="{_org("lyczj")}">浏阳市财政局</option>' in switcher
    _switch(office, "lyczj")
    assert office.session[SESSION_KEY] == _org("lyczj")
    home = _html(office, "/")
    assert BUREAU_ASSESSMENT in home and COUNTY_ASSESSMENT not in home
    assert "南牛乡" not in _html(office, "/org/")
    _switch(office, "zhengding")
    home = _html(office, "/")
    assert COUNTY_ASSESSMENT in home and BUREAU_ASSESSMENT not in home

    # Nobody switches into an organisation where he holds no grant.
    leader = _client("leader")
    resp = leader.post("/org/switch/", {"organisation": _org("lyczj")})
    assert resp.status_code == 403
    assert BUREAU_ASSESSMENT not in _html(leader, "/")


@pytest.mark.django_db
def test_a_direct_link_to_another_organisations_record_is_not_found(demo: Any) -> None:
    county_office, bureau_office = _client("office"), _client("office")  # one in the county, one in the bureau
    _switch(bureau_office, "lyczj")
    head = _client("lyczj_jz")
    matter = Matter.objects.filter(organisation__code="zhengding").order_by("pk").first()
    assert matter is not None
    bureau_urls = ["/results/liuyang-czj-2024/", "/ledger/liuyang-czj-2024/", "/cockpit/liuyang-czj-2024/keshi/",
                   "/ledger/liuyang-czj-2024/2024-Q4/lyczj-bgs/", "/api/assessments/liuyang-czj-2024/periods/",
                   "/reports/liuyang-czj-2024/summary.xlsx"]
    county_urls = [f"/supervision/{matter.pk}/", f"/supervision/{matter.pk}/edit/", f"/api/matters/{matter.pk}/",
                   "/results/zhengding-2024/", "/cockpit/zhengding-2024/xiangzhen/", "/ledger/zhengding-2024/",
                   "/reports/zhengding-2024/summary.xlsx"]
    for owner, stranger, urls in ((bureau_office, county_office, bureau_urls),
                                  (county_office, bureau_office, county_urls)):
        for url in urls:
            assert owner.get(url, follow=True).status_code == 200, url  # the link is good…
            assert stranger.get(url).status_code == 404, url  # …in its own organisation only
    for url in (f"/supervision/{matter.pk}/", f"/api/matters/{matter.pk}/", "/results/zhengding-2024/",
                "/ledger/zhengding-2024/", "/reports/zhengding-2024/summary.xlsx"):
        assert head.get(url).status_code == 404, url


def _user(username: str) -> Any:
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def _org(code: str) -> int:
    return int(Organisation.objects.get(code=code).pk)


# --- the cast and a second organisation (cheap) --------------------------------------------------


@pytest.mark.django_db
def test_a_unit_takes_its_parents_organisation_and_a_root_names_a_new_one(cast: Any, other_org: Any) -> None:
    assert cast.east.organisation_id == cast.county.organisation_id
    assert cast.county.organisation.name == "测试县人民政府"  # the root named the cast's organisation
    sub = org.unit_create(actor=None, code="city-sub", name="子科", kind=Unit.Kind.SECTION, parent=other_org.root)
    assert sub.organisation_id == other_org.organisation.pk
    with pytest.raises(ServiceError):
        org.unit_create(actor=None, code="x", name="x", kind=Unit.Kind.SECTION, parent=other_org.root,
                        organisation=cast.county.organisation)
    with pytest.raises(ServiceError):
        org.unit_move(actor=None, unit=cast.west, parent=other_org.root)
    with pytest.raises(ServiceError):  # several organisations: a category must name its own
        org.category_create(actor=None, code="nowhere", name="无组织")
    with pytest.raises(ServiceError):
        org.object_create(actor=None, code="mixed", name="混合", category=other_org.obj.category, unit=cast.east)


@pytest.mark.django_db
def test_scopes_hold_one_organisation(cast: Any, other_org: Any) -> None:
    city, county = other_org.organisation.pk, cast.county.organisation_id
    assert scope_for_user(other_org.office).organisation_id == city
    assert scope_for_user(cast.office).organisation_id == county
    both = scope_for_user(other_org.both)
    assert both.organisations == {city, county} and both.organisation_id == min(city, county)
    assert scope_for_user(other_org.both, organisation_id=city).organisation_id == city
    # Asking for an organisation without a grant there falls back to one of his own.
    assert scope_for_user(cast.office, organisation_id=city).organisation_id == county
    nobody = scope_for_user(cast.outsider)
    assert nobody.organisation_id is None
    assert not units_visible(scope=nobody).exists()
    # A reporter's grant covers his organisation only, whatever he asks for.
    rep = scope_for_user(other_org.reporter, organisation_id=county)
    assert rep.organisation_id == city and other_org.section.pk in rep.report_units


@pytest.mark.django_db
def test_writes_across_organisations_are_refused(cast: Any, other_org: Any) -> None:
    period = other_org.assessment.periods.get(code="2024-Q1")
    with pytest.raises(NotAllowed):  # the county's office admin is nobody in the city
        value_save(actor=cast.office, scope=scope_for_user(cast.office), period=period, obj=other_org.obj,
                   indicator="gdp", variable="value", value=Decimal(90))
    city_scope = scope_for_user(other_org.office)
    value_save(actor=other_org.office, scope=city_scope, period=period, obj=other_org.obj, indicator="gdp",
               variable="value", value=Decimal(90))
    data = MatterInput(title="跨组织事项", lead_unit=cast.east, deadline=dt.date(2099, 12, 1))
    with pytest.raises(NotAllowed):
        matter_register(actor=other_org.office, scope=city_scope, data=data, today=dt.date(2099, 1, 1))
    made = matter_register(actor=other_org.office, scope=city_scope, today=dt.date(2099, 1, 1),
                           data=MatterInput(title="本组织事项", lead_unit=other_org.section,
                                            deadline=dt.date(2099, 12, 1)))
    assert made.organisation_id == other_org.organisation.pk
    with pytest.raises(ServiceError):  # a co-unit of another organisation
        matter_register(actor=other_org.office, scope=city_scope, today=dt.date(2099, 1, 1),
                        data=MatterInput(title="协办跨组织", lead_unit=other_org.section, co_units=[cast.east],
                                         deadline=dt.date(2099, 12, 1)))
    assert RoleGrant.objects.filter(user=other_org.both, role=RoleGrant.Role.OFFICE_ADMIN).count() == 2
