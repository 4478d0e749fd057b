"""The scheme file (考核方案) as typed models.

A scheme holds one or more object categories (考核对象类别), each with its own indicator tree,
composition and result rules. Structural checks that need the whole tree (points adding up,
weights summing as declared, unique codes, cycles between categories) live in ``checks.py``
so that every problem can be reported at once with its place.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from jixiao.engine.scheme.base import Strict
from jixiao.engine.scheme.rules import IncidentRule, Rule

CODE_PATTERN = r"^[^\s,;:/\\]{1,40}$"
Code = Annotated[str, Field(pattern=CODE_PATTERN)]
Positive = Annotated[float, Field(gt=0)]
NonNeg = Annotated[float, Field(ge=0)]

RollupMode = Literal["mean", "sum", "last", "weighted", "pool"]


class Rollup(Strict):
    """How a node's per-period scores become its score for the whole assessment (期间汇总).

    ``mean`` averages the periods that have data (weekly → monthly); ``sum`` adds them;
    ``last`` takes the latest period with data (cumulative indicators); ``weighted`` mixes
    the listed periods by weight (mid-year 50 / year-end 50; H1 30 / year 60), a period
    without data counting zero, the weights shares of their sum or of ``out_of``; ``pool``
    pools the inputs of all periods and scores them
    once, so caps apply to the year's total (the default for incidents and ballots).
    """

    mode: RollupMode = "mean"
    weights: dict[str, Positive] | None = None
    # The weights are shares of this (半年初评 30 + 年终总评 60 of 100: the node gets 0.3 and 0.6 of
    # its periods' scores); without it they are shares of their own sum.
    out_of: Positive | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"mode": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _weights_for_weighted(self) -> Rollup:
        if self.mode == "weighted" and not self.weights:
            raise ValueError("mode 'weighted' needs weights per period")
        if self.mode != "weighted" and self.weights is not None:
            raise ValueError("weights are only for mode 'weighted'")
        if self.mode != "weighted" and self.out_of is not None:
            raise ValueError("out_of is only for mode 'weighted'")
        return self

    def weight_total(self) -> float:
        """What the weights are shares of: ``out_of``, else their sum."""
        assert self.weights is not None
        return self.out_of if self.out_of is not None else sum(self.weights.values())


Frequency = Literal["week", "month", "quarter", "half", "year"]


class Periods(Strict):
    """The periods of the assessment: listed as ``codes`` or generated from ``frequency`` and
    ``year`` (2024-01…2024-12, 2024-Q1…Q4, 2024-H1/H2, 2024-W01…, 2024)."""

    codes: list[Code] | None = None
    frequency: Frequency | None = None
    year: int | None = Field(default=None, ge=1990, le=2200)
    rollup: Rollup = Rollup()

    @model_validator(mode="after")
    def _codes_or_generator(self) -> Periods:
        if (self.codes is None) == (self.frequency is None):
            raise ValueError("give either codes or frequency (with year)")
        if self.frequency is not None and self.year is None:
            raise ValueError("frequency needs a year")
        if self.codes is not None and len(set(self.codes)) != len(self.codes):
            raise ValueError("period codes repeat")
        return self

    def resolved(self) -> list[str]:
        if self.codes is not None:
            return list(self.codes)
        y = self.year
        match self.frequency:
            case "month":
                return [f"{y}-{m:02d}" for m in range(1, 13)]
            case "quarter":
                return [f"{y}-Q{q}" for q in range(1, 5)]
            case "half":
                return [f"{y}-H1", f"{y}-H2"]
            case "week":
                import datetime as dt

                weeks = dt.date(int(y or 0), 12, 28).isocalendar().week
                return [f"{y}-W{w:02d}" for w in range(1, weeks + 1)]
            case _:
                return [str(y)]


class Node(Strict):
    """An indicator (考核指标) at any level of the tree.

    A leaf has a ``rule``; a group has ``children``. Under a plain group children carry
    ``points`` that add up to the group's; under a weighted group each child carries a
    ``weight`` and is mixed as its share of its own points (sub-scores on 100 mixed 3:3:4).
    Bonus and base-zero deduction leaves are adjustments: they carry no weight, are added
    after the mix, and the group's ``bonus_cap`` / ``deduction_cap`` limit their sum.
    ``applies_to`` limits a node to some ranking groups (a deduction for section heads only).
    """

    code: Code
    name: str = Field(default="", max_length=200)
    points: Positive | None = None
    weight: Positive | None = None
    rule: Rule | None = None
    children: list[Node] = Field(default_factory=list)
    weight_total: Positive = 100
    bonus_cap: NonNeg | None = None
    deduction_cap: NonNeg | None = None
    periods: Rollup | None = None
    bounds: tuple[float, float] | None = None
    # The ranking groups (kinds of objects) this node applies to; for the others it does not apply
    # (不适用): a bonus or deduction then simply counts nothing, a regular part is left out and its
    # group is re-based on the parts that do apply (a unit without a special project scored out of 90).
    applies_to: list[Code] | None = Field(default=None, min_length=1)
    # Descriptive fields a clerk keeps with the indicator; the engine does not score them.
    unit: str = ""
    source: str = ""
    responsible: str = ""
    co_units: list[str] = Field(default_factory=list)
    frequency: Frequency | None = None
    evidence: str = ""
    description: str = ""

    @model_validator(mode="after")
    def _leaf_or_group(self) -> Node:
        if self.rule is None and not self.children:
            raise ValueError("an indicator needs either a rule or children")
        if self.rule is not None and self.children:
            raise ValueError("an indicator has a rule or children, not both")
        if self.bounds is not None and self.bounds[0] > self.bounds[1]:
            raise ValueError("bounds low is above bounds high")
        return self

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None

    @property
    def is_adjustment(self) -> bool:
        r = self.rule
        return isinstance(r, IncidentRule) and (r.method == "bonus" or r.base == "zero")

    def walk(self) -> list[Node]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


class QuotaSpec(Strict):
    """名额: share of the group (or category) size, rounded as stated, within counts."""

    share: float = Field(gt=0, le=1)
    rounding: Literal["half_up", "floor", "ceil"] = "half_up"
    min_count: int = Field(default=0, ge=0)
    max_count: int | None = Field(default=None, ge=0)
    per: Literal["group", "category"] = "group"
    ties: Literal["include", "exclude"] = "include"
    # "3–5 名由领导酌定": the engine awards min_count places; the candidates in the places up to the
    # quota count (at most max_count) are flagged discretion:<band> for the approval step.
    discretion: bool = False

    @model_validator(mode="after")
    def _counts(self) -> QuotaSpec:
        if self.max_count is not None and self.max_count < self.min_count:
            raise ValueError("max_count is below min_count")
        if self.discretion and (self.max_count is None or self.max_count <= self.min_count):
            raise ValueError("discretion needs a max_count above min_count: the places between them are left to "
                             "the leaders")
        return self


class Band(Strict):
    """等次: a grade band from ``min`` upwards; the last band takes everything else.

    A band may instead be given by rank alone: ``count`` takes the next places from the top of
    the ranking group (一等奖 1 名、二等奖 2 名), ``last`` the places from the bottom (后 2 名为不合格).
    Places are competition ranks among the objects still to be graded: a tie across the line
    gets the better band and the next band starts after the tie. ``last`` bands are decided
    first and come after the band that takes everything else. A band with a ``quota`` may
    leave out ``min`` (only its quota limits it), with score bands below.

    ``coefficient`` (兑现系数) and ``reward`` (兑现标准) say how the grade is rewarded — e.g. 1.0 =
    one month's salary of the unit's staff (001: "奖励在编人员一个月工资"). They are printed in the
    results table (考核结果兑现表); the engine does not score them.
    """

    name: str = Field(min_length=1, max_length=20)
    min: float | None = None
    quota: QuotaSpec | None = None
    count: int | None = Field(default=None, ge=1)
    last: int | None = Field(default=None, ge=1)
    coefficient: NonNeg | None = None
    reward: str = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _one_kind(self) -> Band:
        if self.count is not None and self.last is not None:
            raise ValueError("a band takes places from the top (count) or from the bottom (last), not both")
        if (self.count is not None or self.last is not None) and (self.min is not None or self.quota is not None):
            raise ValueError("a band by places (count or last) takes no min or quota")
        return self

    @property
    def by_rank(self) -> bool:
        return self.count is not None or self.last is not None


class Grades(Strict):
    """Grade bands, highest first, by points or by percent of the category's maximum.

    ``reward_basis`` (兑现基数) names what the bands' coefficients multiply (在编人员月工资)."""

    basis: Literal["points", "percent"] = "points"
    bands: list[Band] = Field(min_length=1)
    reward_basis: str = Field(default="", max_length=200)


