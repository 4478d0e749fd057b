"""A reporter of 东镇 cannot act on 西镇's matter (403) and nothing changes; on his own he can."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.supervision.models import Extension, Feedback, Matter

pytestmark = pytest.mark.django_db


def test_reporter_of_another_unit_gets_403(sv, client):
    client.force_login(sv.cast.reporter)
    west = sv.west_task
    assert client.get(f"/supervision/{west.pk}/").status_code == 404
    assert client.post(f"/supervision/{west.pk}/do/sign").status_code == 403
    assert client.post(f"/supervision/{west.pk}/feedback", {
        "unit": sv.cast.east.pk, "text": "冒名反馈",
        "attachments": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n")}).status_code == 403
    assert client.post(f"/supervision/{west.pk}/extension", {
        "new_deadline": "2026-04-30", "reason": "想延期"}).status_code == 403
    assert client.post(f"/supervision/{west.pk}/do/close").status_code == 403
    west.refresh_from_db()
    assert west.state == Matter.State.ASSIGNED
    assert not Feedback.objects.filter(matter=west).exists() and not Extension.objects.filter(matter=west).exists()


def test_the_office_cannot_sign_for_the_unit(sv, client):
    client.force_login(sv.cast.office)
    assert client.post(f"/supervision/{sv.east_task.pk}/do/sign").status_code == 403
    client.force_login(sv.cast.reporter)
    assert client.post(f"/supervision/{sv.east_task.pk}/do/sign").status_code == 302
    assert Matter.objects.get(pk=sv.east_task.pk).state == Matter.State.SIGNED
