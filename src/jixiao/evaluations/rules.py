"""The arithmetic of an evaluation campaign (测评活动). Pure: no Django, no database.

Everything is exact (``fractions.Fraction``) until the one rounding at the end, which is
``ROUND_HALF_UP`` to :data:`PLACES` decimal places (4, as the ledger's ballot scores are stored):

1. **Scale** (评价标准): a rating is a label converted to points (优秀 100 / 称职 90 / 基本称职 80 /
   不称职 60; 满意 / 基本满意 / 不满意) or a number within a range (0–10). Anything else is refused.
2. **Dimensions** (测评维度, 德、能、勤、绩、廉 with weights): a ballot's score is the weighted mean of
   its dimensions' points, Σ wᵢ·pᵢ / Σ wᵢ. One overall rating is one dimension of weight 1.
3. **Trimmed mean** (去掉最高、最低): per rater group and object, the ``floor(n × p / 100)`` highest
   and as many lowest ballots are dropped (the count dropped is rounded *down*: 9 ballots at 10 %
   drop none, 10 ballots drop one at each end), then the mean of the rest.
4. **Minimum group size** k (default 5): a rater group with fewer than k ballots for an object shows
   no result (protects the few raters' anonymity) and does *not* count toward the object's
   aggregate; the remaining groups' weights are renormalised. An object with no group of k or more
   ballots has no aggregate at all (nothing is written to the ledger for it).
5. **Aggregate per object**: Σ w_g·mean_g / Σ w_g over the groups that count.

Who rates whom is in :mod:`jixiao.evaluations.who_rates`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

PLACES = 4
BALLOT_PLACES = 6  # a ballot's weighted score is stored to 6 dp (exact for weights of up to 6 dp and 2 dims)
MIN_GROUP_DEFAULT = 5
MAX_TRIM = 40  # percent at each end


class RuleError(ValueError):
    """A rating or a setting the rules refuse; the message is for the user (Chinese)."""


def quantize(x: Fraction, places: int = PLACES) -> Decimal:
    """``x`` rounded half away from zero (Decimal's ROUND_HALF_UP) to ``places`` decimals, exactly."""
    scaled = abs(x) * 10 ** places
    whole = math.floor(scaled + Fraction(1, 2))
    d = Decimal(whole).scaleb(-places)
    return -d if x < 0 else d


def as_fraction(d: Decimal | int | str) -> Fraction:
    return Fraction(Decimal(d) if isinstance(d, str) else d)


# --- 1. Scale -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scale:
    """评价标准: labels with their points, in the order shown, or a number range ``low``–``high``."""

    labels: tuple[tuple[str, Decimal], ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None

    def __post_init__(self) -> None:
        if self.labels:
            names = [n for n, _ in self.labels]
            if len(set(names)) != len(names) or any(not n.strip() for n in names):
                raise RuleError("评价等次名称不能为空或重复")
        elif self.low is None or self.high is None or self.low >= self.high:
            raise RuleError("请填写评价等次，或分数范围（最低分小于最高分）")

    @property
    def numeric(self) -> bool:
        return not self.labels

    @property
    def full(self) -> Decimal:
        """The most points a rating can give (满分基准)."""
        if self.labels:
            return max(p for _, p in self.labels)
        assert self.high is not None
        return self.high

    def points(self, rating: str) -> Decimal:
        """The points of a rating; a label not on the scale or a number outside it is refused."""
        text = str(rating).strip()
        if self.labels:
            for name, pts in self.labels:
                if name == text:
                    return pts
            raise RuleError(f"评价须为 {' / '.join(n for n, _ in self.labels)}")
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise RuleError(f"“{text}”不是分数") from None
        assert self.low is not None and self.high is not None
        if not d.is_finite() or d < self.low or d > self.high:
            raise RuleError(f"评分须在 {self.low:f} 至 {self.high:f} 之间")
        return d

    def as_json(self) -> dict[str, object]:
        if self.labels:
            return {"labels": [[n, format(p, "f")] for n, p in self.labels]}
        return {"low": format(self.low, "f"), "high": format(self.high, "f")}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Scale:
        labels = data.get("labels")
        if labels:
            return cls(labels=tuple((str(n), Decimal(str(p))) for n, p in labels))  # type: ignore[attr-defined]
        return cls(low=Decimal(str(data.get("low"))), high=Decimal(str(data.get("high"))))


def parse_scale(text: str) -> Scale:
    """A scale typed by the office: one label a line ``优秀 = 100``, or one range ``0-10`` / ``0~10``."""
    lines = [ln.strip() for ln in text.replace("，", "\n").replace(",", "\n").splitlines() if ln.strip()]
    if len(lines) == 1 and "=" not in lines[0]:
        for sep in ("~", "～", "-", "—", "至"):
            if sep in lines[0]:
                lo, _, hi = lines[0].partition(sep)
                try:
                    return Scale(low=Decimal(lo.strip()), high=Decimal(hi.strip()))
                except InvalidOperation:
                    break
        raise RuleError("分数范围应写作 0-10")
    labels = []
    for ln in lines:
        name, eq, pts = ln.replace("＝", "=").partition("=")
        try:
            value = Decimal(pts.strip())
        except InvalidOperation:
            value = Decimal("NaN")
        if not eq or not value.is_finite():
            raise RuleError(f"“{ln}”应写作 等次 = 分数")
        labels.append((name.strip(), value))
    return Scale(labels=tuple(labels))


def scale_text(scale: Scale) -> str:
    if scale.labels:
        return "\n".join(f"{n} = {p.normalize():f}" for n, p in scale.labels)
    return f"{scale.low:f}-{scale.high:f}"


# --- 2. Weights (dimensions, rater groups) --------------------------------------------------------

def parse_weights(text: str, *, what: str) -> tuple[tuple[str, Decimal], ...]:
    """Named weights typed one a line ``德 = 0.2`` (a name alone weighs 1)."""
    out = []
    for ln in (x.strip() for x in text.replace("，", "\n").replace(",", "\n").splitlines()):
        if not ln:
            continue
        name, eq, w = ln.replace("＝", "=").partition("=")
        try:
            weight = Decimal(w.strip()) if eq else Decimal(1)
        except InvalidOperation:
            raise RuleError(f"{what}“{ln}”的权重不是数字") from None
        if not weight.is_finite() or weight <= 0:
            raise RuleError(f"{what}“{name.strip()}”的权重须大于 0")
        out.append((name.strip(), weight))
    names = [n for n, _ in out]
    if not out or len(set(names)) != len(names) or any(not n for n in names):
        raise RuleError(f"请填写{what}，名称不能重复")
    return tuple(out)


def ballot_score(ratings: Mapping[str, str], dimensions: Sequence[tuple[str, Decimal]], scale: Scale) -> Fraction:
    """A ballot's score: the weighted mean of its dimensions' points. Every dimension must be rated."""
    missing = [d for d, _ in dimensions if not str(ratings.get(d, "")).strip()]
    if missing:
        raise RuleError(f"请评价：{'、'.join(missing)}")
    extra = set(ratings) - {d for d, _ in dimensions}
    if extra:
        raise RuleError(f"没有测评维度：{'、'.join(sorted(extra))}")
    total = sum((as_fraction(w) * as_fraction(scale.points(ratings[d])) for d, w in dimensions), Fraction(0))
    return total / sum((as_fraction(w) for _, w in dimensions), Fraction(0))


# --- 3. Trimmed mean ------------------------------------------------------------------------------

def dropped_each_end(n: int, trim_pct: Decimal | int) -> int:
    """How many ballots the trimmed mean drops at each end: ``floor(n × p / 100)`` (rounded down)."""
    pct = as_fraction(trim_pct)
    if pct < 0 or pct > MAX_TRIM:
        raise RuleError(f"去掉最高、最低的比例须在 0 至 {MAX_TRIM}% 之间")
    return math.floor(n * pct / 100)


def expand(scores: Iterable[tuple[Fraction, int]]) -> list[Fraction]:
    """(score, count) pairs (a paper tally counts many ballots of one label) as sorted scores."""
    out: list[Fraction] = []
    for s, c in scores:
        if c < 0:
            raise RuleError("票数不能为负")
        out.extend([s] * c)
    out.sort()
    return out


def trimmed_mean(scores: Sequence[Fraction], trim_pct: Decimal | int) -> Fraction | None:
    """The mean after dropping :func:`dropped_each_end` at each end of the sorted ``scores``."""
    ordered = sorted(scores)
    cut = dropped_each_end(len(ordered), trim_pct)
    kept = ordered[cut:len(ordered) - cut]
    if not kept:
        return None
    return sum(kept, Fraction(0)) / len(kept)


# --- 4./5. Groups and the aggregate ---------------------------------------------------------------

@dataclass(frozen=True)
class GroupResult:
    """One rater group's result for one object: ``mean`` is None when ``n`` < k (shown as 不足 k 票)."""

    n: int
    mean: Fraction | None

    @property
    def counts(self) -> bool:
        return self.mean is not None


@dataclass(frozen=True)
class ObjectResult:
    """An object's aggregate (None when no group reached k ballots) and each group's result."""

    score: Decimal | None
    exact: Fraction | None
    groups: dict[Hashable, GroupResult] = field(default_factory=dict)

    @property
    def ballots(self) -> int:
        return sum(g.n for g in self.groups.values())


def group_result(scores: Sequence[Fraction], *, min_group: int, trim_pct: Decimal | int) -> GroupResult:
    if min_group < 1:
        raise RuleError("最少票数须至少为 1")
    n = len(scores)
    if n < min_group:
        return GroupResult(n=n, mean=None)
    return GroupResult(n=n, mean=trimmed_mean(scores, trim_pct))


def aggregate(groups: Mapping[Hashable, tuple[Decimal, Sequence[Fraction]]], *, min_group: int = MIN_GROUP_DEFAULT,
              trim_pct: Decimal | int = 0) -> ObjectResult:
    """An object's aggregate from ``{group: (weight, scores)}``: Σ w·mean / Σ w over the groups with
    at least ``min_group`` ballots, rounded half up to :data:`PLACES` decimals."""
    results = {g: group_result(s, min_group=min_group, trim_pct=trim_pct) for g, (_, s) in groups.items()}
    num, den = Fraction(0), Fraction(0)
    for g, (w, _) in groups.items():
        r = results[g]
        if r.mean is not None:
            wf = as_fraction(w)
            if wf <= 0:
                continue
            num += wf * r.mean
            den += wf
    if den == 0:
        return ObjectResult(score=None, exact=None, groups=results)
    exact = num / den
    return ObjectResult(score=quantize(exact), exact=exact, groups=results)


def convert(score: Decimal, *, full: Decimal, points: Decimal, low: Decimal = Decimal(0)) -> Decimal:
    """A campaign score on its own scale (out of ``full``) as a score of the indicator it feeds
    (直接计分), mapped onto ``low`` … ``points`` (the indicator's ``range`` when it sets one, else
    0 to its points): low + score × (points − low) ÷ full, rounded half up to :data:`PLACES`
    decimals."""
    if full <= 0:
        raise RuleError("评价标准的满分须大于 0")
    lo = as_fraction(low)
    return quantize(lo + as_fraction(score) * (as_fraction(points) - lo) / as_fraction(full))


def turnout(cast: int, expected: int) -> Decimal | None:
    """参评率 as a percentage to one decimal (None when nobody was expected)."""
    if expected <= 0:
        return None
    return quantize(Fraction(100 * cast, expected), 1)
