"""Rate limits (item 30): the API, imports, exports and the public evaluation links answer 429
(Chinese page, or JSON for the API, with Retry-After) past their limit in a fixed window, per user
(or address when nobody is signed in); other pages are not counted; the settings are typed and
can turn the limits off."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from jixiao.core.ratelimit import hit
from jixiao.project.env import env_rate


def test_item_30_fixed_window_counts_and_resets() -> None:
    assert [hit("t", "x", 3, 60, now=120.0)[0] for _ in range(4)] == [True, True, True, False]
    ok, retry = hit("t", "x", 3, 60, now=150.0)
    assert not ok and retry == 30
    assert hit("t", "x", 3, 60, now=180.0)[0]  # the next window
    assert hit("t", "y", 3, 60, now=150.0)[0]  # someone else


def test_item_30_rates_are_typed(monkeypatch: Any) -> None:
    assert env_rate("JIXIAO_T_RATE", "600/60") == (600, 60)
    for bad in ("600", "x/60", "0/60", "10/0"):
        monkeypatch.setenv("JIXIAO_T_RATE", bad)
        with pytest.raises(ImproperlyConfigured, match="JIXIAO_T_RATE"):
            env_rate("JIXIAO_T_RATE", "1/1")


@pytest.mark.django_db
def test_item_30_api_exports_and_evaluation_links_answer_429(cast: Any, client: Any, settings: Any) -> None:
    settings.JIXIAO_RATE_LIMITS = {"api": (2, 60), "import": (1, 300), "export": (2, 60), "evaluation": (2, 60)}
    # The public evaluation links, per address.
    codes = [client.get("/e/nosuchtoken").status_code for _ in range(3)]
    assert codes[:2] != [429, 429] and codes[2] == 429
    # Exports per user: the scheme's workbook.
    client.force_login(cast.office)
    url = reverse("schemes:version_xlsx", args=[cast.assessment.version_id])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    resp = client.get(url)
    assert resp.status_code == 429 and "导出和下载过于频繁" in resp.content.decode() and int(resp["Retry-After"]) > 0
    assert client.get(reverse("schemes:index")).status_code == 200  # ordinary pages are not counted
    # The API answers in JSON.
    api = reverse("api:units")
    codes = [client.get(api).status_code for _ in range(3)]
    assert codes[2] == 429
    resp = client.get(api)
    assert resp["Content-Type"].startswith("application/json") and "接口调用过于频繁" in resp.json()["detail"]
    # Imports: only the POST counts.
    imp = reverse("schemes:import")
    assert client.get(imp).status_code == 200 and client.get(imp).status_code == 200
    assert client.post(imp, {}).status_code != 429
    assert client.post(imp, {}).status_code == 429
    # Turned off, nothing is counted.
    settings.JIXIAO_RATE_LIMITS_ENABLED = False
    assert client.get(url).status_code == 200

