"""The campaign arithmetic (rules.py) against a plain reference written the obvious way: sort,
slice, add, divide, with Python fractions; rounded half up with Decimal at the end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.evaluations import rules


def ref_trimmed(scores: list[Fraction], pct: int) -> Fraction | None:
    s = sorted(scores)
    cut = (len(s) * pct) // 100
    kept = s[cut:len(s) - cut] if cut else s
    return sum(kept) / len(kept) if kept else None


def ref_aggregate(groups: dict[str, tuple[int, list[Fraction]]], k: int, pct: int) -> Decimal | None:
    num = den = Fraction(0)
    for w, scores in groups.values():
        if len(scores) >= k:
            m = ref_trimmed(scores, pct)
            if m is not None:
                num += w * m
                den += w
    if den == 0:
        return None
    exact = num / den
    # Decimal's own ROUND_HALF_UP on a long enough expansion of the exact value
    q = Decimal(exact.numerator) / Decimal(exact.denominator) if exact.denominator == 1 else None
    if q is None:
        from decimal import localcontext
        with localcontext() as ctx:
            ctx.prec = 80
            q = Decimal(exact.numerator) / Decimal(exact.denominator)
    return q.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


points = st.sampled_from([Fraction(100), Fraction(90), Fraction(80), Fraction(60)]) | st.integers(0, 100).map(
    lambda n: Fraction(n, 10))
group = st.tuples(st.integers(1, 5), st.lists(points, max_size=30))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["领导", "同级", "下级", "群众"]), group, max_size=4),
       st.integers(1, 8), st.integers(0, 40))
def test_aggregate_matches_the_reference(groups: dict[str, tuple[int, list[Fraction]]], k: int, pct: int) -> None:
    got = rules.aggregate({g: (Decimal(w), s) for g, (w, s) in groups.items()}, min_group=k, trim_pct=pct)
    assert got.score == ref_aggregate(groups, k, pct)
    for g, (_, s) in groups.items():
        r = got.groups[g]
        assert r.n == len(s)
        assert (r.mean is None) == (len(s) < k)  # a small group shows no result


@settings(max_examples=300, deadline=None)
@given(st.lists(points, min_size=1, max_size=60), st.integers(0, 40))
def test_trimmed_mean_matches_the_reference(scores: list[Fraction], pct: int) -> None:
    assert rules.trimmed_mean(scores, pct) == ref_trimmed(scores, pct)


def test_the_count_dropped_is_rounded_down() -> None:
    assert rules.dropped_each_end(9, 10) == 0
    assert rules.dropped_each_end(10, 10) == 1
    assert rules.dropped_each_end(19, 10) == 1
    assert rules.dropped_each_end(20, 10) == 2


def test_item_34_a_small_group_does_not_count_toward_the_aggregate() -> None:
    few = [Fraction(60)] * 4
    many = [Fraction(100)] * 5
    r = rules.aggregate({"a": (Decimal(1), few), "b": (Decimal(1), many)}, min_group=5)
    assert r.score == Decimal("100.0000")
    assert r.groups["a"].mean is None and r.groups["a"].n == 4
    assert rules.aggregate({"a": (Decimal(1), few)}, min_group=5).score is None


def test_scale_refuses_what_is_not_on_it() -> None:
    s = rules.parse_scale("优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60")
    assert s.points("称职") == 90
    with pytest.raises(rules.RuleError, match="评价须为 优秀 / 称职 / 基本称职 / 不称职"):
        s.points("良好")
    n = rules.parse_scale("0-10")
    assert n.points("7.5") == Decimal("7.5")
    with pytest.raises(rules.RuleError, match="评分须在 0 至 10 之间"):
        n.points("11")
    with pytest.raises(rules.RuleError):
        n.points("很好")


def test_dimension_weights() -> None:
    s = rules.parse_scale("优秀 = 100\n称职 = 90")
    dims = rules.parse_weights("德 = 0.2\n能 = 0.2\n勤 = 0.2\n绩 = 0.3\n廉 = 0.1", what="测评维度")
    got = rules.ballot_score({"德": "优秀", "能": "称职", "勤": "称职", "绩": "优秀", "廉": "称职"}, dims, s)
    assert got == Fraction(100 * 2 + 90 * 2 + 90 * 2 + 100 * 3 + 90 * 1, 10)
    with pytest.raises(rules.RuleError, match="请评价：廉"):
        rules.ballot_score({"德": "优秀", "能": "称职", "勤": "称职", "绩": "优秀"}, dims, s)


def test_rounding_is_half_up_to_four_places() -> None:
    assert rules.quantize(Fraction(1, 8)) == Decimal("0.1250")
    assert rules.quantize(Fraction(5, 100000)) == Decimal("0.0001")
    assert rules.quantize(Fraction(-5, 100000)) == Decimal("-0.0001")
    assert rules.convert(Decimal("90"), full=Decimal("100"), points=Decimal("30")) == Decimal("27.0000")


def test_a_score_maps_onto_the_indicator_s_range() -> None:
    """直接计分 onto an indicator whose manual ``range`` is 6–10 (not 0 to its points): the lowest
    campaign score gives 6, full marks 10, 90 of 100 gives 6 + 0.9 × 4 = 9.6."""
    assert rules.convert(Decimal("90"), full=Decimal("100"), points=Decimal("10"), low=Decimal("6")) == Decimal("9.6")
    assert rules.convert(Decimal("0"), full=Decimal("100"), points=Decimal("10"), low=Decimal("6")) == Decimal("6")
    assert rules.convert(Decimal("100"), full=Decimal("100"), points=Decimal("10"), low=Decimal("6")) == Decimal("10")


def test_the_catalog_carries_a_manual_range() -> None:
    from jixiao.schemes.catalog import catalog_for

    text = """
code: r
name: 范围
periods: {frequency: year, year: 2024}
categories:
  - code: c
    name: 类别
    indicators:
      - {code: lead, name: 领导评估, points: 10, rule: {method: manual, range: [6, 10]}}
      - {code: peer, name: 互评, points: 90, rule: {method: manual}}
"""
    cat = catalog_for(text).categories["c"]
    leaves = {lf.code: lf for lf in cat.leaves}
    assert leaves["lead"].score_range == (6.0, 10.0) and leaves["peer"].score_range is None
