"""Issue 17's rules one by one, each on a small hand-checked case, engine and reference side by side."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from jixiao.engine.data import DataSet
from jixiao.engine.reference import reference_score
from jixiao.engine.scheme.loader import SchemeError, parse_scheme_text
from jixiao.engine.score import ScoreResult, score
from jixiao.engine.trace import explain


def values(rows: list[tuple[str, str, str, str, float]], objects: list[tuple[str, str]] | None = None) -> DataSet:
    """Values rows (object, group, indicator, period, value); objects (object, group) when given."""
    frame = pl.DataFrame(rows, schema=["object", "group", "indicator", "period", "value"], orient="row")
    kw: dict[str, Any] = {}
    if objects is not None:
        kw = {"objects": pl.DataFrame({"object": [o for o, _ in objects], "name": [o for o, _ in objects],
                                       "group": [g for _, g in objects], "parent": [None] * len(objects)},
                                      schema={"object": pl.String, "name": pl.String, "group": pl.String,
                                              "parent": pl.String}),
              "has_objects": True}
    return DataSet(values=frame, **kw)


def run(text: str, ds: DataSet) -> ScoreResult:
    """Score with the engine and check the reference agrees on totals, components and grades."""
    scheme = parse_scheme_text(text)
    result = score(scheme, ds)
    ref = reference_score(scheme, ds)
    for r in result.rows():
        x = ref[r.object_id]
        assert (r.total, r.grade) == (None if x.total != x.total else x.total, x.grade), r.object_id
        for code, v in x.components.items():
            got = r.components[code]
            assert (got is None and v != v) or got == v, (r.object_id, code, got, v)
    return result


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(text, filename="s.yaml")
    return [str(p) for p in e.value.problems]


# --- item 14: rounding of the total only -------------------------------------------------------

ROUNDING = """\
code: r
name: 舍入
rounding: {decimals: 2, at: %s}
periods: {codes: [Y]}
categories:
  - code: c
    indicators:
      - {code: a, points: 50, rule: {method: ratio, target: 3}}
      - {code: b, points: 50, rule: {method: ratio, target: 3}}
"""


def test_rounding_every_node_or_only_the_total() -> None:
    ds = values([("x", "c", "a", "Y", 1.0), ("x", "c", "b", "Y", 1.0)])
    # Every node: 50 × 1/3 = 16.6667 → 16.67 each, 33.34 in all.
    nodes = run(ROUNDING % "nodes", ds).rows()[0]
    assert (nodes.total, nodes.components["a"]) == (33.34, 16.67)
    # Total only: 16.666…6 + 16.666…6 = 33.333… → 33.33; the parts stay exact.
    result = run(ROUNDING % "total", ds)
    row = result.rows()[0]
    assert row.total == 33.33 and row.components["a"] == pytest.approx(50 / 3, abs=1e-12)
    trace = explain(result, "x")
    assert "16.6666666667" in trace.children[0].text  # the trace shows the exact part to ten places
    assert trace.text.endswith("= 33.33分")


def test_rounding_at_is_checked() -> None:
    assert any("rounding.at" in p and "'nodes' or 'total'" in p for p in problems(ROUNDING % "leaves"))
