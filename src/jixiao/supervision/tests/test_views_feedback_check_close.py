"""Through the pages: the unit feeds back and reports completion with an attachment; the office
returns it with a reason, then passes it; the leader in charge closes it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.supervision.models import Matter

pytestmark = pytest.mark.django_db


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def state(pk):
    return Matter.objects.get(pk=pk).state


def test_walk(sv, client):
    c, pk = sv.cast, sv.east_task.pk
    client.force_login(c.reporter)
    client.post(f"/supervision/{pk}/do/sign")
    ms = sv.east_task.milestones.get()
    resp = client.post(f"/supervision/{pk}/feedback", {"unit": c.east.pk, "text": "摸底完成", "progress": "40",
                                                       "milestone": ms.pk, "attachments": [pdf("摸底表.pdf")]})
    assert resp.status_code == 302 and state(pk) == "in_progress"
    # A completion report without the materials is refused next to the files field.
    resp = client.post(f"/supervision/{pk}/feedback", {"unit": c.east.pk, "text": "已完成", "final": "on"})
    assert resp.status_code == 200 and "办结报告须附上报送资料：改造方案、验收报告" in resp.content.decode()
    assert state(pk) == "in_progress"
    resp = client.post(f"/supervision/{pk}/feedback", {"unit": c.east.pk, "text": "已完成", "final": "on",
                                                       "attachments": [pdf("改造方案.pdf"), pdf("验收报告.pdf")]})
    assert resp.status_code == 302 and state(pk) == "reported"
    html = client.get(f"/supervision/{pk}/").content.decode()
    assert html.count('class="attachment"') == 3 and "办结报告" in html

    client.force_login(c.office)
    resp = client.post(f"/supervision/{pk}/do/check_return", {"note": ""})
    assert resp.status_code == 302 and state(pk) == "reported"
    assert "退回须写明理由" in client.get(f"/supervision/{pk}/").content.decode()
    client.post(f"/supervision/{pk}/do/check_return", {"note": "验收报告未盖章"})
    assert state(pk) == "returned"
    page = client.get(f"/supervision/{pk}/").content.decode()
    assert '<span id="light-reason">核查退回重办（验收报告未盖章）</span>' in page

    client.force_login(c.reporter)
    client.post(f"/supervision/{pk}/feedback", {"unit": c.east.pk, "text": "已盖章", "final": "on",
                                                "attachments": [pdf("验收报告（盖章）.pdf")]})
    client.force_login(c.office)
    client.post(f"/supervision/{pk}/do/check_pass")
    assert state(pk) == "checked"
    client.force_login(c.leader)
    client.post(f"/supervision/{pk}/do/close", {"note": "同意销号"})
    assert state(pk) == "closed"
    html = client.get(f"/supervision/{pk}/").content.decode()
    assert 'data-light="done"' in html and "于 2026-03-02 办结销号" in html
    assert "同意销号" in html  # the timeline keeps the note


def test_a_refused_file_is_named_next_to_the_files(sv, client):
    c, pk = sv.cast, sv.east_task.pk
    client.force_login(c.reporter)
    client.post(f"/supervision/{pk}/do/sign")
    resp = client.post(f"/supervision/{pk}/feedback", {
        "unit": c.east.pk, "text": "进展", "attachments": [SimpleUploadedFile("run.exe", b"MZ\x90\x00")]})
    assert resp.status_code == 200
    assert "附件“run.exe”" in resp.content.decode()
    assert not Matter.objects.get(pk=pk).feedback.exists()
