"""No page shows a single ballot or a rater's name: the ledger page and the explained score show the
rated unit how many ballots it received, the office the counts per rating it entered; never who."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.collection.services import ballot_add
from jixiao.core.errors import NotAllowed
from jixiao.scoring.recompute import results_refresh

pytestmark = pytest.mark.django_db


def test_rated_unit_sees_counts_office_sees_tallies_nobody_sees_raters(cast: Any, scope: Any, client: Any) -> None:
    office = scope(cast.office)
    for rater, mark in (("县委书记", "27.5"), ("县长", "21"), ("分管县领导", "24")):
        ballot_add(actor=cast.office, scope=office, period=cast.q1, obj=cast.east_obj, indicator="ldpg",
                   rating=mark, rater=rater)
    with pytest.raises(NotAllowed):  # typed tallies are the office's
        ballot_add(actor=cast.leader, scope=scope(cast.leader), period=cast.q1, obj=cast.east_obj, indicator="ldpg",
                   rating="30", rater="县长")
    results_refresh(assessment_id=cast.assessment.pk)
    ledger, explained = "/ledger/mini-2024/2024-Q1/east/", "/results/mini-2024/object/east/"
    for user in (cast.reporter, cast.leader, cast.office):
        client.force_login(user)
        for url in (ledger, explained):
            resp = client.get(url)
            assert resp.status_code == 200, (user, url)
            html = resp.content.decode()
            assert "县长" not in html and "县委书记" not in html, (user, url)
    client.force_login(cast.reporter)
    assert "<td>领导评估</td><td>—</td><td class=\"num\">3</td>" in client.get(ledger).content.decode()
    assert "评价 3 票" in client.get(explained).content.decode()
    client.force_login(cast.office)
    assert "<td>领导评估</td><td>27.5</td>" in client.get(ledger).content.decode()
