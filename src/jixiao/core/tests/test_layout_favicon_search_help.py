"""Every page of the layout carries the site's icon, and the top bar the search box and the help link
(使用说明) to the manual's section about the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_pages_link_the_svg_favicon(cast: Any, client: Any) -> None:
    client.force_login(cast.office)
    html = client.get("/org/").content.decode()
    assert '<link rel="icon" type="image/svg+xml" href="/static/jixiao/favicon.svg">' in html
    found = finders.find("jixiao/favicon.svg")
    assert found and Path(str(found)).read_text(encoding="utf-8").lstrip().startswith("<svg")


@pytest.mark.django_db
def test_the_top_bar_has_search_and_the_help_link_for_this_page(cast: Any, client: Any) -> None:
    client.force_login(cast.office)
    page = client.get("/org/").content.decode()
    bar = page.split('<header class="topbar">')[1].split("</header>")[0]
    assert 'href="/manual/?from=/org/"' in bar and "使用说明" in bar
    assert 'action="/search/"' in bar
