"""Reading a cockpit page's charts back: each chart's JSON spec (what ECharts draws) and its data
table (what a reader sees), straight from the HTML."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any


def specs(html: str) -> dict[str, dict[str, Any]]:
    """Chart key → the JSON spec in the page's ``<script type="application/json">``."""
    out = {}
    for key, body in re.findall(r'<script id="([\w-]+)" type="application/json">(.*?)</script>', html, re.S):
        out[key] = json.loads(body)
    return out


def table(html: str, key: str) -> list[list[str]]:
    """The rows of the chart's data table, cell texts without tags."""
    m = re.search(rf'<table class="chart-data[^"]*" id="data-{key}">(.*?)</table>', html, re.S)
    assert m, f"no data table for {key}"
    body = m.group(1).split("<tbody>", 1)[1]
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        rows.append([unescape(re.sub(r"<[^>]+>", "", td)).strip() for td in cells])
    return rows


def cell(value: Any) -> str:
    """How the template prints a value of a spec row."""
    return str(value)