class Veto(Strict):
    """一票否决 / 取消评先资格: an event that forces a grade or removes top eligibility."""

    code: Code
    name: str = ""
    effect: Literal["force_grade", "no_top"]
    grade: str | None = None
    # 月度否决带入年度: its rows may name a period of another assessment (a month of this year).
    carried: bool = False

    @model_validator(mode="after")
    def _grade(self) -> Veto:
        if (self.effect == "force_grade") != (self.grade is not None):
            raise ValueError("force_grade needs a grade; no_top takes none")
        return self


class ParentValue(Strict):
    """The parent object's score or reported value of one indicator, below a threshold."""

    indicator: Code
    below: float
    measure: Literal["value", "percent"] = "value"


class RankAfter(Strict):
    """Ranked after the first ``share`` of the ranking group (排名后一半): rank > share × size, rounded."""

    share: float = Field(gt=0, lt=1)
    rounding: Literal["half_up", "floor", "ceil"] = "half_up"


class Condition(Strict):
    """When an eligibility rule applies: the parent's grade or value (``parent_category`` with
    ``parent_grade_in`` or ``parent_value``), the object's own indicator (``own_value``: 优秀必须由
    民主测评产生), or its place in the ranking (``rank_after``: 排名后一半不得评优)."""

    parent_category: Code | None = None
    parent_grade_in: list[str] | None = None
    parent_value: ParentValue | None = None
    own_value: ParentValue | None = None
    rank_after: RankAfter | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        kinds = [x is not None for x in (self.parent_grade_in, self.parent_value, self.own_value, self.rank_after)]
        if sum(kinds) != 1:
            raise ValueError("give exactly one of parent_grade_in, parent_value, own_value or rank_after")
        if (self.parent_category is None) != (self.own_value is not None or self.rank_after is not None):
            raise ValueError("parent_grade_in and parent_value need parent_category; own_value and rank_after "
                             "take none")
        return self


