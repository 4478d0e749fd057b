"""``manage.py planning_calendar --day``: the daily run by hand, in Chinese; a wrong date refused."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_command_runs_the_day(pl: Any) -> None:
    out = io.StringIO()
    call_command("planning_calendar", "--day", "2025-04-06", stdout=out)
    assert "2025-04-06：0 个考核期" in out.getvalue()
    with pytest.raises(CommandError, match="日期格式"):
        call_command("planning_calendar", "--day", "06/04/2025")
