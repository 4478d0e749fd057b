"""The reports page lists, per assessment and category, only the tables the user may download:
the office everything and the supervision bulletins; 东镇's leader the category tables of both
assessments; a member of staff only his handbook; an account without a role nothing."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/reports/[^"]+)"', html))


def test_office_sees_every_table_and_the_bulletins(towns, people, client):
    client.force_login(towns.office)
    html = client.get("/reports/").content.decode()
    assert 'href="/supervision/bulletins/"' in html
    links = _links(html)
    for fmt in ("xlsx", "pdf"):
        assert {f"/reports/mini-2024/summary.{fmt}", f"/reports/mini-2024/summary/town.{fmt}",
                f"/reports/mini-2024/rewards/town.{fmt}", f"/reports/people-2024/handbook.{fmt}",
                f"/reports/people-2024/handbook/ganbu.{fmt}", f"/reports/people-2024/rewards/ganbu.{fmt}"} <= links
    assert not any("/handbook/town" in u for u in links)  # towns are not people
    assert "测试县2024年度考核" in html and "测试县2024年度干部考核" in html


def test_leader_sees_the_tables_of_his_towns(towns, people, client):
    client.force_login(towns.leader)
    html = client.get("/reports/").content.decode()
    assert "/supervision/bulletins/" not in html
    assert {"/reports/mini-2024/summary/town.xlsx", "/reports/people-2024/handbook/ganbu.pdf"} <= _links(html)


def test_staff_sees_only_his_handbook(people, client):
    client.force_login(people.staff)
    links = _links(client.get("/reports/").content.decode())
    assert links == {"/reports/people-2024/handbook.xlsx", "/reports/people-2024/handbook.pdf",
                     "/reports/people-2024/handbook/ganbu.xlsx", "/reports/people-2024/handbook/ganbu.pdf"}


def test_outsider_sees_nothing(towns, people, client):
    client.force_login(towns.outsider)
    html = client.get("/reports/").content.decode()
    assert _links(html) == set() and 'id="no-reports"' in html
