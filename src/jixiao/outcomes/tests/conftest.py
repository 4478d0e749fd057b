"""Outcomes test set-up: the cast's towns ranked, approved and published with a notice window
around today (东镇 60, 西镇 90 on gdp in 2024-Q1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create
from jixiao.scoring.tests.approving import make_publishable
from jixiao.scoring.tests.conftest import enter


@pytest.fixture
def published(cast: Any, scope: Any) -> Publication:
    enter(cast, scope, cast.west_obj, "90")
    enter(cast, scope, cast.east_obj, "60")
    make_publishable(cast, scope)
    today = timezone.localdate()
    return publication_create(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment,
                              category="town", notice_starts=today - dt.timedelta(days=1),
                              notice_ends=today + dt.timedelta(days=4), public=True)


@pytest.fixture
def ranked(cast: Any, scope: Any) -> Any:
    """West leads (gdp 90) before east (gdp 60), nothing published yet."""
    enter(cast, scope, cast.west_obj, "90")
    enter(cast, scope, cast.east_obj, "60")
    return cast
