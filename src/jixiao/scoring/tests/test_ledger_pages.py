"""The ledger's pages (the full recompute's column-wise copy of the counting values) always equal
the values table once the recompute has consumed the outbox, and a view taken while entries wait
folds their objects in from the values table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from django.db import transaction

from jixiao.collection.models import Value
from jixiao.collection.services import value_review, value_save
from jixiao.collection.services.ledger import ledger_touch
from jixiao.scoring.ledger_pages import ledger_view, values_read
from jixiao.scoring.models import LedgerPage, LedgerPages
from jixiao.scoring.services import results_recompute

KEY = ["_oid", "indicator", "variable", "_pid"]


def _rows(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    return sorted(frame.select([*KEY, "value"]).iter_rows())


def _save(cast: Any, scope: Any, obj: Any, value: str, indicator: str = "gdp", period: Any = None) -> Any:
    return value_save(actor=cast.office, scope=scope(cast.office), period=period or cast.q1, obj=obj,
                      indicator=indicator, variable="value", value=Decimal(value))


@pytest.mark.django_db
def test_pages_follow_patches_returns_and_whole_categories(cast: Any, scope: Any) -> None:
    a = cast.assessment
    _save(cast, scope, cast.east_obj, "50")
    results_recompute(assessment=a)  # a full recompute writes every page
    assert LedgerPages.objects.filter(assessment=a).exists() and LedgerPage.objects.filter(assessment=a).exists()
    assert _rows(ledger_view(a).frame) == _rows(values_read(a.pk)) != []

    # Patches (one object each), as the worker consumes them after each commit.
    _save(cast, scope, cast.west_obj, "70")
    tax = _save(cast, scope, cast.west_obj, "12", indicator="tax", period=cast.q2)
    _save(cast, scope, cast.east_obj, "55")
    view = ledger_view(a)
    assert view.stale == frozenset()  # nothing waits: the pages alone
    assert _rows(view.frame) == _rows(values_read(a.pk))
    assert len(view.frame) == 3

    # A returned value leaves the counting rows; the pages follow.
    value_review(actor=cast.office, scope=scope(cast.office), value=tax, approve=False, reason="请核对")
    assert _rows(ledger_view(a).frame) == _rows(values_read(a.pk)) and len(values_read(a.pk)) == 2

    # A change of the whole category, written behind the services' back and announced whole.
    with transaction.atomic():
        Value.objects.filter(pk=tax.pk).update(status=Value.Status.VERIFIED, value=Decimal("13"))
        ledger_touch(assessment_id=a.pk, categories=["town"])
    assert _rows(ledger_view(a).frame) == _rows(values_read(a.pk)) and len(values_read(a.pk)) == 3


@pytest.mark.django_db
def test_a_view_folds_in_what_waits(cast: Any, scope: Any) -> None:
    """Entries not yet consumed (no recompute ran): the view reads their objects afresh."""
    a = cast.assessment
    _save(cast, scope, cast.east_obj, "50")
    results_recompute(assessment=a)
    with transaction.atomic():
        sid = transaction.savepoint()  # no commit of ours: the on-commit recompute does not run
        Value.objects.filter(assessment=a, object=cast.east_obj).update(value=Decimal("99"))
        LedgerPage.objects.all()  # the pages still hold 50
        from jixiao.collection.models import LedgerChange

        LedgerChange.objects.create(assessment=a, category="town", object=cast.east_obj)
        view = ledger_view(a)
        assert view.stale == frozenset({cast.east_obj.pk // 512})
        assert [r[-1] for r in _rows(view.frame)] == [99.0]
        transaction.savepoint_rollback(sid)
