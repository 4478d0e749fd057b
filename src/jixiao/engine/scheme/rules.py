"""Scoring rules (计分方法): one typed model per method of DOMAIN.md §3.

Each rule names the input *variables* it reads from the data file; most read the single
variable ``value``. Incident rules read incident rows, rating rules read ballot rows.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from jixiao.engine.scheme.base import Strict

NonNeg = Annotated[float, Field(ge=0)]


class Challenge(Strict):
    """挑战值: reaching ``value`` earns ``bonus`` extra points (003 "设置挑战值加分").

    ``step`` gives the whole bonus once the challenge value is reached; ``linear`` gives a share
    proportional to how far the actual value went from the target towards the challenge value.
    """

    value: float
    bonus: NonNeg
    mode: Literal["step", "linear"] = "step"


class RatioRule(Strict):
    """完成率计分: at or above target full points, below it points × actual / target (001).

    Lower-is-better indicators invert the ratio (target / actual). ``target`` may be left out
    when every object reports its own negotiated target as the variable ``target``.
    ``zero_below`` gives no points at all below that completion ratio (e.g. 0.6).
    """

    method: Literal["ratio"]
    target: float | None = Field(default=None, gt=0)
    lower_is_better: bool = False
    challenge: Challenge | None = None
    zero_below: float = Field(default=0.0, ge=0, le=1)

    def variables(self) -> tuple[str, ...]:
        return ("value",) if self.target is not None else ("value", "target")


class IncidentItem(Strict):
    """One kind of incident (事项) inside a deduction or bonus rule.

    Exactly one of ``per`` (fixed points per incident), ``range`` (the reporter states the
    points per incident within [low, high], "每例扣2-5分") or ``levels`` (points by level, e.g.
    commendation by 市/省/国家) is given. ``cap`` limits this item's total.
    """

    code: str = Field(min_length=1, max_length=40)
    name: str = ""
    per: NonNeg | None = None
    range: tuple[NonNeg, NonNeg] | None = None
    levels: dict[str, NonNeg] | None = None
    cap: NonNeg | None = None

    @model_validator(mode="after")
    def _one_amount(self) -> IncidentItem:
        given = [x for x in (self.per, self.range, self.levels) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of per, range or levels")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError("range low is above range high")
        if self.levels is not None and not self.levels:
            raise ValueError("levels is empty")
        return self


class IncidentRule(Strict):
    """逐项扣分 / 按级别加分: incidents add up per item, capped per item and in total.

    ``deduction`` with ``base: full`` starts from the indicator's points and deducts (never
    below zero); with ``base: zero`` it is an adjustment (倒扣分) that subtracts from its parent.
    ``bonus`` is always an adjustment that adds to its parent. ``requires_evidence`` refuses
    incident rows without an evidence reference (加分项目以正式文件为依据).
    """

    method: Literal["deduction", "bonus"]
    items: list[IncidentItem] = Field(min_length=1)
    cap: NonNeg | None = None
    base: Literal["full", "zero"] = "full"
    requires_evidence: bool = False

    @model_validator(mode="after")
    def _checks(self) -> IncidentRule:
        codes = [i.code for i in self.items]
        if len(set(codes)) != len(codes):
            raise ValueError("item codes repeat")
        if self.method == "bonus" and self.base != "zero":
            # A bonus always adds on top; "full" makes no sense for it.
            object.__setattr__(self, "base", "zero")
        return self

    def variables(self) -> tuple[str, ...]:
        return ()


class RatingRule(Strict):
    """测评票折算: ballots by label (优秀 100 / 称职 90 / …) averaged, × points / full (002)."""

    method: Literal["rating"]
    scale: dict[str, float] = Field(min_length=1)
    full: float = Field(default=100, gt=0)

    def variables(self) -> tuple[str, ...]:
        return ()


class Tier(Strict):
    min: float
    score: NonNeg


class TiersRule(Strict):
    """满意度分档: the value falls in the first tier whose ``min`` it reaches (highest first).

    ``basis: points`` gives tier scores in points, ``share`` as a share (0–1) of the points.
    Below every tier the score is ``below``.
    """

    method: Literal["tiers"]
    tiers: list[Tier] = Field(min_length=1)
    basis: Literal["points", "share"] = "points"
    below: NonNeg = 0

    def variables(self) -> tuple[str, ...]:
        return ("value",)


class ManualRule(Strict):
    """评分人直接打分: a score within ``range`` (default 0 to the points); several raters'
    scores (rating rows with a number) are averaged."""

    method: Literal["manual"]
    range: tuple[float, float] | None = None

    def variables(self) -> tuple[str, ...]:
        return ("value",)


class PlanRule(Strict):
    """计划完成率: Σ actual points / Σ planned points × points, the ratio capped at ``cap_ratio``
    (004 weekly plans; the monthly mean of weeks is a period roll-up ``mean``)."""

    method: Literal["plan"]
    cap_ratio: float = Field(default=1.0, ge=0)

    def variables(self) -> tuple[str, ...]:
        return ("planned", "actual")


class GradeLine(Strict):
    """A grade's value computed from the score reported with it (区间内按规则取值):
    ``base + (score − from) ÷ step × per`` — 良好 = 8% + (得分 − 80) ÷ 10 × 1% is
    ``{base: 0.08, from: 80, step: 10, per: 0.01}``. ``whole`` counts only whole steps
    (每满 10 分加 1%). The value is kept within 0 and ``max`` (default: the most the indicator gives)."""

    base: float
    from_: float = Field(alias="from")
    per: float
    step: float = Field(default=1.0, gt=0)
    whole: bool = False
    max: float | None = None

    def value(self, score: float, limit: float) -> float:
        """The grade's value for one reported score (the plain reference of the engine's column)."""
        steps = (score - self.from_) / self.step
        if self.whole:
            steps = float(math.floor(steps))
        v = self.base + steps * self.per
        hi = self.max if self.max is not None else limit
        return min(max(v, 0.0), hi)


def _grade_value_kind(v: object) -> str:
    """Which form a grade's value takes; the tags read as type names, so error paths stay clean."""
    if isinstance(v, dict | GradeLine):
        return "dict"
    if isinstance(v, list | tuple):
        return "tuple[float, float]"
    return "float"


