"""Who sees which rows: the office everyone; a leader and a unit head the people and units of the
units they oversee; a member of staff only their own handbook page (and no category tables);
everyone else nothing (403)."""

from __future__ import annotations

import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db


def _names(client, url, column=2):
    r = client.get(url)
    if r.status_code != 200:
        return r.status_code
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    if "handbook" in url:
        return [v.split("    ")[0].removeprefix("姓名：") for v in (c.value for c in ws["A"])
                if isinstance(v, str) and v.startswith("姓名：")]
    return [ws.cell(r, column).value for r in range(5, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]


@pytest.mark.parametrize(("who", "handbook", "summary"), [
    ("office", ["王东", "李东", "赵西"], ["王东", "李东", "赵西"]),
    ("leader", ["王东", "李东"], ["王东", "李东"]),  # leader of 东镇
    ("reporter", ["王东", "李东"], ["王东", "李东"]),  # 东镇's reporter sees 东镇's results
    ("west_head", ["赵西"], ["赵西"]),
    ("staff", ["王东"], 403),  # his own page only
    ("stats", 403, 403),  # a data-source reporter has no results scope
    ("outsider", 404, 404),  # no role: no organisation, the assessment is not found
])
def test_rows_follow_the_scope(people, client, who, handbook, summary):
    user = getattr(people, who, None) or getattr(people.cast, who)
    client.force_login(user)
    assert _names(client, "/reports/people-2024/handbook/ganbu.xlsx") == handbook
    assert _names(client, "/reports/people-2024/handbook.xlsx") == handbook
    assert _names(client, "/reports/people-2024/summary/ganbu.xlsx") == summary
    assert _names(client, "/reports/people-2024/rewards.xlsx") == summary
