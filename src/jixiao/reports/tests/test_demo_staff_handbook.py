"""On the demo finance bureau: 张敏 (staff) downloads the handbook and finds her own page only,
each quarter's 民主测评 equal to the engine's score that quarter; the bureau head finds all 60."""

from __future__ import annotations

import io
import math

import openpyxl
import pytest
from django.contrib.auth.models import User

from jixiao.schemes.models import Assessment
from jixiao.scoring.models import Result
from jixiao.scoring.services import score_assessment

pytestmark = pytest.mark.django_db


def _headings(ws):
    return [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("姓名：")]


def test_staff_gets_her_own_page(demo, client):
    a = Assessment.objects.get(code="liuyang-czj-2024")
    zhang = Result.objects.select_related("object").get(assessment=a, object__name="张敏")
    client.force_login(User.objects.get(username="lyczj_zhangmin"))
    assert client.get("/reports/liuyang-czj-2024/summary/geren.xlsx").status_code == 403
    r = client.get("/reports/liuyang-czj-2024/handbook.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["中层副职和一般人员"]
    ws = wb.active
    [head] = _headings(ws)
    assert ws.cell(head, 1).value.startswith(
        "姓名：张敏    所在单位：办公室    类别：中层副职和一般人员    排名组：一般人员")

    result, _ids, _ = score_assessment(a, {"geren"})
    cs = result.category("geren")
    [minzhu] = [cs.cc.nodes[i] for i in cs.cc.root.children]
    local = cs.local(result.objects, zhang.object.code)
    names = dict(a.periods.values_list("code", "name"))
    row = head + 3
    for pi, period in enumerate(result.scheme.periods):
        score = float(cs.scores.periods[minzhu.index][pi, local])
        if math.isnan(score):
            continue
        assert [ws.cell(row, c).value for c in range(1, 5)] == [
            names[period], score, zhang.periods[period]["total"], zhang.periods[period]["rank"]]
        row += 1
    assert row == head + 3 + 4  # four quarters
    assert [ws.cell(row, c).value for c in (1, 3, 4, 5)] == ["全年综合", zhang.total, zhang.rank, zhang.grade]

    client.force_login(User.objects.get(username="lyczj_jz"))
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/reports/liuyang-czj-2024/handbook.xlsx").content))
    assert sum(len(_headings(ws)) for ws in wb.worksheets) == 60  # 11 heads + 49 deputies and staff
