"""The downloaded template, filled in with three matters and uploaded through the page, enters
them with their co-units, milestones and leader; 立即交办=是 assigns at once."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from jixiao.audit.models import AuditEntry
from jixiao.org import services as org
from jixiao.org.models import RoleGrant
from jixiao.supervision.models import Matter
from jixiao.supervision.tests.test_import_helpers import TEMPLATE_URL, fill, post

pytestmark = pytest.mark.django_db


def test_template_has_headers_lists_and_reference_sheets(sv, client):
    client.force_login(sv.cast.office)
    r = client.get(TEMPLATE_URL)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"filename*=UTF-8''{quote('督办事项导入模板.xlsx')}" in r["Content-Disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["事项", "填写说明", "单位", "领导"]
    ws = wb["事项"]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["类别", "事项名称*"] and "办结时限*" in headers and "立即交办" in headers
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}
    col = {h.rstrip("*"): ws.cell(1, i + 1).column_letter for i, h in enumerate(headers)}
    assert lists[col["类别"]] == '"督办事项,整改事项"'
    assert "人大建议" in lists[col["来源"]] and "评议反馈" in lists[col["来源"]]
    assert lists[col["重要程度"]] == '"一般,重要,重大"' and lists[col["紧急程度"]] == '"常规,紧急,特急"'
    assert lists[col["立即交办"]] == '"是,否"'
    assert lists[col["主办单位"]].startswith("'单位'!$B$2")
    units = {(row[0], row[1]) for row in wb["单位"].iter_rows(min_row=2, values_only=True)}
    assert {("east", "东镇"), ("west", "西镇"), ("tjj", "县统计局")} <= units
    leaders = list(wb["领导"].iter_rows(min_row=2, values_only=True))
    assert leaders == [("leader", "leader", "东镇")]
    notes = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "阶段节点" in notes and "完成摸底:2026-03-15" in notes


def test_three_filled_rows_round_trip(sv, client):
    c = sv.cast
    boss = org.account_create(actor=None, username="wangxl", password="x-password-1", display_name="王县长")
    org.grant_add(actor=None, user=boss, role=RoleGrant.Role.LEADER, unit=c.west)
    client.force_login(c.office)
    template = client.get(TEMPLATE_URL).content
    before = set(Matter.objects.values_list("pk", flat=True))
    data = fill(template, [
        {"类别": "督办事项", "事项名称": "建设智慧停车场", "事项内容/问题描述": "新建停车位200个", "来源": "领导批示",
         "来源文号": "县长批示〔2026〕3号", "重要程度": "重要", "紧急程度": "紧急", "责任领导": "王县长",
         "主办单位": "西镇", "协办单位": "east、tjj", "联络员": "李四", "联系电话": 13900000000,
         "报送资料": "建设方案；验收报告", "办结时限": dt.date(2026, 5, 31),
         "阶段节点": "完成选址:2026-03-20；完成施工:2026-05-10", "预警天数": 5, "立即交办": "是"},
        {"类别": "整改事项", "事项名称": "整改食堂卫生问题", "事项内容/问题描述": "后厨卫生不达标", "来源": "查访核验",
         "责任领导": "leader", "主办单位": "east", "协办单位": "县统计局", "整改措施": "每日检查",
         "办结时限": "2026-04-15", "阶段节点": "完成自查:2026-03-10", "立即交办": "否"},
        {"事项名称": "筹备招商推介会", "主办单位": "tjj", "办结时限": "2026-06-30"},
    ])
    r = post(client, data)
    assert r.status_code == 200, r.content.decode()[-2000:]
    page = r.content.decode()
    assert "导入 3 个事项" in page and "1 个已交办" in page
    new = list(Matter.objects.exclude(pk__in=before).order_by("pk").prefetch_related("co_units", "milestones"))
    assert [m.title for m in new] == ["建设智慧停车场", "整改食堂卫生问题", "筹备招商推介会"]
    park, canteen, fair = new
    assert park.kind == Matter.Kind.SUPERVISION and park.number == "DB-2026-0004"
    assert park.state == Matter.State.ASSIGNED and park.assigned_on == dt.date(2026, 3, 2)
    assert park.leader == boss and park.lead_unit == c.west
    assert {u.code for u in park.co_units.all()} == {"east", "tjj"}
    assert [(ms.title, ms.due) for ms in park.milestones.all()] == [
        ("完成选址", dt.date(2026, 3, 20)), ("完成施工", dt.date(2026, 5, 10))]
    assert (park.source, park.level, park.urgency) == ("leader", "important", "urgent")
    assert park.source_ref == "县长批示〔2026〕3号" and park.liaison_phone == "13900000000"
    assert park.material_list == ["建设方案", "验收报告"] and park.warn_days == 5
    assert park.deadline == park.original_deadline == dt.date(2026, 5, 31)
    assert canteen.kind == Matter.Kind.RECTIFICATION and canteen.number == "ZG-2026-0001"
    assert canteen.state == Matter.State.REGISTERED and canteen.assigned_on is None
    assert canteen.leader == c.leader and canteen.source == "inspection" and canteen.measures == "每日检查"
    assert [u.code for u in canteen.co_units.all()] == ["tjj"]
    assert fair.state == Matter.State.REGISTERED and fair.leader is None and fair.source == "superior"
    assert list(park.steps.values_list("action", flat=True)) == ["register", "assign", "import"]
    assert "第 2 行" in park.steps.get(action="import").note
    assert AuditEntry.objects.filter(action="matter_import").count() == 3
    assert park.number in page and "建设智慧停车场" in page


def test_assign_for_all_rows_overrides_the_column(sv, client):
    client.force_login(sv.cast.office)
    data = fill(client.get(TEMPLATE_URL).content, [
        {"事项名称": "甲", "主办单位": "east", "办结时限": "2026-04-01", "立即交办": "否"},
        {"事项名称": "乙", "主办单位": "west", "办结时限": "2026-04-01"},
    ])
    assert post(client, data, assign="yes").status_code == 200
    assert set(Matter.objects.filter(title__in=["甲", "乙"]).values_list("state", flat=True)) == {"assigned"}
