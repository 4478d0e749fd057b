"""兑现 by the largest remainder: exact to the fen against a plain integer reference."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.outcomes.rewards import RewardError, Share, fixed_amounts, highest_applies, money, split_pool


def reference(pool_fen: int, shares: list[tuple[str, int, int]]) -> dict[str, int]:
    """Plain integers: weights in thousandths, scores in hundredths; Hamilton's method with the
    tie rule (larger remainder, then higher score, then code)."""
    total = sum(w for _, w, _ in shares)
    floors = {c: pool_fen * w // total for c, w, _ in shares}
    rems = {c: pool_fen * w % total for c, w, _ in shares}
    left = pool_fen - sum(floors.values())
    ranked = sorted(shares, key=lambda s: (-rems[s[0]], -s[2], s[0]))
    for c, _, _ in ranked[:left]:
        floors[c] += 1
    return floors


share_lists = st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 10000)), min_size=1, max_size=30)


@given(pool_fen=st.integers(0, 10**9), raw=share_lists)
def test_item_38_amounts_add_up_to_the_pool_and_equal_the_reference(pool_fen: int, raw: list[tuple[int, int]]) -> None:
    shares = [(f"o{i:02d}", w, s) for i, (w, s) in enumerate(raw)]
    if sum(w for _, w, _ in shares) == 0:
        shares[0] = (shares[0][0], 1000, shares[0][2])
    got = split_pool(Decimal(pool_fen) / 100, [Share(c, Decimal(w) / 1000, Decimal(s) / 100) for c, w, s in shares])
    assert sum(got.values()) == Decimal(pool_fen) / 100
    assert all(v == v.quantize(Decimal("0.01")) and v >= 0 for v in got.values())
    ref = reference(pool_fen, shares)
    assert {c: int(v * 100) for c, v in got.items()} == ref


def test_tie_rule_larger_remainder_then_higher_score_then_code() -> None:
    # 1 fen over three equal weights: the higher score gets it; among equal scores the lower code.
    got = split_pool(Decimal("0.01"), [Share("b", Decimal(1), Decimal(80)), Share("a", Decimal(1), Decimal(80)),
                                       Share("c", Decimal(1), Decimal(90))])
    assert got == {"b": Decimal("0.00"), "a": Decimal("0.00"), "c": Decimal("0.01")}
    got = split_pool(Decimal("0.02"), [Share("b", Decimal(1), Decimal(80)), Share("a", Decimal(1), Decimal(80)),
                                       Share("c", Decimal(1), Decimal(90))])
    assert got == {"b": Decimal("0.00"), "a": Decimal("0.01"), "c": Decimal("0.01")}


@pytest.mark.parametrize("raw", ["-1", "100.001", "abc", "NaN", "1e400x"])
def test_a_negative_pool_or_not_in_fen_is_refused(raw: str) -> None:
    with pytest.raises(RewardError):
        split_pool(raw, [Share("a", Decimal(1))])  # type: ignore[arg-type]


def test_refusals_speak_chinese() -> None:
    with pytest.raises(RewardError, match="负数"):
        money("-5")
    with pytest.raises(RewardError, match="精确到分"):
        money("1.234")
    with pytest.raises(RewardError, match="均为0"):
        split_pool(Decimal("10"), [Share("a", Decimal(0))])


def test_fixed_amounts_and_the_highest_applies() -> None:
    assert fixed_amounts(Decimal("5000"), {"a": Decimal(1), "b": Decimal("0.5"), "c": None}) == {
        "a": Decimal("5000.00"), "b": Decimal("2500.00"), "c": Decimal("0.00")}
    got = highest_applies({"a": [("年度先进", Decimal(5000)), ("专项奖", Decimal(3000))],
                           "b": [("专项奖", Decimal(3000)), ("单项奖", Decimal(3000))], "c": []})
    assert got == {"a": ("年度先进", Decimal(5000)), "b": ("专项奖", Decimal(3000))}
