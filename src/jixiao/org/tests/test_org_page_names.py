"""The organisation page speaks in names: unit kinds, subjects, position levels and ranking groups
as their Chinese labels; codes only in the small code column; every list paginated."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.org import views


def _cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"')[1].split("</table>")[0].split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.mark.django_db
def test_org_lists_show_labels_and_keep_codes_in_the_code_column(demo: Any, client: Any) -> None:
    client.force_login(_user("office"))
    _work_in_bureau(client)
    units = _cells(client.get("/org/").content.decode(), "units")
    assert [units[0][0], units[0][1], units[0][-1]] == ["浏阳市人民政府", "政府", "liuyang"]
    assert all(kind in {"政府", "乡镇", "部门", "驻地单位", "科室"} for _, kind, *_ in units)
    objects = [row for n in (1, 2) for row in _cells(client.get(f"/org/?show=objects&page={n}").content.decode(),
                                                      "objects")]
    staff = next(row for row in objects if row[0] == "张敏")
    assert staff[1:3] == ["中层副职和一般人员", "一般人员"] and staff[-1].startswith("lyczj-p")
    codes = {"yiban", "fuzhi", "geren", "xiangzhen", "bumen", "staff", "deputy"}
    for row in objects:
        assert not codes & set(row[:-1]), row
    people = client.get("/org/?show=people").content.decode()
    assert "一般人员" in people and ">staff<" not in people


@pytest.mark.django_db
def test_org_lists_are_paginated(demo: Any, client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views, "PAGE", 10)
    client.force_login(_user("office"))
    _work_in_bureau(client)
    for tab in ("units", "objects", "people"):
        html = client.get(f"/org/?show={tab}").content.decode()
        assert "第 1 / " in html and f'href="?show={tab}&amp;page=2"' in html, tab
        assert len(re.findall(r"<tr>", html.split("<tbody>")[1].split("</tbody>")[0])) == 10


def _work_in_bureau(client: Any) -> None:
    """The office admin works in the county first; the bureau (浏阳市财政局) holds the staff."""
    from jixiao.org.models import Organisation

    client.post("/org/switch/", {"organisation": Organisation.objects.get(code="lyczj").pk})


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)
