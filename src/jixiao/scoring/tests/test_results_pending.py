"""Pages say when results lag the ledger ("结果更新中…") and refresh themselves once the worker has
scored the change; the cockpit, the ranking and the official tables never read ledger rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.collection.services import value_save
from jixiao.scoring.recompute import results_refresh

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOTICE = "结果更新中"


def _save(cast: Any, scope: Any, obj: Any, value: str) -> None:
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=obj, indicator="gdp",
               variable="value", value=Decimal(value))


@pytest.mark.django_db
def test_a_lagging_ranking_says_so_and_refreshes_when_scored(cast: Any, scope: Any, client: Any,
                                                             settings: Any) -> None:
    _save(cast, scope, cast.east_obj, "50")
    client.force_login(cast.office)
    url = "/results/mini-2024/category/town/"
    assert NOTICE not in client.get(url).content.decode()
    settings.TASKS = DB_TASKS  # the worker has not run yet
    _save(cast, scope, cast.east_obj, "90")
    for page in (url, "/results/mini-2024/object/east/", "/cockpit/mini-2024/town/"):
        html = client.get(page).content.decode()
        assert NOTICE in html, page
        assert 'hx-get="/results/mini-2024/pending?category=town"' in html
    poll = client.get("/results/mini-2024/pending?category=town", HTTP_HX_REQUEST="true")
    assert NOTICE in poll.content.decode() and "HX-Refresh" not in poll
    results_refresh(assessment_id=cast.assessment.pk)
    poll = client.get("/results/mini-2024/pending?category=town", HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"
    assert NOTICE not in client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/cockpit/mini-2024/town/", "/results/mini-2024/category/town/",
                                  "/reports/mini-2024/summary/town.xlsx", "/reports/mini-2024/rewards/town.xlsx",
                                  "/cockpit/mini-2024/town/unit/east/"])
def test_reads_of_results_never_touch_the_ledger(cast: Any, scope: Any, client: Any, page: str) -> None:
    for obj, v in ((cast.east_obj, "50"), (cast.west_obj, "70")):
        _save(cast, scope, obj, v)
    client.force_login(cast.office)
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(page)
    assert resp.status_code == 200, page
    # No ledger row is read (the cockpit's recording rates are counts the database aggregates).
    ledger = [q["sql"] for q in ctx.captured_queries if ("collection_value" in q["sql"]
              or "collection_incident" in q["sql"] or "collection_ballot" in q["sql"]) and "COUNT(" not in q["sql"]]
    assert ledger == [], ledger


@pytest.mark.django_db
def test_a_failed_recompute_is_explained_and_the_office_retries_it(cast: Any, scope: Any, client: Any,
                                                                  monkeypatch: Any) -> None:
    from jixiao.audit.models import AuditEntry
    from jixiao.collection.models import LedgerChange
    from jixiao.scoring import recompute

    _save(cast, scope, cast.east_obj, "50")
    real_patch, real_score = recompute.results_patch, recompute.score_assessment

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(recompute, "results_patch", broken)
    monkeypatch.setattr(recompute, "score_assessment", broken)
    _save(cast, scope, cast.east_obj, "90")
    url = "/results/mini-2024/category/town/"
    client.force_login(cast.reporter)
    html = client.get(url).content.decode()
    assert "结果计算未完成" in html and "磁盘已满" in html and "请联系绩效办处理" in html
    assert client.post("/results/mini-2024/recompute", {"next": url}).status_code == 403
    client.force_login(cast.office)
    html = client.get(url).content.decode()
    assert "重新计算" in html and 'action="/results/mini-2024/recompute"' in html
    monkeypatch.setattr(recompute, "results_patch", real_patch)
    monkeypatch.setattr(recompute, "score_assessment", real_score)
    resp = client.post("/results/mini-2024/recompute", {"next": url})
    assert resp.status_code == 302 and resp["Location"] == url
    assert not LedgerChange.objects.exists()
    assert "结果计算未完成" not in client.get(url).content.decode()
    assert AuditEntry.objects.filter(action="recompute_retry").count() == 1
