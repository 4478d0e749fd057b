"""Editing a matter from a page that someone else's save has made stale is refused with a
message, and the other save stands."""

from __future__ import annotations

import pytest

from jixiao.supervision.models import Matter
from jixiao.supervision.services import matter_review

pytestmark = pytest.mark.django_db


def edit_data(m, **over):
    data = {"kind": m.kind, "title": m.title, "content": m.content, "source": m.source, "source_ref": "",
            "level": m.level, "urgency": m.urgency, "leader": "", "lead_unit": m.lead_unit_id, "co_units": [],
            "liaison": "", "liaison_phone": "", "materials": "", "measures": "", "deadline": str(m.deadline),
            "warn_days": "", "version": str(m.version),
            "ms-TOTAL_FORMS": "0", "ms-INITIAL_FORMS": "0", "ms-MIN_NUM_FORMS": "0", "ms-MAX_NUM_FORMS": "30"}
    data.update(over)
    return data


def test_stale_edit_is_refused(sv, client):
    client.force_login(sv.cast.office)
    m = sv.draft
    page = client.get(f"/supervision/{m.pk}/edit/")
    assert f'name="version" value="{m.version}"' in page.content.decode()
    stale = edit_data(m, title="过时的修改")
    # Someone reviews the matter meanwhile: its version rises.
    matter_review(actor=sv.cast.office, scope=sv.scope(sv.cast.office), matter=m)
    resp = client.post(f"/supervision/{m.pk}/edit/", stale)
    assert resp.status_code == 200
    assert "该事项已被他人处理，请刷新后重试" in resp.content.decode()
    m.refresh_from_db()
    assert m.title == "筹备防汛演练" and m.state == "reviewed"


def test_fresh_edit_is_saved(sv, client):
    client.force_login(sv.cast.office)
    m = sv.draft
    resp = client.post(f"/supervision/{m.pk}/edit/", edit_data(m, title="筹备防汛应急演练"))
    assert resp.status_code == 302
    m = Matter.objects.get(pk=m.pk)
    assert m.title == "筹备防汛应急演练" and m.version == sv.draft.version + 1
