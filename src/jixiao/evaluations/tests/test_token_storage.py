"""Checklist item 33 on both databases: a token is 128 random bits and only its digest is kept
(the 50 concurrent redemptions are in test_token_concurrency, on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.evaluations.models import Token
from jixiao.evaluations.services import tokens_issue


@pytest.mark.django_db
def test_item_33_tokens_are_128_bits_and_stored_hashed(ev: Any) -> None:
    """Runs on both databases: the token's strength and that only its digest is kept."""
    issued = tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                          count=20)
    tokens = [t for _, t in issued]
    assert len(set(tokens)) == 20
    assert all(len(t) >= 22 for t in tokens)  # base64 of 16 random bytes: 128 bits
    stored = [str(v) for row in Token.objects.values() for v in row.values()]
    assert not any(t in s for t in tokens for s in stored)
    assert Token.objects.count() == 20
