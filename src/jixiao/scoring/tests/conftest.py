"""Scoring test set-up: a ranked county (the cast's two towns with results) and its publication."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.services import value_save
from jixiao.schemes.tests.conftest import office_client, v1  # noqa: F401  (the what-if tests use them)
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create
from jixiao.scoring.tests.approving import make_publishable


def enter(cast: Any, scope: Any, obj: Any, value: str, indicator: str = "gdp") -> None:
    """The office enters a Q1 value; the save recomputes the town results."""
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=obj, indicator=indicator,
               variable="value", value=Decimal(value))


@pytest.fixture
def ranked(cast: Any, scope: Any) -> Any:
    """West leads (gdp 90 → 36 points) before east (gdp 60 → 24 points)."""
    enter(cast, scope, cast.west_obj, "90")
    enter(cast, scope, cast.east_obj, "60")
    return cast


@pytest.fixture
def publication(ranked: Any, scope: Any) -> Publication:
    """The office's first publication of the towns' results (every period closed and the results
    approved to publish; :func:`reopen_periods` before changing the ledger)."""
    make_publishable(ranked, scope)
    pub = publication_create(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                              category="town", note="公示期5个工作日，如有异议请向绩效办反映。")
    return pub
