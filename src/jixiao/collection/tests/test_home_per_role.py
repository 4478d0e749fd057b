"""The home page per role: the office's counters open its queues; a leader follows progress and
results, without the reminders meant for reporting units; a reporter keeps his returned values
and reminders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.services import incident_create, reminders_send, value_review, value_save


def _day(cast: Any, scope: Any) -> None:
    rep, office = scope(cast.reporter), scope(cast.office)
    v = value_save(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("80"), submit=True)
    value_save(actor=cast.stats, scope=scope(cast.stats), period=cast.q1, obj=cast.west_obj, indicator="tax",
               variable="value", value=Decimal("400"), submit=True)
    value_review(actor=cast.office, scope=office, value=v, approve=False, reason="请附统计公报")
    incident_create(actor=cast.reporter, scope=rep, period=cast.q1, obj=cast.east_obj, indicator="jianfen",
                    item="tbpp", level="县", document="县政办通报〔2024〕3号")
    reminders_send(actor=cast.office, scope=office, period=cast.q1, units=[cast.east], message="请尽快填报一季度数据")


@pytest.mark.django_db
def test_the_offices_counters_open_its_queues(cast: Any, scope: Any, client: Any) -> None:
    _day(cast, scope)
    client.force_login(cast.office)
    resp = client.get("/")
    html = resp.content.decode()
    assert resp.context["to_verify"] == 1 and resp.context["pending_incidents"] == 1
    assert 'href="/ledger/review/?assessment=mini-2024"' in html
    assert 'href="/ledger/incidents/?assessment=mini-2024&amp;status=pending"' in html
    # the links lead to lists holding exactly what was counted
    queue = client.get("/ledger/review/?assessment=mini-2024")
    assert len(queue.context["rows"]) == 1
    pending = client.get("/ledger/incidents/?assessment=mini-2024&status=pending")
    assert len(pending.context["rows"]) == 1
    assert 'id="progress"' in html and 'id="reminders"' not in html


@pytest.mark.django_db
def test_a_leader_sees_progress_and_results_not_reminders(cast: Any, scope: Any, client: Any) -> None:
    _day(cast, scope)
    client.force_login(cast.leader)
    resp = client.get("/")
    html = resp.content.decode()
    assert 'id="progress"' in html and "录入率" in html
    assert "请尽快填报一季度数据" not in html and 'id="reminders"' not in html
    assert 'id="returned"' not in html and 'id="office-queues"' not in html
    (progress,) = resp.context["progress"]
    # east's own indicators only (tax is 县统计局's): gdp expected, none counting (it was returned)
    assert (progress.period.code, progress.expected, progress.reported, progress.objects) == ("2024-Q1", 1, 0, 1)
    assert progress.scored is not None and progress.scored <= progress.objects


@pytest.mark.django_db
def test_a_reporter_keeps_returned_values_and_reminders(cast: Any, scope: Any, client: Any) -> None:
    _day(cast, scope)
    client.force_login(cast.reporter)
    resp = client.get("/")
    html = resp.content.decode()
    assert 'id="returned"' in html and "地区生产总值" in html and "请附统计公报" in html
    assert 'href="/ledger/mini-2024/2024-Q1/east/"' in html
    assert "请尽快填报一季度数据" in html
    assert 'id="progress"' not in html and 'id="office-queues"' not in html


@pytest.mark.django_db
def test_the_home_page_has_bounded_queries(cast: Any, scope: Any, client: Any,
                                           django_assert_max_num_queries: Any) -> None:
    _day(cast, scope)
    for user in (cast.office, cast.leader, cast.reporter):
        client.force_login(user)
        with django_assert_max_num_queries(30):
            assert client.get("/").status_code == 200
