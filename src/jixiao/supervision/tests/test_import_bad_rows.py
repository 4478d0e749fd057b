"""A file with several bad rows: every problem is listed with its row, column and what was typed,
and nothing is written — no matter, no step, no audit entry."""

from __future__ import annotations

import datetime as dt

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.supervision.importing.reader import read_matters
from jixiao.supervision.models import Matter, Step
from jixiao.supervision.tests.test_import_helpers import good_row, post, workbook

pytestmark = pytest.mark.django_db

ROWS = [
    good_row(事项名称="修缮文化站"),                                              # row 2: fine
    good_row(事项名称="整治河道", 主办单位="东正镇"),                                # 3: unknown unit
    good_row(事项名称="建设公园", 协办单位="west、东镇"),                            # 4: co-unit = lead unit
    good_row(事项名称="清理小广告", 办结时限=dt.date(2026, 2, 20)),                   # 5: deadline passed
    good_row(事项名称="更换路灯", 办结时限="2026-02-28", 立即交办="是"),               # 6: before assignment
    good_row(事项名称="改造菜市场", 阶段节点="完成设计:2026-03-20；完成施工:2026-05-20"),  # 7: milestone after deadline
    good_row(事项名称="修补路面", 办结时限="2026/02/30"),                            # 8: no such date
    good_row(事项名称="疏通下水道", 办结时限="下月底"),                                # 9: not a date
    good_row(事项名称="安装监控", 责任领导="赵县长"),                                  # 10: unknown leader
    good_row(事项名称="修缮文化站"),                                                # 11: same as row 2
    good_row(事项名称="推进老旧小区改造"),                                           # 12: already in the system
    good_row(事项名称="植树造林", 来源="网络", 紧急程度="很急", 预警天数="三天"),          # 13: bad choices, bad number
    good_row(事项名称=None, 主办单位=None),                                          # 14: required cells blank
    good_row(事项名称="拆除违建", 预警天数=90, 阶段节点="完成摸底2026-03-15"),          # 15: bad milestone text
    good_row(事项名称="整治噪声", 预警天数=90),                                       # 16: warn days out of range
]

EXPECTED = [
    (3, "主办单位", "东正镇", "找不到单位“东正镇”"),
    (4, "协办单位", "west、东镇", "协办单位“东镇”与主办单位相同"),
    (5, "办结时限", "2026-02-20", "办结时限 2026-02-20 已过"),
    (6, "办结时限", "2026-02-28", "办结时限 2026-02-28 早于交办日期 2026-03-02"),
    (7, "阶段节点", "完成设计:2026-03-20；完成施工:2026-05-20", "“完成施工”的时限 2026-05-20 晚于办结时限 2026-04-30"),
    (8, "办结时限", "2026/02/30", "日期“2026/02/30”不存在"),
    (9, "办结时限", "下月底", "“下月底”不是日期"),
    (10, "责任领导", "赵县长", "找不到领导“赵县长”"),
    (11, "事项名称", "修缮文化站", "与第 2 行重复"),
    (12, "事项名称", "推进老旧小区改造", "系统中已有同名事项 DB-2026-0001"),
    (13, "来源", "网络", "“网络”不是可选值"),
    (13, "紧急程度", "很急", "应为 常规、紧急、特急"),
    (13, "预警天数", "三天", "“三天”不是整数"),
    (14, "事项名称", "", "请填写事项名称"),
    (14, "主办单位", "", "请填写主办单位"),
    (15, "阶段节点", "完成摸底2026-03-15", "应写成“名称:日期”"),
    (16, "预警天数", "90", "预警天数须在 0–60 之间"),
]


def test_every_problem_is_listed_with_row_column_and_value(sv):
    parsed = read_matters(workbook(ROWS), today=dt.date(2026, 3, 2))
    got = [(p.row, p.column, p.value, p.message) for p in parsed.problems]
    assert len(got) == len(EXPECTED), "\n".join(str(p) for p in parsed.problems)
    for (row, column, value, message), expected in zip(got, EXPECTED, strict=True):
        assert (row, column, value) == expected[:3]
        assert expected[3] in message, (row, message)
    assert all(p.sheet == "事项" and p.letter for p in parsed.problems)
    assert str(parsed.problems[0]) == "第 3 行 主办单位：找不到单位“东正镇”（请填写单位编码或全称，见“单位”工作表）"
    assert parsed.rows == []


def test_the_page_lists_them_all_and_writes_nothing(sv, client):
    client.force_login(sv.cast.office)  # a login is itself audited
    matters, steps, audits = Matter.objects.count(), Step.objects.count(), AuditEntry.objects.count()
    r = post(client, workbook(ROWS), name="有错的事项.xlsx")
    assert r.status_code == 400
    page = r.content.decode()
    assert f"发现 {len(EXPECTED)} 处问题，未导入任何事项" in page and "有错的事项.xlsx" in page
    table = page[page.index('id="import-errors"'):]
    assert table.count("<tr>") == len(EXPECTED) + 1  # the header row and one per problem
    for row, column, _value, message in EXPECTED:
        assert f'<td class="num">{row}</td><td>{column}' in table
        assert message in table
    assert "（I 列）" in table  # 主办单位 is column I of the file
    assert (Matter.objects.count(), Step.objects.count(), AuditEntry.objects.count()) == (matters, steps, audits)
