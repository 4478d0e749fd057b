"""A scheme that does not add up is refused, with every problem placed at its file line."""

from __future__ import annotations

import pytest

from jixiao.engine.scheme.loader import SchemeError, parse_scheme_text

GOOD = """\
code: s1
name: 测试方案
periods: {frequency: quarter, year: 2024}
categories:
  - code: towns
    indicators:
      - code: A
        points: 60
        children:
          - code: A1
            points: 30
            rule: {method: ratio, target: 10}
          - code: A2
            points: 30
            rule: {method: manual}
      - code: B
        points: 40
        rule: {method: formula, expression: "min(value, points)"}
    results:
      grades:
        bands:
          - {name: 先进, min: 90, quota: {share: 0.25}}
          - {name: 合格, min: 60}
          - {name: 不合格}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(text, filename="s.yaml")
    return [str(p) for p in e.value.problems]


def test_the_good_scheme_loads() -> None:
    scheme = parse_scheme_text(GOOD)
    assert scheme.categories[0].indicators[0].children[1].code == "A2"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("          - code: A2\n            points: 30", "          - code: A2\n            points: 20",
     "s.yaml:8: categories.0.indicators.0.points: the children's points add up to 50, not 60"),
    ("rule: {method: ratio, target: 10}", "rule: {method: ratio, target: -1}",
     "s.yaml:12: categories.0.indicators.0.children.0.rule.target: Input should be greater than 0"),
    ("min(value, points)", "min(value, bogus)",
     "s.yaml:18: categories.0.indicators.1.rule.expression: unknown variable 'bogus' at position 12"),
    ("quota: {share: 0.25}", "quota: {share: 1.5}",
     "s.yaml:22: categories.0.results.grades.bands.0.quota.share: Input should be less than or equal to 1"),
    ("rule: {method: manual}", "rule: {method: manul}", "s.yaml:15: categories.0.indicators.0.children.1.rule"),
    ("code: A2", "code: A1", "s.yaml:13: categories.0.indicators.0.children.1.code: indicator code 'A1' repeats"),
    ("points: 40", "points: 40\n        pionts: 3", "s.yaml:18: categories.0.indicators.1.pionts: unknown field"),
    ("- {name: 合格, min: 60}", "- {name: 合格, min: 95}",
     "categories.0.results.grades.bands.1.min: bands go from the highest down"),
])
def test_each_problem_is_placed(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    found = problems(GOOD.replace(old, new))
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("points: 40", "points: 30").replace("min(value, points)", "nope(value)")
    found = problems(text)
    assert len(found) >= 2
    assert any("unknown function" in p for p in found)
    assert any("add up to 90" in p for p in found)


def test_weights_must_sum_as_declared() -> None:
    text = GOOD.replace("""      - code: A
        points: 60
        children:
          - code: A1
            points: 30""", """      - code: A
        points: 60
        children:
          - code: A1
            weight: 70
            points: 30""").replace("""          - code: A2
            points: 30""", """          - code: A2
            weight: 20
            points: 30""")
    assert any("weights add up to 90, not the declared weight_total 100" in p for p in problems(text))


def test_a_negative_cap_is_refused() -> None:
    text = GOOD.replace("rule: {method: manual}",
                        "rule: {method: deduction, cap: -2, items: [{code: x, per: 1}]}")
    assert any("cap: Input should be greater than or equal to 0" in p for p in problems(text))


def test_a_cycle_between_categories_is_refused() -> None:
    text = GOOD + """      eligibility:
        - when: {parent_category: staff, parent_grade_in: [不合格]}
  - code: staff
    indicators:
      - {code: S1, points: 100, rule: {method: manual}}
    results:
      grades:
        bands: [{name: 优秀, min: 90}, {name: 不合格}]
      eligibility:
        - when: {parent_category: towns, parent_grade_in: [不合格]}
"""
    assert any("form a cycle between categories: staff → towns → staff" in p or
               "form a cycle between categories: towns → staff → towns" in p for p in problems(text))


def test_not_yaml_is_placed() -> None:
    found = problems("code: [unclosed\nname: x\n")
    assert found[0].startswith("s.yaml:") and "not valid YAML" in found[0]


def test_a_missing_required_field_is_named() -> None:
    found = problems(GOOD.replace("name: 测试方案\n", ""))
    assert any("s.yaml:1: name: Field required" in p for p in found), found
    formula = 'rule: {method: formula, expression: "min(value, points)"}'
    found = problems(GOOD.replace(formula, "rule: {method: formula}"))
    assert any("categories.0.indicators.1.rule.expression: Field required" in p for p in found), found


def test_infinite_and_nan_numbers_are_refused() -> None:
    assert any("points" in p and "finite" in p for p in problems(GOOD.replace("points: 40", "points: .inf")))
    found = problems(GOOD.replace("rule: {method: manual}", "rule: {method: manual}\n            bounds: [.nan, 1]"))
    assert any("bounds" in p for p in found), found
