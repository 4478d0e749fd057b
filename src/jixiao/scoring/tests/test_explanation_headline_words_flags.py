"""An explanation's headline words its flags with the indicators' names (the engine's own words
would show their codes), and names the ranking group only when it is not the category itself."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.scoring.explain import trace_of
from jixiao.scoring.selectors import result_of


@pytest.mark.django_db
def test_headline_flags_name_the_indicators(ranked: Any) -> None:
    stored = result_of(assessment=ranked.assessment, obj=ranked.east_obj)
    assert stored is not None and "missing:tax" in stored.flags
    _, headline = trace_of(assessment=ranked.assessment, obj=ranked.east_obj, stored=stored)
    assert headline[0] == "东镇（east）  乡镇"  # one group: the category's name once
    assert "  ! 无数据按0分：税收收入" in headline and not any("tax" in line for line in headline)
