"""The column-wise engine equals the plain per-value reference on random schemes and data."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from jixiao.engine.reference import reference_score
from jixiao.engine.score import score
from tests.engine.strategies import build_scheme, datasets, scheme_dicts


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or a == b


@given(st.data())
def test_engine_equals_reference(data: st.DataObject) -> None:
    scheme = build_scheme(data.draw(scheme_dicts(follow=True, eligibility=True)))
    ds = data.draw(datasets(scheme))
    engine = {r.object_id: r for r in score(scheme, ds).rows()}
    ref = reference_score(scheme, ds)
    assert set(engine) == set(ref)
    for oid, r in engine.items():
        x = ref[oid]
        assert _same(r.total, x.total), (oid, r.total, x.total)
        for code, v in x.components.items():
            assert _same(r.components[code], v), (oid, code, r.components[code], v)
        assert (r.rank, r.grade, r.eligible_top, r.vetoed) == (x.rank, x.grade, x.eligible_top, x.vetoed), oid
