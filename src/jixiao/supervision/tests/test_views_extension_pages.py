"""Extensions through the pages: the unit asks (past the year's end it is flagged 跨年度), the
leader in charge sees it in his inbox and approves; a refusal needs a note."""

from __future__ import annotations

import pytest

from jixiao.supervision.models import Extension, Matter

pytestmark = pytest.mark.django_db


def test_request_and_approve(sv, client):
    c, pk = sv.cast, sv.east_task.pk
    client.force_login(c.reporter)
    page = client.get(f"/supervision/{pk}/").content.decode()
    assert "延期至 2026-12-31 之后属跨年度，须经领导批准" in page
    resp = client.post(f"/supervision/{pk}/extension", {"new_deadline": "2026-03-20", "reason": "雨季"})
    assert resp.status_code == 200 and "延期后的时限须晚于现时限 2026-03-31" in resp.content.decode()
    resp = client.post(f"/supervision/{pk}/extension", {"new_deadline": "2027-01-31", "reason": "资金未到位"},
                       follow=True)
    assert "已提交延期申请，待领导审批（跨年度）" in resp.content.decode()
    ext = Extension.objects.get(matter_id=pk)

    client.force_login(c.leader)
    inbox = client.get("/supervision/inbox/").content.decode()
    assert "资金未到位" in inbox and "跨年度" in inbox
    assert f'action="/supervision/extensions/{ext.pk}/decide"' in inbox
    resp = client.post(f"/supervision/extensions/{ext.pk}/decide", {"decision": "refuse", "note": "",
                                                                     "next": "inbox"}, follow=True)
    assert "不批准须写明理由" in resp.content.decode()
    resp = client.post(f"/supervision/extensions/{ext.pk}/decide", {"decision": "approve", "note": "同意"})
    assert resp.status_code == 302
    assert Matter.objects.get(pk=pk).deadline.isoformat() == "2027-01-31"
    html = client.get(f"/supervision/{pk}/").content.decode()
    assert "原时限 2026-03-31" in html and "已批准" in html


def test_office_sees_but_does_not_decide(sv, client):
    c, pk = sv.cast, sv.east_task.pk
    client.force_login(c.reporter)
    client.post(f"/supervision/{pk}/extension", {"new_deadline": "2026-04-30", "reason": "雨季"})
    client.force_login(c.office)
    inbox = client.get("/supervision/inbox/").content.decode()
    assert "雨季" in inbox and "待领导审批" in inbox and "/decide" not in inbox
