"""「立即催办」: the office runs the reminders now (through the task queue) and is sent back with
how many notices went out; nobody else may."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages

from jixiao.supervision.models import Notice

URL = "/supervision/remind/"


def test_office_runs_reminders_now(sv: Any, client: Any) -> None:
    client.force_login(sv.cast.office)
    response = client.post(URL, HTTP_REFERER="http://testserver/supervision/")
    assert response.status_code == 302 and response["Location"] == "http://testserver/supervision/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已发出 1 份催办通知单"]
    notice = Notice.objects.get()
    assert notice.issued_by == sv.cast.office
    response = client.post(URL)  # again: nothing due; back to the deliveries page without a referer
    assert response["Location"] == "/supervision/deliveries/"
    assert "已发出 0 份催办通知单" in [str(m) for m in get_messages(response.wsgi_request)]


def test_foreign_referer_is_not_followed(sv: Any, client: Any) -> None:
    client.force_login(sv.cast.office)
    response = client.post(URL, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/supervision/deliveries/"


def test_only_the_office(sv: Any, client: Any) -> None:
    for user in (sv.cast.reporter, sv.cast.leader, sv.cast.outsider):
        client.force_login(user)
        assert client.post(URL).status_code == 403
    client.force_login(sv.cast.office)
    assert client.get(URL).status_code == 405
    assert not Notice.objects.exists()


def test_the_button_reminds_only_the_organisation_the_office_works_in(sv: Any, other_org: Any, client: Any) -> None:
    """Both organisations have a matter due a reminder today; each office's 立即催办 issues its own
    organisation's notice only (the daily job, which covers every organisation, is tested apart)."""
    import datetime as dt

    from jixiao.org.selectors import scope_for_user
    from jixiao.supervision.services import matter_assign, matter_register
    from jixiao.supervision.tests.conftest import make_input

    city = scope_for_user(other_org.office)
    bureau = matter_assign(actor=other_org.office, scope=city, matter=matter_register(
        actor=other_org.office, scope=city,
        data=make_input(sv.cast, title="预算执行整改", lead=other_org.section, deadline=dt.date(2026, 3, 4))))
    client.force_login(sv.cast.office)
    client.post(URL)
    assert set(Notice.objects.values_list("matter__title", flat=True)) == {"整治道路扬尘"}
    client.force_login(other_org.office)
    response = client.post(URL)
    assert "已发出 1 份催办通知单" in [str(m) for m in get_messages(response.wsgi_request)]
    assert Notice.objects.filter(matter=bureau).count() == 1 and Notice.objects.count() == 2
