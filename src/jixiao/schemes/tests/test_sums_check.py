"""The sums check flags a group whose children do not add up, and passes one that does."""

import yaml

from jixiao.schemes import editor

PLAIN = """
code: s
name: s
periods: {codes: [p1]}
categories:
  - code: c
    indicators:
      - code: a
        points: 60
        children:
          - {code: a1, points: 30, rule: {method: ratio}}
          - {code: a2, points: 20, rule: {method: ratio}}
      - code: b
        points: 40
        rule: {method: ratio}
      - code: bonus
        rule: {method: bonus, items: [{code: x, per: 1}]}
"""

WEIGHTED = """
code: s
name: s
periods: {codes: [p1]}
categories:
  - code: c
    weight_total: 10
    indicators:
      - {code: a, weight: 3, points: 100, rule: {method: ratio}}
      - {code: b, weight: 3, points: 100, rule: {method: ratio}}
      - {code: d, weight: 4, points: 100, rule: {method: ratio}}
"""


def _by_code(text):
    return {s.code: s for s in editor.sums_check(yaml.safe_load(text))}


def test_a_wrong_sum_is_flagged():
    sums = _by_code(PLAIN)
    assert not sums["a"].ok and sums["a"].actual == 50 and sums["a"].declared == 60
    # the category: 60 + 40 = 100 (the bonus adjustment takes no points) — right even though a is wrong inside
    assert sums["c"].ok and sums["c"].actual == 100 and sums["c"].declared == 100


def test_a_right_sum_passes():
    sums = _by_code(PLAIN.replace("points: 20", "points: 30"))
    assert all(s.ok for s in sums.values())


def test_the_category_is_worth_the_scale_unless_it_says_otherwise():
    sums = _by_code(PLAIN.replace("points: 40", "points: 45"))
    assert not sums["c"].ok and sums["c"].actual == 105 and sums["c"].declared == 100
    text = PLAIN.replace("  - code: c\n", "  - code: c\n    points: 105\n").replace("points: 40", "points: 45")
    sums = _by_code(text)
    assert sums["c"].ok


def test_weights_add_up_to_weight_total():
    sums = _by_code(WEIGHTED)
    assert sums["c"].kind == "weights" and sums["c"].ok and sums["c"].declared == 10
    sums = _by_code(WEIGHTED.replace("weight: 4", "weight: 5"))
    assert not sums["c"].ok and sums["c"].actual == 11


def test_a_child_without_a_weight_in_a_weighted_group_is_flagged():
    sums = _by_code(WEIGHTED.replace("weight: 4, ", ""))
    assert not sums["c"].ok and sums["c"].note


def test_text_typed_for_points_is_not_a_number():
    sums = _by_code(PLAIN.replace("points: 20", "points: abc"))
    assert not sums["a"].ok and sums["a"].actual is None
