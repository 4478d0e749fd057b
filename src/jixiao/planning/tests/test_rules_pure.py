"""The pure rules: the range of a target, the rules on submit, the coverage report against a plain
computation (Hypothesis), the calendar's reminders and lateness, a plan's totals. No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.planning import rules

D = Decimal


def test_target_range() -> None:
    r = rules.ProposalRules(min_ratio=D("1"), max_ratio=D("1.5"))
    assert rules.target_range_problem(r, D(100), D(100)) is None
    assert rules.target_range_problem(r, D(150), D(100)) is None
    assert "低于" in (rules.target_range_problem(r, D("99.9"), D(100)) or "")
    assert "高于" in (rules.target_range_problem(r, D("150.1"), D(100)) or "")
    assert rules.target_range_problem(r, None, D(100)) is None
    assert rules.target_range_problem(r, D(1), None) is None


def test_submission_rules_7_plus_2_at_most_10_all_quantified() -> None:
    r = rules.ProposalRules(max_indicators=10, min_indicators=9, require_quantified=True)
    ok = [rules.ProposalFacts(f"i{n}", f"指标{n}", D(n)) for n in range(9)]
    assert rules.submission_problems(r, ok) == []
    eleven = ok + [rules.ProposalFacts("x", "甲", D(1)), rules.ProposalFacts("y", "乙", None)]
    problems = rules.submission_problems(r, eleven)
    assert any("最多 10 项" in p for p in problems) and any("未填目标值：乙" in p for p in problems)
    assert any("至少 9 项" in p for p in rules.submission_problems(r, ok[:3]))
    assert rules.submission_problems(rules.ProposalRules(require_quantified=False), eleven) == []
    assert rules.submission_problems(r, []) == ["没有可报送的目标申报"]


amounts = st.decimals(min_value=0, max_value=1000, places=2)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[rules.Higher], dict[tuple[int, str], Decimal]]:
    objs = list(range(1, draw(st.integers(1, 5)) + 1))
    highers = []
    for n in range(draw(st.integers(0, 3))):
        split = draw(st.sampled_from(["shares", "amounts"]))
        assigned = draw(st.lists(st.sampled_from(objs), unique=True, max_size=len(objs)))
        parts = {o: (draw(st.decimals(min_value=0, max_value=1, places=2)) if split == "shares" else draw(amounts))
                 for o in assigned}
        highers.append(rules.Higher(f"ind{n}", f"指标{n}", draw(amounts), split, parts))
    targets = {(o, f"ind{n}"): draw(amounts) for o in objs for n in range(3) if draw(st.booleans())}
    return highers, targets


def plain(highers: list[rules.Higher], targets: dict[tuple[int, str], Decimal]) -> tuple[set[str], set[tuple]]:
    """The clerk's spreadsheet: which indicators someone fails to cover; who falls short of what."""
    uncovered = set()
    short = set()
    for h in highers:
        if not h.parts:
            uncovered.add(h.indicator)
        total = Decimal(0)
        for o, part in h.parts.items():
            if (o, h.indicator) not in targets:
                uncovered.add(h.indicator)
                continue
            t = targets[(o, h.indicator)]
            total += t
            need = h.total * part if h.split == "shares" else part
            if t < need:
                short.add((h.indicator, o))
        if h.parts and total < h.total:
            short.add((h.indicator, None))
    return uncovered, short


@given(worlds())
def test_coverage_matches_the_plain_computation(world: tuple[list[rules.Higher], dict]) -> None:
    highers, targets = world
    got = rules.coverage(highers, targets)
    assert ({u[0] for u in got.uncovered}, {(s.indicator, s.object_id) for s in got.shortfalls}) == plain(
        highers, targets)
    assert got.ok == (not got.uncovered and not got.shortfalls)


def test_coverage_example_split_by_shares() -> None:
    h = rules.Higher("gdp", "地区生产总值", D(1000), "shares", {1: D("0.6"), 2: D("0.4")})
    got = rules.coverage([h], {(1, "gdp"): D(600), (2, "gdp"): D(350)})
    assert got.uncovered == []
    assert [(s.object_id, s.expected, s.got) for s in got.shortfalls] == [(2, D(400), D(350)), (None, D(1000), D(950))]
    missing = rules.coverage([h], {(1, "gdp"): D(700)})
    assert missing.uncovered == [("gdp", "地区生产总值", (2,))]


def test_calendar_action_and_days_late() -> None:
    due = dt.date(2025, 4, 5)
    act = rules.calendar_action
    assert act(due=due, today=dt.date(2025, 4, 1), before=3, after=1, done=False) is None
    assert act(due=due, today=dt.date(2025, 4, 2), before=3, after=1, done=False) == "before"
    assert act(due=due, today=due, before=3, after=1, done=False) == "before"
    assert act(due=due, today=dt.date(2025, 4, 6), before=3, after=1, done=False) == "after"
    assert act(due=due, today=dt.date(2025, 4, 6), before=3, after=2, done=False) is None
    assert act(due=due, today=dt.date(2025, 4, 9), before=3, after=1, done=True) is None
    assert rules.days_late(due=due, done_on=dt.date(2025, 4, 8), today=dt.date(2025, 5, 1)) == 3
    assert rules.days_late(due=due, done_on=None, today=dt.date(2025, 4, 7)) == 2
    assert rules.days_late(due=due, done_on=dt.date(2025, 4, 1), today=dt.date(2025, 5, 1)) == 0


@given(st.lists(st.tuples(amounts, st.none() | amounts), max_size=8))
def test_plan_totals(items: list[tuple[Decimal, Decimal | None]]) -> None:
    planned, actual = rules.plan_totals(items)
    assert planned == sum((p for p, _ in items), D(0))
    assert actual == sum((a for _, a in items if a is not None), D(0))
