"""兑现 (rewards paid): money per object from the results, exact to the fen (分). Pure: no Django.

- :func:`split_pool`: a pool (奖金总额) shared by weights — the grade's coefficient (兑现系数), or
  the coefficient times the score, or the monthly score for the monthly redistribution of work
  allowances (月度绩效津贴二次分配). The largest-remainder method (最大余额法): each object gets
  the whole fen of its exact share, and the fen left over go one each to the largest remainders.
  **Tie rule**, documented and tested: equal remainders are ordered by the higher score first,
  then by the object code (ascending). The amounts always add up to the pool exactly.
- :func:`fixed_amounts`: a fixed amount per grade (兑现基数 × 系数), rounded half up to the fen.
- :func:`highest_applies`: several rewards of one object are not cumulative; the highest applies
  (不重复享受，就高不就低); equal amounts keep the first named.

A pool that is negative or not a whole number of fen is refused (:class:`RewardError`, Chinese).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

FEN = Decimal("0.01")


class RewardError(ValueError):
    """Refused input (a negative pool, an amount not in fen, a negative weight), in Chinese."""


@dataclass(frozen=True)
class Share:
    """One object's claim on a pool: its code, weight (≥ 0) and score (None when it has none)."""

    code: str
    weight: Decimal
    score: Decimal | None = None


def money(raw: str | Decimal | int) -> Decimal:
    """An amount in yuan as typed (``"12345.60"``): refused when not a number, negative, or with
    more than two decimals (not a whole number of fen)."""
    try:
        d = Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise RewardError(f"“{raw}”不是有效的金额") from None
    if not d.is_finite():
        raise RewardError(f"“{raw}”不是有效的金额")
    if d < 0:
        raise RewardError("金额不能为负数")
    if d != d.quantize(FEN):
        raise RewardError(f"金额须精确到分（最多两位小数），“{raw}”不是")
    return d.quantize(FEN)


def _key(share: Share, remainder: Fraction) -> tuple[Fraction, Decimal, str]:
    # Sorted ascending: the largest remainder first, then the higher score (none lowest), then code.
    score = share.score if share.score is not None else Decimal("-Infinity")
    return (-remainder, -score, share.code)


def split_pool(pool: Decimal, shares: Sequence[Share]) -> dict[str, Decimal]:
    """The pool shared in proportion to the weights, exact to the fen (largest remainder, tie rule
    above). Every share gets an amount (zero for a zero weight); refused when the weights are all
    zero but the pool is not, or a weight is negative, or codes repeat."""
    pool = money(pool)
    if len({s.code for s in shares}) != len(shares):
        raise RewardError("考核对象重复")
    if any(s.weight < 0 for s in shares):
        raise RewardError("分配权重（系数或得分）不能为负数")
    fen = int(pool / FEN)
    total = sum((Fraction(s.weight) for s in shares), Fraction(0))
    if total == 0:
        if fen:
            raise RewardError("没有可分配的对象：所有对象的兑现系数（或得分）均为0")
        return {s.code: Decimal("0.00") for s in shares}
    exact = [Fraction(fen) * Fraction(s.weight) / total for s in shares]
    whole = [int(q) for q in exact]  # floor: every quota is ≥ 0
    left = fen - sum(whole)
    order = sorted(range(len(shares)), key=lambda i: _key(shares[i], exact[i] - whole[i]))
    for i in order[:left]:
        whole[i] += 1
    return {s.code: (Decimal(n) * FEN).quantize(FEN) for s, n in zip(shares, whole, strict=True)}


def fixed_amounts(basis: Decimal, coefficients: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """兑现基数 × 系数 per object (code → its grade's coefficient; None: no reward), half up to the fen."""
    basis = money(basis)
    return {code: (basis * (c or Decimal(0))).quantize(FEN, rounding=ROUND_HALF_UP)
            for code, c in coefficients.items()}


def highest_applies(awards: Mapping[str, Iterable[tuple[str, Decimal]]]) -> dict[str, tuple[str, Decimal]]:
    """Per object, the one award that applies out of several (name, amount): the highest; equal
    amounts keep the first given. Objects with no award are left out."""
    out: dict[str, tuple[str, Decimal]] = {}
    for code, items in awards.items():
        best: tuple[str, Decimal] | None = None
        for name, amount in items:
            if best is None or amount > best[1]:
                best = (name, amount)
        if best is not None:
            out[code] = best
    return out
