"""Every page of the layout carries the site's icon, and the top bar has a slot for the help link
(使用说明) that a page (or the layout, once help exists) fills."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, RequestContext, Template
from django.test import RequestFactory


@pytest.mark.django_db
def test_pages_link_the_svg_favicon(cast: Any, client: Any) -> None:
    client.force_login(cast.office)
    html = client.get("/org/").content.decode()
    assert '<link rel="icon" type="image/svg+xml" href="/static/jixiao/favicon.svg">' in html
    found = finders.find("jixiao/favicon.svg")
    assert found and Path(str(found)).read_text(encoding="utf-8").lstrip().startswith("<svg")


@pytest.mark.django_db
def test_the_help_block_is_in_the_top_bar(cast: Any, rf: RequestFactory) -> None:
    request = rf.get("/")
    request.user = cast.office
    page = Template('{% extends "base.html" %}{% block help %}<li><a id="help" href="/help/">使用说明</a></li>'
                    "{% endblock %}").render(RequestContext(request, {}))
    bar = page.split('<header class="topbar">')[1].split("</header>")[0]
    assert '<a id="help" href="/help/">使用说明</a>' in bar
    assert 'id="help"' not in Template('{% extends "base.html" %}').render(Context({"user": cast.office}))
