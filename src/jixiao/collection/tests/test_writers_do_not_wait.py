"""Locks as narrow as the rule they protect, on PostgreSQL (``make test-postgres``; marked
``postgres``, left out of the SQLite run, where one write transaction at a time is the design): a
writer of one object does not wait for a writer of another object in the same period (the period
check share-locks the period row only), while closing the period waits for the writes under way."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from jixiao.collection.models import Value
from jixiao.collection.services import value_save
from jixiao.collection.services import values as values_module
from jixiao.schemes.models import Period
from jixiao.schemes.services import period_close

HOLD = 1.5  # seconds the first writer keeps its transaction open


def _writer(cast: Any, scope: Any, obj: Any, value: str, done: dict[str, float], key: str) -> None:
    try:
        value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=obj, indicator="gdp",
                   variable="value", value=Decimal(value))
        done[key] = time.monotonic()
    except Exception as e:  # reported by the test body
        done[key + "_error"] = repr(e)  # type: ignore[assignment]
    finally:
        connections.close_all()


pytestmark = pytest.mark.postgres


def _hold_east(monkeypatch: Any) -> threading.Event:
    """East's save keeps its transaction open for HOLD seconds once its period check is taken; the
    event is set when it gets there."""
    entered = threading.Event()
    real = values_module.audit_record

    def slow_for_east(**kwargs: Any) -> Any:
        out = real(**kwargs)
        if kwargs.get("summary", "").startswith("east/"):
            entered.set()
            time.sleep(HOLD)
        return out

    monkeypatch.setattr(values_module, "audit_record", slow_for_east)
    return entered


@pytest.mark.django_db(transaction=True)
def test_writers_of_different_objects_do_not_wait_for_each_other(cast: Any, scope: Any, monkeypatch: Any) -> None:
    assert connection.vendor == "postgresql", "a PostgreSQL test: run it with DATABASE_URL (make test-postgres)"
    entered = _hold_east(monkeypatch)
    done: dict[str, float] = {}
    east = threading.Thread(target=_writer, args=(cast, scope, cast.east_obj, "50", done, "east"))
    east.start()
    assert entered.wait(10)
    started = time.monotonic()
    west = threading.Thread(target=_writer, args=(cast, scope, cast.west_obj, "70", done, "west"))
    west.start()
    west.join(20)
    east.join(20)
    assert "east_error" not in done and "west_error" not in done, done
    assert done["west"] < done["east"], "west waited for east"
    assert done["west"] - started < HOLD / 2
    assert Value.objects.filter(period=cast.q1, indicator="gdp").count() == 2


@pytest.mark.django_db(transaction=True)
def test_closing_a_period_waits_for_the_writes_under_way(cast: Any, scope: Any, monkeypatch: Any) -> None:
    assert connection.vendor == "postgresql", "a PostgreSQL test: run it with DATABASE_URL (make test-postgres)"
    entered = _hold_east(monkeypatch)
    done: dict[str, float] = {}
    east = threading.Thread(target=_writer, args=(cast, scope, cast.east_obj, "50", done, "east"))
    east.start()
    assert entered.wait(10)
    closed = {}

    def close() -> None:
        try:
            period_close(actor=cast.office, period=Period.objects.get(pk=cast.q1.pk))
            closed["at"] = time.monotonic()
        finally:
            connections.close_all()

    closer = threading.Thread(target=close)
    started = time.monotonic()
    closer.start()
    closer.join(20)
    east.join(20)
    assert "east_error" not in done, done
    assert closed["at"] - started > HOLD / 2  # the close waited for the write it would otherwise cut off
    assert Value.objects.filter(period=cast.q1, object=cast.east_obj).exists()