GradeValue = Annotated[
    Annotated[float, Tag("float")] | Annotated[tuple[float, float], Tag("tuple[float, float]")]
    | Annotated[GradeLine, Tag("dict")],
    Discriminator(_grade_value_kind),
]


class GradeMapRule(Strict):
    """等次折算: a grade label maps to points, to a range the rater picks from, or to a line
    over the score reported with it (专项 优秀 → 10%, 良好 → 8–9% or 8% + (得分 − 80) ÷ 10 × 1%,
    一般 → 5–6%, 差 → 0; 001). ``basis: share`` states the values as a share (0–1) of the
    indicator's points."""

    method: Literal["grade_map"]
    grades: dict[str, GradeValue] = Field(min_length=1)
    basis: Literal["points", "share"] = "points"

    def variables(self) -> tuple[str, ...]:
        return ()


class SupervisionRule(Strict):
    """督办结果: points × on-time rate (on_time / due; nothing due → full), less
    ``per_overdue`` per overdue matter and ``per_returned`` per returned matter, the
    deductions capped at ``cap`` and the score never below zero (003, 002)."""

    method: Literal["supervision"]
    per_overdue: NonNeg = 0
    per_returned: NonNeg = 0
    cap: NonNeg | None = None

    def variables(self) -> tuple[str, ...]:
        return ("due", "on_time", "overdue", "returned")


class FormulaRule(Strict):
    """自定义公式 over the indicator's variables and the constants ``points``, ``target``
    and ``challenge``; evaluated by the sandboxed evaluator, clamped to [min, max]
    (default 0 to the points)."""

    method: Literal["formula"]
    expression: str = Field(min_length=1, max_length=1000)
    variables_: list[str] = Field(default_factory=lambda: ["value"], alias="variables")
    target: float | None = None
    challenge: float | None = None
    min: float | None = None
    max: float | None = None

    def variables(self) -> tuple[str, ...]:
        return tuple(self.variables_)


class FollowRule(Strict):
    """依据上级结果: the leaf scores what the object's parent (上级, the objects table's ``parent``)
    scored in another category — its total, or one of its indicators — as a share of that
    part's points, times this leaf's points. A section head's score is the section's
    (中层正职"依据科室结果", 002): ``{method: follow, category: keshi}`` on a 100-point leaf.
    With ``of: children`` the leaf reads the objects below it instead (their mean)."""

    method: Literal["follow"]
    category: str = Field(pattern=r"^[^\s,;:/\\]{1,40}$")
    indicator: str | None = Field(default=None, pattern=r"^[^\s,;:/\\]{1,40}$")
    # Whose result: the parent's, or the mean over the objects whose parent this object is (a unit's
    # special projects); ``grades`` reads their grade as a share of this leaf's points instead of
    # their score (专项考核 优秀 → 10% of the unit's total, seed 001).
    of: Literal["parent", "children"] = "parent"
    grades: dict[str, Annotated[float, Field(ge=0, le=1)]] | None = None

    def variables(self) -> tuple[str, ...]:
        return ()


Rule = Annotated[
    RatioRule
    | IncidentRule
    | RatingRule
    | TiersRule
    | ManualRule
    | PlanRule
    | GradeMapRule
    | SupervisionRule
    | FormulaRule
    | FollowRule,
    Field(discriminator="method"),
]

RULE_METHODS = (
    "ratio",
    "deduction",
    "bonus",
    "rating",
    "tiers",
    "manual",
    "plan",
    "grade_map",
    "supervision",
    "formula",
    "follow",
)
