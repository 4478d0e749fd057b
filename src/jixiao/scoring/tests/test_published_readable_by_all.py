"""公示 is for the whole government: every signed-in user, whatever results he may see otherwise,
reads the whole published table and its download (by its link); the list of an assessment's
publications is for the users of its organisation; an anonymous visitor is sent to log in."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.scoring.models import Publication

pytestmark = pytest.mark.django_db


def test_everyone_signed_in_reads_everything(publication: Publication, ranked: Any, client: Any) -> None:
    link = f"/results/published/{publication.token}/"
    for who in ("office", "reporter", "leader", "stats", "outsider"):
        client.force_login(getattr(ranked, who))
        html = client.get(link).content.decode()
        # The east reporter and east's leader see west's row too, which their ranking page hides.
        assert 'data-object="west"' in html and 'data-object="east"' in html, who
        assert client.get(link + "result.xlsx").status_code == 200
        listing = client.get("/results/mini-2024/published/")
        if who == "outsider":  # no role: no organisation, so no assessment to list
            assert listing.status_code == 404
        else:
            assert link in listing.content.decode(), who
    client.force_login(ranked.reporter)
    ranking = client.get("/results/mini-2024/category/town/").content.decode()
    assert 'data-object="west"' not in ranking

    client.logout()
    for url in (link, link + "result.xlsx", "/results/mini-2024/published/"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"] == f"/login/?next={url}"
