"""Only the office publishes and withdraws: the services refuse everyone else (NotAllowed), the
views answer 403, and the ranking page offers the button to the office alone."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.core.errors import NotAllowed
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create, publication_withdraw

pytestmark = pytest.mark.django_db
OTHERS = ("reporter", "leader", "stats", "outsider")


def test_services_refuse_others(publication: Publication, ranked: Any, scope: Any) -> None:
    for who in OTHERS:
        user = getattr(ranked, who)
        with pytest.raises(NotAllowed):
            publication_create(actor=user, scope=scope(user), assessment=ranked.assessment, category="town")
        with pytest.raises(NotAllowed):
            publication_withdraw(actor=user, scope=scope(user), publication=publication, reason="不同意")
    assert Publication.objects.count() == 1
    publication.refresh_from_db()
    assert publication.withdrawn_at is None


def test_views_refuse_others(publication: Publication, ranked: Any, client: Any) -> None:
    for who in OTHERS:
        client.force_login(getattr(ranked, who))
        assert client.post("/results/mini-2024/category/town/publish", {"note": "x"}).status_code == 403
        resp = client.post(f"/results/published/{publication.token}/withdraw", {"reason": "不同意"})
        assert resp.status_code == 403
        ranking = client.get("/results/mini-2024/category/town/").content.decode()
        assert 'id="publish-form"' not in ranking and "发布结果" not in ranking
        listing = client.get("/results/mini-2024/published/").content.decode()
        assert 'class="withdraw-form"' not in listing and 'name="reason"' not in listing
    assert Publication.objects.count() == 1
    publication.refresh_from_db()
    assert publication.withdrawn_at is None

    client.force_login(ranked.office)
    ranking = client.get("/results/mini-2024/category/town/").content.decode()
    assert 'id="publish-form"' in ranking and "发布结果" in ranking
    resp = client.post("/results/mini-2024/category/town/publish", {"note": "第二次"})
    assert resp.status_code == 302
    second = Publication.objects.get(number=2)
    assert resp["Location"] == f"/results/published/{second.token}/"
    assert second.note == "第二次"
