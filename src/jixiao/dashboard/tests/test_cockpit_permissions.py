"""Who may open the cockpit: the office and leaders; a leader only the units he oversees; everyone
else is refused (403) and anonymous users are sent to log in."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

URLS = {
    "dashboard:index": "/cockpit/",
    "dashboard:cockpit": "/cockpit/mini-2024/town/",
    "dashboard:cockpit export": "/cockpit/mini-2024/town/?export=ranking",
    "dashboard:indicator": "/cockpit/mini-2024/town/indicator/gdp/",
    "dashboard:unit": "/cockpit/mini-2024/town/unit/east/",
    "dashboard:unit (not overseen)": "/cockpit/mini-2024/town/unit/west/",
}
EXPECTED = {  # role → status per URL, in the order above
    "office": [302, 200, 200, 200, 200, 200],
    "leader": [302, 200, 200, 200, 200, 404],
    "reporter": [403] * 6,
    "stats": [403] * 6,
    "outsider": [403] * 6,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_gets_what_the_matrix_says(filled: Any, client: Any, role: str) -> None:
    client.force_login(getattr(filled, role))
    got = [client.get(url).status_code for url in URLS.values()]
    assert got == EXPECTED[role]


def test_anonymous_is_sent_to_log_in(filled: Any, client: Any) -> None:
    for url in URLS.values():
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url


def test_unknown_category_indicator_or_chart_is_not_found(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    assert client.get("/cockpit/mini-2024/nope/").status_code == 404
    assert client.get("/cockpit/mini-2024/town/indicator/nope/").status_code == 404
    assert client.get("/cockpit/mini-2024/town/?export=nope").status_code == 404
    assert client.get("/cockpit/nope/town/").status_code == 404


def test_the_nav_link_shows_for_office_and_leaders_only(filled: Any, client: Any) -> None:
    for role, shown in (("office", True), ("leader", True), ("reporter", False), ("outsider", False)):
        client.force_login(getattr(filled, role))
        assert ('href="/cockpit/"' in client.get("/").content.decode()) is shown, role
