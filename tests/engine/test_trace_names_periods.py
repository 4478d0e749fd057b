"""The trace words periods by the names it is given (the engine stays free of the database: the
caller passes code → name); every period row keeps its code, and without names the codes show."""

from __future__ import annotations

from pathlib import Path

from jixiao.engine.data import load_data
from jixiao.engine.scheme.loader import load_scheme
from jixiao.engine.score import score
from jixiao.engine.trace import TraceNode, explain

EXAMPLE = Path(__file__).parents[2] / "examples" / "zhengding"


def _nodes(node: TraceNode) -> list[TraceNode]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children)
    return out


def test_periods_are_named_in_the_text_and_rows_keep_their_codes() -> None:
    result = score(load_scheme(EXAMPLE / "scheme.yaml"), load_data(EXAMPLE / "data"))
    obj = result.rows()[0].object_id
    codes = list(result.scheme.periods)
    names = {code: f"第{i + 1}期" for i, code in enumerate(codes)}
    named = _nodes(explain(result, obj, names))
    plain = _nodes(explain(result, obj))
    rows = [p for n in named for p in n.periods]
    assert rows and {p["period"] for p in rows} <= set(codes) and {p["name"] for p in rows} <= set(names.values())
    texts = " ".join(n.text for n in named) + " ".join(p["text"] for p in rows)
    assert not any(code in texts for code in codes) and names["2024-mid"] in texts
    assert any(code in " ".join(n.text for n in plain) for code in codes)
    assert [n.score for n in named] == [n.score for n in plain]
