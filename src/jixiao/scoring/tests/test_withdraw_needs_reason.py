"""Withdrawing a publication needs a reason; a withdrawn publication's link still opens, says
已撤回 with the reason, and cannot be withdrawn twice."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.core.errors import ServiceError
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_withdraw

pytestmark = pytest.mark.django_db


def test_reason_required_then_link_says_withdrawn(publication: Publication, ranked: Any, scope: Any,
                                                  client: Any) -> None:
    office = scope(ranked.office)
    for blank in ("", "   "):
        with pytest.raises(ServiceError, match="请填写撤回原因") as err:
            publication_withdraw(actor=ranked.office, scope=office, publication=publication, reason=blank)
        assert err.value.field == "reason"
    client.force_login(ranked.office)
    link = f"/results/published/{publication.token}/"
    resp = client.post(link + "withdraw", {"reason": ""}, follow=True)
    assert resp.redirect_chain[-1][0] == link and "请填写撤回原因" in resp.content.decode()
    publication.refresh_from_db()
    assert publication.withdrawn_at is None and "已撤回" not in resp.content.decode()

    resp = client.post(link + "withdraw", {"reason": "西镇数据录入有误，更正后重新公示", "next": "list"}, follow=True)
    assert resp.redirect_chain[-1][0] == "/results/mini-2024/published/"
    assert "已撤回" in resp.content.decode()
    publication.refresh_from_db()
    assert publication.withdrawn and publication.withdrawn_by == ranked.office
    assert publication.withdraw_reason == "西镇数据录入有误，更正后重新公示"

    for who in ("office", "reporter", "outsider"):
        client.force_login(getattr(ranked, who))
        resp = client.get(link)
        assert resp.status_code == 200
        html = resp.content.decode()
        assert 'id="withdrawn"' in html and "已撤回" in html
        assert "西镇数据录入有误，更正后重新公示" in html
        assert 'data-object="west"' in html  # what was published stays readable, marked withdrawn
        assert 'id="withdraw-form"' not in html

    with pytest.raises(ServiceError, match=r"已于 .* 撤回"):
        publication_withdraw(actor=ranked.office, scope=office, publication=publication, reason="再撤一次")
