"""Publishing: once, by the office; a published bulletin reads (and exports) the same forever,
whatever happens to its matters afterwards."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.supervision.exports.xlsx import bulletin_xlsx
from jixiao.supervision.models import Bulletin
from jixiao.supervision.services import matter_feedback, matter_sign
from jixiao.supervision.services.bulletins import bulletin_create, bulletin_publish
from jixiao.supervision.tests.conftest import assigned, make_input

pytestmark = pytest.mark.django_db
D = dt.date


def cells(data: bytes) -> list[list[object]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()]


def body(response) -> str:
    """The bulletin itself, without the page frame (whose CSRF token changes per session)."""
    html = response.content.decode()
    assert 'id="bulletin"' in html
    return html[html.index('id="bulletin"'):]


def test_published_bulletin_does_not_change(sv, client):
    c = sv.cast
    office = sv.scope(c.office)
    sv.travel(D(2026, 3, 5))
    b = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 5))
    b = bulletin_publish(actor=c.office, scope=office, bulletin=b)
    assert b.status == "published" and b.published_by == c.office and b.published_at is not None
    before, sheet = b.data, cells(bulletin_xlsx(b))
    assert before["overdue"][0]["title"] == "整治道路扬尘"
    client.force_login(c.reporter)
    page = body(client.get(f"/supervision/bulletins/{b.pk}/"))

    # The world moves on: 东镇 signs and reports, a new matter appears, time passes.
    rep = sv.scope(c.reporter)
    sv.travel(D(2026, 3, 6))
    matter_sign(actor=c.reporter, scope=rep, matter=sv.east_task)
    matter_feedback(actor=c.reporter, scope=rep, matter=sv.east_task, unit=c.east, text="进展顺利")
    assigned(c, make_input(c, title="新增事项", lead=c.east, deadline=D(2026, 3, 20)))
    sv.travel(D(2026, 3, 25))

    b = Bulletin.objects.get(pk=b.pk)
    assert b.data == before
    client.force_login(c.reporter)  # the earlier session has expired by now
    assert cells(bulletin_xlsx(b)) == sheet
    assert body(client.get(f"/supervision/bulletins/{b.pk}/")) == page
    # A bulletin drawn now sees the new state of affairs.
    now = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 25))
    assert now.data["totals"]["total"] == 3 and now.data != before


def test_publish_twice_is_refused(sv):
    c = sv.cast
    office = sv.scope(c.office)
    b = bulletin_create(actor=c.office, scope=office, date_from=D(2026, 3, 1), date_to=D(2026, 3, 2))
    bulletin_publish(actor=c.office, scope=office, bulletin=b)
    first = Bulletin.objects.get(pk=b.pk).published_at
    with pytest.raises(ServiceError, match=r"已于 .* 发布，不能重复发布"):
        bulletin_publish(actor=c.office, scope=office, bulletin=b)
    assert Bulletin.objects.get(pk=b.pk).published_at == first
    assert AuditEntry.objects.filter(action="bulletin_publish", target_id=str(b.pk)).count() == 1


def test_only_the_office_publishes(sv, client):
    c = sv.cast
    b = bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 2))
    for user in (c.reporter, c.leader):
        with pytest.raises(NotAllowed):
            bulletin_publish(actor=user, scope=sv.scope(user), bulletin=b)
        client.force_login(user)
        assert client.post(f"/supervision/bulletins/{b.pk}/publish").status_code == 403
    assert Bulletin.objects.get(pk=b.pk).status == "draft"
    client.force_login(c.office)
    r = client.post(f"/supervision/bulletins/{b.pk}/publish", follow=True)
    assert "通报已发布" in r.content.decode()
    r = client.post(f"/supervision/bulletins/{b.pk}/publish", follow=True)
    assert "不能重复发布" in r.content.decode()
