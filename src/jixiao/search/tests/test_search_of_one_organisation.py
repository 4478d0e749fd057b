"""Search finds only what lies in the organisation the user works in."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.org.selectors import scope_for_user
from jixiao.search.selectors import search

pytestmark = pytest.mark.django_db


def test_search_finds_nothing_of_another_organisation(cast: Any, other_org: Any) -> None:
    assert search(scope=scope_for_user(cast.office), query="预算科").total == 0
    found = search(scope=scope_for_user(other_org.office), query="预算科")
    assert [h.title for h in found.kinds["单位"]] == ["预算科"]
    assert [h.title for h in found.kinds["考核对象"]] == ["预算科"]
    assert search(scope=scope_for_user(other_org.office), query="东镇").total == 0
