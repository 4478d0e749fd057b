from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.tests.scaling import fill


@pytest.fixture
def filled(cast: Any, scope: Any) -> Any:
    """The cast's two towns with values in Q1 and Q2, incidents and ballots (results recomputed)."""
    fill(cast, scope, ["east", "west"])
    return cast


COCKPIT = "/cockpit/mini-2024/town/"
