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
