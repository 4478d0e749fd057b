"""Golden tests: every worked example in examples/ scores exactly to its hand-checked result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.engine.data import load_data
from jixiao.engine.reference import reference_score
from jixiao.engine.scheme.loader import load_scheme
from jixiao.engine.score import score
from jixiao.engine.trace import explain

EXAMPLES = sorted(p.parent for p in (Path(__file__).parents[2] / "examples").glob("*/expected.json"))


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_scores_as_expected(example: Path) -> None:
    result = score(load_scheme(example / "scheme.yaml"), load_data(example / "data"))
    expected = json.loads((example / "expected.json").read_text(encoding="utf-8"))
    assert result.to_json() == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_agrees_with_the_reference(example: Path) -> None:
    scheme = load_scheme(example / "scheme.yaml")
    data = load_data(example / "data")
    ref = reference_score(scheme, data)
    for row in score(scheme, data).rows():
        r = ref[row.object_id]
        assert (row.total, row.rank, row.grade, row.eligible_top) == (
            None if r.total != r.total else r.total, r.rank, r.grade, r.eligible_top), row.object_id


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_object_of_the_example_explains_down_to_its_indicators(example: Path) -> None:
    result = score(load_scheme(example / "scheme.yaml"), load_data(example / "data"))
    for row in result.rows():
        trace = explain(result, row.object_id)
        assert trace.score == row.total
        leaves = []
        stack = [trace]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if not node.children:
                leaves.append(node)
        assert leaves and all(leaf.text for leaf in leaves)
