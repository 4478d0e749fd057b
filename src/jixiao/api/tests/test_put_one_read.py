"""A single-value PUT reads the value once (locked, with what the answer shows), writes it, and
asks for the recompute in one statement: its queries do not grow with the organisation, and the
answer is what a read of the value gives afterwards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from jixiao.api.services import api_token_create
from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services import value_save
from jixiao.org import services as org
from jixiao.org.models import Unit

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=None, user=user)}")
    return client


def _put(client: APIClient, value: Value, number: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.put(f"/api/values/{value.pk}/", {"value": number, "version": value.version}, format="json")
    # an executemany is captured as "N times: <sql>"
    return r, [q["sql"].split(" times: ", 1)[-1] for q in ctx.captured_queries]


def _reads_of(sqls: list[str], table: str) -> list[str]:
    return [q for q in sqls if q.lstrip().upper().startswith("SELECT") and f'FROM "{table}"' in q]


@pytest.fixture
def gdp(cast: Any, scope: Any, settings: Any) -> Value:
    settings.TASKS = DB_TASKS  # the recompute is the worker's: only the request's own queries count
    for i in range(30):  # a bigger organisation must not make a save dearer
        org.unit_create(actor=None, code=f"u{i}", name=f"单位{i}", kind=Unit.Kind.DEPARTMENT, parent=cast.county)
    return value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                      indicator="gdp", variable="value", value=Decimal("80"), submit=True)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "reporter"])
def test_a_put_reads_the_value_once_and_never_the_unit_table(cast: Any, gdp: Value, who: str) -> None:
    client = _token_client(getattr(cast, who))
    first, _ = _put(client, gdp, "81")  # the first save of the assessment creates its recompute state
    assert first.status_code == 200, first.content
    gdp.refresh_from_db()
    r, sqls = _put(client, gdp, "82")
    assert r.status_code == 200, r.content
    assert len(_reads_of(sqls, "collection_value")) == 1
    assert not any('"org_unit"' in q and "WHERE" not in q for q in sqls)  # no read of every unit
    assert sum("scoring_recomputestate" in q for q in sqls) == 1  # already queued: one statement
    writes = [q for q in sqls if q.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 5, writes  # the value, its history line, the audit entry, the outbox, the request
    # token, scope (+ the reporter's subtree), value, period (+ its share lock), 5 writes; BEGIN/COMMIT
    assert len(sqls) <= (13 if who == "reporter" else 12), sqls


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["office", "reporter"])
def test_the_answer_is_the_stored_value(cast: Any, gdp: Value, who: str) -> None:
    client = _token_client(getattr(cast, who))
    r, _ = _put(client, gdp, "87.5")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body == client.get(f"/api/values/{gdp.pk}/").json()
    user = getattr(cast, who).username
    assert (body["value"], body["version"], body["updated_by"]) == ("87.5", gdp.version + 1, user)
    assert body["status"] == ("verified" if who == "office" else "submitted")
    assert (body["assessment"], body["period"], body["object"]) == ("mini-2024", "2024-Q1", "east")


@pytest.mark.django_db
def test_an_unchanged_put_answers_the_stored_value_without_writing(cast: Any, gdp: Value) -> None:
    client = _token_client(cast.reporter)
    r, sqls = _put(client, gdp, "80")
    assert r.status_code == 200, r.content
    assert r.json()["version"] == gdp.version and r.json()["updated_by"] == "east_reporter"
    assert not [q for q in sqls if q.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert ValueChange.objects.filter(value=gdp).count() == 1


@pytest.mark.django_db
def test_a_value_out_of_sight_is_404_before_the_body_is_judged(cast: Any, scope: Any, gdp: Value) -> None:
    west = value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.west_obj,
                      indicator="gdp", variable="value", value=Decimal("70"))
    client = _token_client(cast.reporter)  # 东镇's reporter does not see 西镇
    assert client.put(f"/api/values/{west.pk}/", {"value": "1", "version": west.version},
                      format="json").status_code == 404
    assert client.put(f"/api/values/{west.pk}/", {"value": "x"}, format="json").status_code == 404
    assert client.put(f"/api/values/{gdp.pk}/", {"value": "x"}, format="json").status_code == 400
    assert client.put("/api/values/999999/", {"value": "1", "version": 1}, format="json").status_code == 404
    west.refresh_from_db()
    assert (west.value, west.version) == (Decimal("70"), 1)
