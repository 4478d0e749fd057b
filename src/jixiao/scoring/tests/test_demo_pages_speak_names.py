"""A clerk's results pages speak in names: the explanation and the ranking of the demo show no
code of the scheme (indicator, item, category, ranking group, period, position level codes) as
a word of their text, and show the names in their place."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from jixiao.org.models import Person
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def scheme_codes(assessment: Assessment) -> set[str]:
    catalog = catalog_of(assessment)
    codes = set(assessment.periods.values_list("code", flat=True)) | {v for v, _ in Person.Level.choices}
    for c in catalog.categories.values():
        codes |= {c.code, *c.groups, *(v for v, _ in c.vetoes)}
        codes |= {lf.code for lf in c.leaves} | {it.code for lf in c.leaves for it in lf.items}
    stack = [n for c in catalog.scheme.categories for n in c.indicators]
    while stack:
        node = stack.pop()
        codes.add(node.code)
        stack.extend(node.children)
    return codes


def codes_in(text: str, codes: set[str]) -> set[str]:
    return {c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)}


@pytest.fixture
def office(demo: Any, client: Any) -> Any:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="office"))
    return client


def work_in(client: Any, assessment: Assessment) -> Any:
    """The office admin works in one organisation at a time: the assessment's."""
    client.post("/org/switch/", {"organisation": assessment.organisation_id})
    return client


@pytest.mark.django_db
def test_a_towns_explanation_names_indicators_periods_and_data(office: Any) -> None:
    a = Assessment.objects.get(code="zhengding-2024")
    text = visible_text(office.get("/results/zhengding-2024/object/nanniu/").content.decode())
    assert codes_in(text, scheme_codes(a)) == set()
    for name in ("全部财政收入", "指标评估", "领导评估", "目标值 3830", "完成值 3596", "应办结件数", "按期办结件数",
                 # 南牛乡's year-end revenue was corrected through the data catalogue (jixiao.demo.datatrust)
                 "各期平均（2024年中期 11.27，2024年年终 11.85）", "受部门表彰",
                 "分期加权 2024年中期 84.03 × 0.5 + 2024年年终 76.7 × 0.5 = 80.37分"):
        assert name in text, name
    assert "target=" not in text and "due=" not in text


@pytest.mark.django_db
def test_a_staff_members_explanation_names_his_group_and_quarters(office: Any) -> None:
    """张敏 is ranked among 一般人员 (group yiban); his page scores his section too (eligibility)."""
    a = Assessment.objects.get(code="liuyang-czj-2024")
    work_in(office, a)
    page = office.get("/results/liuyang-czj-2024/object/lyczj-p03/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert codes_in(text, scheme_codes(a)) == set()
    assert "张敏（lyczj-p03）  中层副职和一般人员 / 一般人员" in text
    assert "2024年第一季度" in text and "民主测评" in text


@pytest.mark.django_db
def test_every_ranking_and_explanation_of_the_demo_is_free_of_codes(office: Any) -> None:
    from jixiao.org.models import AssessedObject

    for a in Assessment.objects.all():
        work_in(office, a)
        codes = scheme_codes(a)
        for c in catalog_of(a).categories.values():
            ranking = visible_text(office.get(f"/results/{a.code}/category/{c.code}/").content.decode())
            assert codes_in(ranking, codes) == set(), (a.code, c.code)
            obj = AssessedObject.objects.filter(group__in=c.groups, category__code=c.code).order_by("code").first()
            assert obj is not None
            explanation = visible_text(office.get(f"/results/{a.code}/object/{obj.code}/").content.decode())
            assert codes_in(explanation, codes) == set(), (a.code, obj.code)
    work_in(office, Assessment.objects.get(code="liuyang-czj-2024"))
    geren = visible_text(office.get("/results/liuyang-czj-2024/category/geren/").content.decode())
    assert "一般人员" in geren and "中层副职" in geren


@pytest.mark.django_db
def test_a_publication_and_its_download_name_the_ranking_groups(office: Any) -> None:
    import io

    import openpyxl

    a = Assessment.objects.get(code="liuyang-czj-2024")
    work_in(office, a)
    from django.contrib.auth import get_user_model

    from jixiao.scoring.tests.approving import publishable

    publishable(assessment=a, office=get_user_model().objects.get(username="office"), category="geren")
    resp = office.post("/results/liuyang-czj-2024/category/geren/publish", {"note": ""})
    assert resp.status_code == 302
    page = visible_text(office.get(resp["Location"]).content.decode())
    assert codes_in(page, scheme_codes(a)) == set()
    assert "一般人员" in page and "中层副职" in page
    book = openpyxl.load_workbook(io.BytesIO(office.get(resp["Location"] + "result.xlsx").content))
    cells = {v for row in book.active.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    assert {"一般人员", "中层副职"} <= cells and not {"yiban", "fuzhi"} & cells


@pytest.mark.django_db
def test_the_what_if_comparison_names_the_ranking_groups(office: Any) -> None:
    a = Assessment.objects.get(code="liuyang-czj-2024")
    work_in(office, a)
    html = office.get(f"/schemes/v/{a.version_id}/whatif?assessment={a.code}").content.decode()
    table = visible_text(html.split('data-category="geren"')[1].split("</table>")[0])
    assert "一般人员" in table and "中层副职" in table and not codes_in(table, {"yiban", "fuzhi"})
