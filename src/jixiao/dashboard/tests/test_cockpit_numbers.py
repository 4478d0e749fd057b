"""The cockpit's numbers are the results': at the end of the year the progress ranking is the
ranking, completion is the total over the category's points, and every chart's data table shows
exactly the rows the chart is drawn from."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from jixiao.dashboard.tests.conftest import COCKPIT
from jixiao.dashboard.tests.helpers import cell, specs, table
from jixiao.scoring.models import Result

pytestmark = pytest.mark.django_db


def _pct(total: float, points: float) -> float:
    return float(Decimal(str(total / points * 100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def test_year_end_ranking_is_the_results_ranking(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    html = client.get(COCKPIT).content.decode()
    assert "2024年12月31日" in html  # the year is over: the last checkpoint
    rows = specs(html)["ranking"]["rows"]
    results = {r.object.name: r for r in Result.objects.filter(category="town").select_related("object")}
    assert len(rows) == len(results) == 2
    for rank, name, completion, secured, _move, _light in rows:
        r = results[name]
        assert rank == r.rank
        assert secured == r.total
        assert completion == _pct(r.total, 100.0)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)


def test_every_data_table_shows_its_chart_rows(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    for url in (COCKPIT, COCKPIT + "?asof=2024-06-30", COCKPIT + "indicator/gdp/", COCKPIT + "unit/east/"):
        html = client.get(url).content.decode()
        charts = specs(html)
        assert charts, url
        for key, spec in charts.items():
            shown = table(html, key)
            if not spec["rows"]:
                assert len(shown) == 1 and shown[0][0] == "暂无数据"
                continue
            assert shown == [[cell(v) for v in row] for row in spec["rows"]], (url, key)
            assert len(spec["links"]) == len(spec["rows"]), (url, key)


def test_grade_distribution_counts_the_results(filled: Any, client: Any) -> None:
    client.force_login(filled.office)
    rows = specs(client.get(COCKPIT).content.decode())["grades"]["rows"]
    counts: dict[str, int] = {}
    for r in Result.objects.filter(category="town"):
        counts[r.grade or "未定等"] = counts.get(r.grade or "未定等", 0) + 1
    assert dict((g, n) for g, n in rows) == counts
