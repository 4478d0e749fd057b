"""A matter's feedback with its files is one service call: every file is checked before anything
is written, so a refused file leaves no feedback, no attachment (not even the files that passed,
in the database or in storage), no step, no milestone done and the matter as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import ServiceError
from jixiao.supervision.models import Attachment, Feedback, Matter, Step
from jixiao.supervision.services import matter_feedback, matter_sign

pytestmark = pytest.mark.django_db


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def snapshot(pk: int) -> tuple[Any, ...]:
    m = Matter.objects.get(pk=pk)
    return (m.state, m.version, m.last_feedback_on, m.completed_on, Feedback.objects.count(),
            Attachment.objects.count(), Step.objects.count(), AuditEntry.objects.count(),
            list(m.milestones.values_list("done_on", flat=True)), len(stored_files()))


def test_a_refused_file_writes_nothing(sv: Any) -> None:
    c = sv.cast
    rep = sv.scope(c.reporter)
    m = matter_sign(actor=c.reporter, scope=rep, matter=sv.east_task)
    ms = m.milestones.get()
    before = snapshot(m.pk)
    for final in (False, True):
        with pytest.raises(ServiceError) as err:
            matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="改造完成", progress=100,
                            milestone=None if final else ms, final=final, expected_version=m.version,
                            uploads=[pdf("改造方案.pdf"), SimpleUploadedFile("验收报告.pdf", b"MZ\x90\x00 not a pdf")])
        assert err.value.field == "files" and "验收报告.pdf" in err.value.message
        assert snapshot(m.pk) == before
    fb = matter_feedback(actor=c.reporter, scope=rep, matter=m, unit=c.east, text="改造完成", final=True,
                         expected_version=m.version, uploads=[pdf("改造方案.pdf"), pdf("验收报告.pdf")])
    assert sorted(a.name for a in fb.attachments.all()) == ["改造方案.pdf", "验收报告.pdf"]
    assert len(stored_files()) == 2 and Matter.objects.get(pk=m.pk).state == Matter.State.REPORTED


def test_the_page_names_the_refused_file_and_keeps_nothing(sv: Any, client: Any) -> None:
    c, pk = sv.cast, sv.east_task.pk
    client.force_login(c.reporter)
    client.post(f"/supervision/{pk}/do/sign")
    before = snapshot(pk)
    resp = client.post(f"/supervision/{pk}/feedback", {
        "unit": c.east.pk, "text": "进展", "progress": "50",
        "attachments": [pdf("摸底表.pdf"), SimpleUploadedFile("run.exe", b"MZ\x90\x00")]})
    assert resp.status_code == 200
    assert "附件“run.exe”" in " ".join(resp.context["feedback_form"].errors["attachments"])
    assert snapshot(pk) == before
