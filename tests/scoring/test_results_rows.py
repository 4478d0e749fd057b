"""The result rows built column-wise for storage equal, once their JSON is parsed, the rows the
engine's ``category_rows`` gives, for every category of every worked example and of a synthetic
city-like year (grades with quotas, flags, missing periods)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jixiao.benchmarks.engine import bench_data, bench_scheme
from jixiao.engine.data import load_data
from jixiao.engine.scheme.loader import load_scheme
from jixiao.engine.score import ScoreResult, score
from jixiao.scoring.results_rows import category_result_frame

EXAMPLES = sorted(p.parent for p in (Path(__file__).parents[2] / "examples").glob("*/expected.json"))


def _reference(result: ScoreResult, code: str, ids: dict[str, int]) -> list[tuple[Any, ...]]:
    return sorted((ids[r.object_id], r.category, r.group, r.total, r.rank, r.group_size, r.grade or "",
                   r.eligible_top, r.vetoed, list(r.flags), r.components, r.periods)
                  for r in result.rows() if r.category == code)


def _columnar(result: ScoreResult, code: str, ids: dict[str, int]) -> list[tuple[Any, ...]]:
    rows = category_result_frame(result, code, ids).iter_rows()
    return sorted((*row[:9], json.loads(row[9]), json.loads(row[10]), json.loads(row[11])) for row in rows)


def _check(result: ScoreResult) -> int:
    ids = {o: i + 1 for i, o in enumerate(result.objects.ids)}
    n = 0
    for cs in result.categories:
        expected = _reference(result, cs.cc.code, ids)
        assert _columnar(result, cs.cc.code, ids) == expected
        n += len(expected)
    return n


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_worked_examples(example: Path) -> None:
    assert _check(score(load_scheme(example / "scheme.yaml"), load_data(example / "data"))) > 0


def test_a_synthetic_year_with_grades_and_gaps() -> None:
    scheme = bench_scheme()
    result = score(scheme, bench_data(scheme, 12, 300))
    assert _check(result) == 312
    rows = result.rows()
    assert len({r.grade for r in rows}) >= 3  # not vacuous: several grades


def test_the_examples_hold_flags_and_gaps() -> None:
    """Not vacuous: among the examples' rows some carry flags, an empty component, a period
    without a total."""
    rows = [r for e in EXAMPLES for r in score(load_scheme(e / "scheme.yaml"), load_data(e / "data")).rows()]
    assert any(r.flags for r in rows)


def test_missing_scores_are_null_and_periods_left_out() -> None:
    """A component or a total that is NaN is stored as null, a period without a total is left
    out, as in the engine's rows (NaNs put into a scored year's arrays)."""
    import numpy as np

    scheme = bench_scheme()
    result = score(scheme, bench_data(scheme, 6, 60))
    for cs in result.categories:
        first = cs.cc.nodes[cs.cc.root.children[0]].index
        cs.scores.overall[first][::3] = np.nan
        cs.scores.periods[cs.cc.root.index][0, ::2] = np.nan
        cs.results.total[::5] = np.nan
    rows = result.rows()
    assert any(v is None for r in rows for v in r.components.values()) and any(r.total is None for r in rows)
    assert _check(result) == 66
