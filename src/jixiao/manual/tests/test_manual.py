"""使用说明: one page of sections, opened at the section of the page the user came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.manual.sections import ORDER, section_for, sections

pytestmark = pytest.mark.django_db


def test_each_area_of_the_site_has_its_section() -> None:
    assert section_for("/ledger/incidents/", "collection") == "incidents"
    assert section_for("/ledger/mini-2024/", "collection") == "ledger"
    assert section_for("/supervision/3/", "supervision") == "supervision"
    assert section_for("/", None) == "start"
    for slug in {section_for("/x", ns) for ns in ("collection", "scoring", "dashboard", "schemes", "org")}:
        assert slug in ORDER


def test_sections_render_without_raw_html_and_placeholders_for_missing_shots() -> None:
    out = sections(lambda n: f"/s/{n}.png", lambda n: n == "cockpit")
    cockpit = next(s for s in out if s.slug == "cockpit")
    assert '<img src="/s/cockpit.png"' in cockpit.html
    ledger = next(s for s in out if s.slug == "ledger")
    assert "（截图：单位填报页）" in ledger.html and "shot:" not in ledger.html
    assert all(s.title and "<script" not in s.html for s in out)


def test_help_link_opens_the_manual_at_the_pages_section(cast: Any, client: Any, settings: Any,
                                                         tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    client.force_login(cast.reporter)
    page = client.get("/ledger/incidents/").content.decode()
    assert "/manual/?from=/ledger/incidents/" in page
    resp = client.get("/manual/", {"from": "/ledger/incidents/"})
    assert resp.status_code == 302 and resp["Location"] == "/manual/#incidents"
    assert client.get("/manual/", {"from": "https://evil.example/"}).status_code == 200
    body = client.get("/manual/").content.decode()
    assert 'id="supervision"' in body and "电子台帐" in body
    (tmp_path / "manual").mkdir()
    (tmp_path / "manual" / "cockpit.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert '/manual/shots/cockpit.png' in client.get("/manual/").content.decode()
    assert client.get("/manual/shots/cockpit.png").status_code == 200
    assert client.get("/manual/shots/nope.png").status_code == 404