class Eligibility(Strict):
    """跨层级资格规则: a section's grade limits its staff; a unit's low satisfaction costs its
    heads their top eligibility (001, 002)."""

    name: str = ""
    when: Condition
    effect: Literal["no_top", "force_grade"] = "no_top"
    grade: str | None = None
    groups: list[Code] | None = None


class MultiYear(Strict):
    """多年规则: eligible when each of the last ``years`` totals is ≥ ``min_each``, or (with
    ``or_top_share``) when the sum of those years is in that top share of the group."""

    label: str = "多年资格"
    years: int = Field(default=3, ge=2, le=10)
    min_each: float
    or_top_share: float | None = Field(default=None, gt=0, le=1)
    or_top_rounding: Literal["half_up", "floor", "ceil"] = "half_up"  # how "the top half" of an odd group rounds
    # What failing does: only report (符合/不符合), or also cost top eligibility or force a grade.
    effect: Literal["report", "no_top", "force_grade"] = "report"
    grade: str | None = None

    @model_validator(mode="after")
    def _grade(self) -> MultiYear:
        if (self.effect == "force_grade") != (self.grade is not None):
            raise ValueError("force_grade needs a grade; report and no_top take none")
        return self


class BottomReport(Strict):
    """排名末位报告: the last ``count`` of a group below ``below`` are flagged (001)."""

    count: int = Field(ge=1)
    below: float


class Results(Strict):
    ranking: Literal["group", "category"] = "group"
    grades: Grades | None = None
    vetoes: list[Veto] = Field(default_factory=list)
    eligibility: list[Eligibility] = Field(default_factory=list)
    multi_year: MultiYear | None = None
    bottom_report: BottomReport | None = None


class Category(Strict):
    """考核对象类别: towns, departments, special-project units, 中层正职…; its own tree and rules.

    ``groups`` are the ranking groups (the data file's ``group`` column) whose objects belong
    to this category; by default the one group named like the category.
    """

    code: Code
    name: str = ""
    groups: list[Code] = Field(default_factory=list)
    points: Positive | None = None
    weight_total: Positive = 100
    bonus_cap: NonNeg | None = None
    deduction_cap: NonNeg | None = None
    periods: Rollup | None = None
    min_score: float | None = 0
    indicators: list[Node] = Field(min_length=1)
    results: Results = Results()

    @property
    def group_codes(self) -> list[str]:
        return self.groups or [self.code]

    def root(self, scale: float) -> Node:
        """The category as the root node of its tree."""
        return Node(
            code=self.code,
            name=self.name,
            points=self.points if self.points is not None else scale,
            children=self.indicators,
            weight_total=self.weight_total,
            bonus_cap=self.bonus_cap,
            deduction_cap=self.deduction_cap,
            periods=self.periods,
        )


class Rounding(Strict):
    """Scores round half away from zero (四舍五入) to ``decimals``.

    ``at: nodes`` (the default, what the county tables do) rounds every leaf, group and period,
    so the parts a clerk sees add up to the whole; ``at: total`` keeps exact arithmetic below the
    category total and rounds only the totals (overall and per period).
    """

    decimals: int = Field(default=2, ge=0, le=6)
    mode: Literal["half_up"] = "half_up"
    at: Literal["nodes", "total"] = "nodes"


class Scheme(Strict):
    """考核方案: the whole declarative description of one assessment."""

    code: Code
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    scale: Positive = 100
    rounding: Rounding = Rounding()
    periods: Periods
    categories: list[Category] = Field(min_length=1)

    @field_validator("code")
    @classmethod
    def _code_ascii(cls, v: str) -> str:
        if not re.match(r"^[A-Za-z0-9_.-]+$", v):
            raise ValueError("a scheme code uses letters, digits, '_', '.' or '-'")
        return v

    def category(self, code: str) -> Category:
        for c in self.categories:
            if c.code == code:
                return c
        raise KeyError(code)
