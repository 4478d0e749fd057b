"""A notice, the list, the bulletin and the API give the same overdue days and the same reason for
the same matter (issue 12: the notice said 已逾期6天 where the list and the bulletin said 4)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rest_framework.test import APIClient

from jixiao.supervision.models import Notice
from jixiao.supervision.services import matter_feedback, matter_sign
from jixiao.supervision.services.bulletins import bulletin_create
from jixiao.supervision.services.reminders import notices_issue
from jixiao.supervision.tests.conftest import assigned, make_input

D = dt.date


def list_row(client: Any, number: str) -> str:
    html = client.get("/supervision/").content.decode()
    m = re.search(rf'<tr data-matter="{number}".*?</tr>', html, re.S)
    assert m, html
    return m.group(0)


def api_row(user: Any, pk: int) -> dict[str, Any]:
    api = APIClient()
    api.force_authenticate(user)
    listed = {r["id"]: r for r in api.get("/api/matters/").json()["results"]}[pk]
    detail = api.get(f"/api/matters/{pk}/").json()
    assert (listed["overdue_days"], listed["light_reason"]) == (detail["overdue_days"], detail["light_reason"])
    return detail


def test_reported_late_counts_to_the_report_everywhere(sv: Any, client: Any) -> None:
    c = sv.cast
    m = assigned(c, make_input(c, title="清理河道垃圾", lead=c.east, deadline=D(2026, 3, 4)))
    reporter = sv.scope(c.reporter)
    m = matter_sign(actor=c.reporter, scope=reporter, matter=m)
    sv.travel(D(2026, 3, 8))  # four days after the deadline the report comes in
    matter_feedback(actor=c.reporter, scope=reporter, matter=m, unit=c.east, text="已清理完毕", final=True)
    sv.travel(D(2026, 3, 10))  # six days after the deadline: the clock stopped at the report
    reason = "逾期4天报送办结报告，待核查"

    notices_issue()
    notice = Notice.objects.get(matter=m)
    assert f"红灯：{reason}" in notice.message and "6天" not in notice.message

    client.force_login(c.office)
    row = list_row(client, m.number)
    assert f"：{reason}" in row and '<td class="num">4</td>' in row

    b = bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 10))
    listed = {o["number"]: o for o in b.data["overdue"]}[m.number]
    assert (listed["days"], listed["light_text"]) == (4, f"红灯：{reason}")

    got = api_row(c.office, m.pk)
    assert (got["overdue_days"], got["light"], got["light_reason"]) == (4, "red", reason)


def test_an_open_overdue_matter_says_the_same_days_everywhere(sv: Any, client: Any) -> None:
    c = sv.cast
    sv.travel(D(2026, 3, 8))  # west_task: deadline 03-04, four days late
    notices_issue()
    notice = Notice.objects.get(matter=sv.west_task)
    assert "红灯：已逾期4天" in notice.message

    client.force_login(c.office)
    row = list_row(client, sv.west_task.number)
    assert "红灯<span class=\"light-reason\">：已逾期4天</span>" in row and '<td class="num">4</td>' in row

    b = bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 8))
    listed = {o["number"]: o for o in b.data["overdue"]}[sv.west_task.number]
    assert (listed["days"], listed["light_text"]) == (4, "红灯：已逾期4天")

    got = api_row(c.office, sv.west_task.pk)
    assert (got["overdue_days"], got["light_label"], got["light_reason"]) == (4, "红灯", "已逾期4天")
    page = client.get(f"/supervision/{sv.west_task.pk}/").content.decode()
    assert '<span id="light-reason">已逾期4天</span>' in page


def test_a_yellow_light_says_why_on_the_list_and_in_the_notice(sv: Any, client: Any) -> None:
    notices_issue()  # 03-02: west_task due 03-04, within the 3 warning days
    notice = Notice.objects.get(matter=sv.west_task)
    assert "黄灯：距办结时限还有2天（预警阈值3天）" in notice.message
    client.force_login(sv.cast.office)
    assert "黄灯<span class=\"light-reason\">：距办结时限还有2天（预警阈值3天）</span>" in list_row(
        client, sv.west_task.number)


def test_a_notice_row_shows_its_light_with_the_reason(sv: Any, client: Any) -> None:
    sv.travel(D(2026, 3, 8))
    notices_issue()
    client.force_login(sv.cast.office)
    html = client.get("/supervision/notices/").content.decode()
    row = re.search(r'<tr id="notice-\d+".*?</tr>', html, re.S).group(0)  # type: ignore[union-attr]
    assert '红灯<span class="light-reason">：已逾期4天</span>' in row
