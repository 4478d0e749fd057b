"""On the full demo, the clerk's pages speak names: the incident register, the review queue and
the home page show no scheme codes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.collection.models import Incident
from jixiao.schemes.selectors import catalog_of


@pytest.mark.django_db
def test_demo_incidents_and_queue_show_names(demo: Any, client: Any) -> None:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="office"))
    inc = Incident.objects.select_related("assessment__version").first()
    assert inc is not None, "the demo registers incidents"
    catalog = catalog_of(inc.assessment)
    codes = {lf.code for c in catalog.categories.values() for lf in c.leaves if lf.kind == "incident"}
    codes |= {i.code for c in catalog.categories.values() for lf in c.leaves for i in lf.items}
    html = client.get(f"/ledger/incidents/?assessment={inc.assessment.code}").content.decode()
    table = html[html.index('id="incidents"'):html.index("</table>", html.index('id="incidents"'))]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    assert cells, "the register lists the demo's incidents"
    assert not [c for c in cells if any(part.strip() in codes for part in c.split(" / "))]
    home = client.get("/")
    assert home.status_code == 200 and 'id="progress"' in home.content.decode()
    queue = client.get("/ledger/review/")
    assert queue.status_code == 200
