"""In a real browser on a phone (390×844): a member of the public opens his token's link, rates,
sees the thanks page, and the same link is then refused; a unit head rates his own staff in
我的测评 (draft, then submit once); the office closes the campaign and the ranking changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from conftest import PASSWORD
from django.utils import timezone

from jixiao.evaluations import rules
from jixiao.evaluations.models import Assignment, Ballot
from jixiao.evaluations.services import (
    assignments_generate,
    campaign_create,
    campaign_open,
    rater_group_add,
    token_redeem,
    tokens_issue,
)
from jixiao.scoring.recompute import results_refresh
from jixiao.scoring.selectors import result_of

from .conftest import opened

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE_SCHEME = """
code: ry-2024
name: 测试县2024年度干部考核
scale: 100
rounding: {decimals: 2}
periods: {frequency: year, year: 2024}
categories:
  - code: ry
    name: 东镇干部
    indicators:
      - code: minzhu
        name: 民主测评
        points: 100
        rule:
          method: rating
          scale: {优秀: 100, 称职: 90, 基本称职: 80, 不称职: 60}
"""


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base = live_server.url
    pg.on("dialog", lambda d: d.accept())
    yield pg
    context.close()


def login(page: Any, username: str) -> None:
    page.goto(page.base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def logout(page: Any) -> None:
    page.click("form[action='/logout/'] button")
    page.wait_for_url(lambda url: "/login/" in url)


def _people_campaign(ev: Any) -> Any:
    """东镇's staff rated by their head (上评下) on 民主测评 (a 测评票折算 indicator)."""
    from jixiao.org import services as org
    from jixiao.org.models import Category, Person
    from jixiao.schemes import services as sch

    cast = ev.cast
    ry = org.category_create(actor=None, code="ry", name="东镇干部", subject=Category.Subject.PERSON)
    version = sch.scheme_create(actor=None, code="ry", name="干部方案", text=PEOPLE_SCHEME)
    sch.scheme_version_adopt(actor=None, version=version)
    assessment = sch.assessment_create(actor=None, code="ry-2024", name="东镇干部2024年度考核", year=2024,
                                       version=version)
    objs = [org.object_create(actor=None, code=f"ry-{p.code}", name=f"干部{p.code[-1]}", category=ry, unit=cast.east,
                              person=p) for p in Person.objects.filter(code__in=["staff1", "staff2"])]
    now = timezone.now()
    c = campaign_create(actor=cast.office, scope=ev.office_scope, assessment=assessment,
                        period=assessment.periods.first(), name="东镇干部民主测评", indicator="minzhu", feed="rating",
                        scale=rules.parse_scale("优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60"),
                        dimensions=rules.parse_weights("德 = 0.5\n绩 = 0.5", what="测评维度"), objects=objs,
                        opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1), min_group=1)
    rater_group_add(actor=cast.office, scope=ev.office_scope, campaign=c, kind="superior", name="单位负责人",
                    weight=Decimal(1))
    assignments_generate(actor=cast.office, scope=ev.office_scope, campaign=c)
    return campaign_open(actor=cast.office, scope=ev.office_scope, campaign=c)


def _total(cast: Any, obj: Any) -> tuple[float, int]:
    results_refresh(assessment_id=cast.assessment.pk)
    r = result_of(assessment=cast.assessment, obj=obj)
    assert r is not None
    return r.total or 0.0, r.rank


def test_phone_rating_walk(ev: Any, phone: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from jixiao.collection.services import value_save

    cast = ev.cast
    for obj, v in ((cast.east_obj, 100), (cast.west_obj, 80)):  # 东镇 leads before the campaign
        value_save(actor=cast.office, scope=ev.office_scope, period=cast.q1, obj=obj, indicator="gdp",
                   variable="value", value=Decimal(v))
    opened(ev)
    issued = [t for _, t in tokens_issue(actor=cast.office, scope=ev.office_scope, campaign=ev.campaign,
                                         group=ev.public, count=5)]
    for t in issued[1:]:
        token_redeem(token=t, ratings={cast.east_obj.pk: {"总体评价": "不称职"},
                                       cast.west_obj.pk: {"总体评价": "优秀"}})
    east0, west0 = _total(cast, cast.east_obj), _total(cast, cast.west_obj)

    # The public rater, on his phone, from the QR code's link.
    phone.goto(f"{phone.base}/e/{issued[0]}")
    card = phone.locator("article.ev-card", has_text="东镇")
    card.locator("label", has_text="不称职").click()
    phone.locator("article.ev-card", has_text="西镇").locator("label", has_text="优秀").first.click()
    phone.click("#submit")
    phone.wait_for_selector("#thanks")
    assert "感谢" in phone.inner_text("h2")
    phone.goto(f"{phone.base}/e/{issued[0]}")
    assert "已使用" in phone.inner_text("main")
    assert Ballot.objects.filter(campaign=ev.campaign).count() == 10

    # The unit head rates his own staff.
    people = _people_campaign(ev)
    mine = Assignment.objects.filter(campaign=people, rater=ev.head)
    assert mine.count() == 2
    login(phone, "head")
    phone.goto(phone.base + "/evaluations/mine/")
    phone.locator("article.ev-card", has_text="干部1").locator("a[role=button]").click()
    phone.locator("fieldset", has_text="德").locator("label", has_text="优秀").click()
    phone.click("button[value=save]")
    phone.wait_for_selector(".msg-success")
    phone.locator("fieldset", has_text="绩").locator("label", has_text="称职").first.click()
    phone.click("button[value=submit]")
    phone.wait_for_selector(".msg-success")
    assert "干部1" in phone.inner_text("main") and mine.filter(submitted_at__isnull=False).count() == 1
    logout(phone)

    # The office closes the campaign: the scores and the ranking move.
    login(phone, "office")
    phone.goto(f"{phone.base}/evaluations/{ev.campaign.pk}/")
    phone.click("#close")
    phone.wait_for_selector(".msg-success")
    assert "已结束" in phone.inner_text("main")
    east, west = _total(cast, cast.east_obj), _total(cast, cast.west_obj)
    assert east[0] > east0[0] and west[0] > west0[0]
    assert east0[1] == 1 and west[1] == 1  # 西镇 now leads
