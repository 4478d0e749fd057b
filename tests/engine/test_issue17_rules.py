"""Issue 17's rules one by one, each on a small hand-checked case, engine and reference side by side."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from jixiao.engine.data import DataSet
from jixiao.engine.reference import reference_score
from jixiao.engine.scheme.loader import SchemeError, parse_scheme_text
from jixiao.engine.score import ScoreResult, score
from jixiao.engine.trace import explain


def values(rows: list[tuple[str, str, str, str, float]], objects: list[tuple[str, str]] | None = None) -> DataSet:
    """Values rows (object, group, indicator, period, value); objects (object, group) when given."""
    frame = pl.DataFrame(rows, schema=["object", "group", "indicator", "period", "value"], orient="row")
    kw: dict[str, Any] = {}
    if objects is not None:
        kw = {"objects": pl.DataFrame({"object": [o for o, _ in objects], "name": [o for o, _ in objects],
                                       "group": [g for _, g in objects], "parent": [None] * len(objects)},
                                      schema={"object": pl.String, "name": pl.String, "group": pl.String,
                                              "parent": pl.String}),
              "has_objects": True}
    return DataSet(values=frame, **kw)


def run(text: str, ds: DataSet) -> ScoreResult:
    """Score with the engine and check the reference agrees on totals, components and grades."""
    scheme = parse_scheme_text(text)
    result = score(scheme, ds)
    ref = reference_score(scheme, ds)
    for r in result.rows():
        x = ref[r.object_id]
        assert (r.total, r.grade) == (None if x.total != x.total else x.total, x.grade), r.object_id
        for code, v in x.components.items():
            got = r.components[code]
            assert (got is None and v != v) or got == v, (r.object_id, code, got, v)
    return result


def problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as e:
        parse_scheme_text(text, filename="s.yaml")
    return [str(p) for p in e.value.problems]


# --- item 14: rounding of the total only -------------------------------------------------------

ROUNDING = """\
code: r
name: 舍入
rounding: {decimals: 2, at: %s}
periods: {codes: [Y]}
categories:
  - code: c
    indicators:
      - {code: a, points: 50, rule: {method: ratio, target: 3}}
      - {code: b, points: 50, rule: {method: ratio, target: 3}}
"""


def test_rounding_every_node_or_only_the_total() -> None:
    ds = values([("x", "c", "a", "Y", 1.0), ("x", "c", "b", "Y", 1.0)])
    # Every node: 50 × 1/3 = 16.6667 → 16.67 each, 33.34 in all.
    nodes = run(ROUNDING % "nodes", ds).rows()[0]
    assert (nodes.total, nodes.components["a"]) == (33.34, 16.67)
    # Total only: 16.666…6 + 16.666…6 = 33.333… → 33.33; the parts stay exact.
    result = run(ROUNDING % "total", ds)
    row = result.rows()[0]
    assert row.total == 33.33 and row.components["a"] == pytest.approx(50 / 3, abs=1e-12)
    trace = explain(result, "x")
    assert "16.6666666667" in trace.children[0].text  # the trace shows the exact part to ten places
    assert trace.text.endswith("= 33.33分")


def test_rounding_at_is_checked() -> None:
    assert any("rounding.at" in p and "'nodes' or 'total'" in p for p in problems(ROUNDING % "leaves"))


# --- items 6 and 9: parts that do not apply, per object or per kind of object ---------------------

APPLIES = """\
code: na
name: 不适用
periods: {codes: [Y]}
categories:
  - code: unit
    groups: [unit, head]
    indicators:
      - {code: work, points: 60, rule: {method: manual}}
      - {code: pub, points: 30, rule: {method: manual}}
      - {code: zx, name: 专项, points: 10, rule: {method: manual}}
      - code: kq
        name: 考勤扣分（只对负责人）
        applies_to: [head]
        rule: {method: deduction, base: zero, items: [{code: late, per: 1}]}
"""


def _na_data(not_applicable: dict[str, str]) -> DataSet:
    objs = [("a", "unit"), ("b", "unit"), ("h", "head")]
    rows = [(o, g, ind, "Y", v) for o, g in objs for ind, v in (("work", 54.0), ("pub", 27.0), ("zx", 8.0))
            if not (o == "b" and ind == "zx")]
    ds = values(rows, objs)
    incidents = pl.DataFrame({"object": ["a", "h"], "indicator": ["kq", "kq"], "item": ["late", "late"],
                              "period": ["Y", "Y"]})
    objects = ds.objects.with_columns(pl.Series("not_applicable", [not_applicable.get(o) for o, _ in objs]))
    return DataSet(values=ds.values, incidents=incidents, objects=objects, has_objects=True)


def test_a_part_that_does_not_apply_rebases_the_total() -> None:
    result = run(APPLIES, _na_data({"b": "zx"}))
    rows = {r.object_id: r for r in result.rows()}
    # a: 54 + 27 + 8 = 89; the deduction is for heads only, so a's late row counts nothing.
    assert rows["a"].total == 89 and rows["a"].components["kq"] is None
    # b has no special project: (54 + 27) × 100 ÷ 90 = 90, not 81 with a zero.
    assert rows["b"].total == 90 and "not_applicable:zx" in rows["b"].flags and rows["b"].components["zx"] is None
    # h: 89 − 1 (late, for heads).
    assert rows["h"].total == 88
    trace = explain(result, "b")
    assert "× 100 ÷ 90（不适用：专项，按适用部分折算）" in trace.text
    assert trace.children[2].text == "不适用（按其余部分折算）"


def test_applies_but_no_data_is_zero_and_flagged() -> None:
    rows = {r.object_id: r for r in run(APPLIES, _na_data({})).rows()}
    assert rows["b"].total == 81 and "missing:zx" in rows["b"].flags


def test_not_applicable_codes_are_checked_against_the_category() -> None:
    from jixiao.engine.data import DataError
    with pytest.raises(DataError) as e:
        score(parse_scheme_text(APPLIES), _na_data({"b": "zx、nosuch"}))
    assert "column not_applicable: nosuch is not an indicator of this object's category" in str(e.value)


def test_applies_to_is_checked() -> None:
    bad = APPLIES.replace("applies_to: [head]", "applies_to: [heads]")
    assert any("categories.0.indicators.3.applies_to.0: group 'heads' is not a group of this category" in p
               for p in problems(bad))
    none = APPLIES.replace("{code: work, points: 60,", "{code: work, points: 60, applies_to: [unit],") \
        .replace("{code: pub, points: 30,", "{code: pub, points: 30, applies_to: [unit],") \
        .replace("{code: zx, name: 专项, points: 10,", "{code: zx, name: 专项, points: 10, applies_to: [unit],")
    assert any("no indicator applies to group 'head'" in p for p in problems(none))


# --- item 13: period weights that do not add up to the whole -----------------------------------

OUT_OF = """\
code: w
name: 权重
periods: {codes: [H1, Y]}
categories:
  - code: c
    indicators:
      - code: a
        points: 90
        periods: {mode: weighted, weights: {H1: 30, Y: 60}%s}
        rule: {method: manual}
      - {code: b, points: 10, rule: {method: manual}}
"""


def test_period_weights_out_of_the_whole() -> None:
    ds = values([("x", "c", "a", "H1", 80.0), ("x", "c", "a", "Y", 90.0), ("x", "c", "b", "Y", 10.0)])
    # Normalised (the default): 80 × 1/3 + 90 × 2/3 = 86.67.
    assert run(OUT_OF % "", ds).rows()[0].components["a"] == 86.67
    # Out of 100: 80 × 0.3 + 90 × 0.6 = 78.
    result = run(OUT_OF % ", out_of: 100", ds)
    assert result.rows()[0].components["a"] == 78 and result.rows()[0].total == 88
    assert "分期加权 H1 80 × 0.3 + Y 90 × 0.6 = 78分" in explain(result, "x").children[0].text


def test_out_of_below_the_weights_is_refused() -> None:
    assert any("indicators.0.periods.out_of: the weights add up to 90, more than out_of 80" in p
               for p in problems(OUT_OF % ", out_of: 80"))
    mean = OUT_OF.replace("mode: weighted, weights: {H1: 30, Y: 60}%s", "mode: mean, out_of: 100")
    assert any("out_of is only for mode 'weighted'" in p for p in problems(mean))


# --- item 12: a person's score equal to their section's -----------------------------------------

FOLLOW = """\
code: f
name: 依据科室
periods: {codes: [H1, H2]}
categories:
  - code: zhengzhi
    name: 中层正职
    indicators:
      - {code: ks, name: 依据科室结果, points: 100, rule: {method: follow, category: keshi%s}}
  - code: keshi
    name: 科室
    indicators:
      - {code: work, name: 工作, points: 80, rule: {method: manual}}
      - {code: pub, name: 评议, points: 20, rule: {method: manual}}
"""


def _follow_data() -> DataSet:
    rows = [("k1", "keshi", "work", "H1", 70.0), ("k1", "keshi", "work", "H2", 74.0),
            ("k1", "keshi", "pub", "H2", 18.0), ("k2", "keshi", "work", "H1", 60.0)]
    objs = pl.DataFrame({"object": ["k1", "k2", "p1", "p2", "p3"], "name": ["科室甲", "科室乙", "张", "李", "王"],
                         "group": ["keshi", "keshi", "zhengzhi", "zhengzhi", "zhengzhi"],
                         "parent": [None, None, "k1", "k2", None]})
    return DataSet(values=pl.DataFrame(rows, schema=["object", "group", "indicator", "period", "value"],
                                       orient="row"), objects=objs, has_objects=True)


def test_a_person_scores_the_section_result() -> None:
    result = run(FOLLOW % "", _follow_data())
    rows = {r.object_id: r for r in result.rows()}
    assert rows["k1"].total == 90 and rows["p1"].total == 90  # 72 + 18 = 90 → 90 ÷ 100 × 100
    assert rows["p2"].total == 60 and rows["p3"].total is None and "missing:ks" in rows["p3"].flags
    assert explain(result, "p1").children[0].text == "依据上级 科室甲（k1）总分 90分 ÷ 100 × 100分 = 90分"


def test_follow_one_indicator_of_the_section() -> None:
    rows = {r.object_id: r for r in run(FOLLOW % ", indicator: work", _follow_data()).rows()}
    assert rows["p1"].total == 90  # work 72 of 80 → 90 of 100


def test_follow_rules_are_checked() -> None:
    assert any("indicators.0.rule.category: no category 'kesh'" in p
               for p in problems(FOLLOW.replace("category: keshi", "category: kesh") % ""))
    assert any("indicators.0.rule.indicator: no indicator 'nope' in category 'keshi'" in p
               for p in problems(FOLLOW % ", indicator: nope"))
    cycle = (FOLLOW % "").replace("{code: pub, name: 评议, points: 20, rule: {method: manual}}",
                                  "{code: pub, name: 评议, points: 20, rule: {method: follow, category: zhengzhi}}")
    assert any("form a cycle between categories" in p for p in problems(cycle))


# --- item 15: a deduction capped per period is explained per period ---------------------------

WEEKS = """\
code: wk
name: 周扣分
periods: {codes: [W1, W2]}
categories:
  - code: c
    indicators:
      - code: g
        name: 工作
        points: 100
        periods: mean
        children:
          - {code: a, name: 完成, points: 100, rule: {method: manual}}
          - code: d
            name: 周扣分
            rule: {method: deduction, base: zero, cap: 4, items: [{code: late, name: 迟交, per: 3}]}
"""


def test_a_capped_deduction_is_explained_per_period_as_applied() -> None:
    ds = values([("x", "c", "a", "W1", 90.0), ("x", "c", "a", "W2", 90.0)])
    ds = DataSet(values=ds.values, incidents=pl.DataFrame({
        "object": ["x", "x", "x"], "indicator": ["d"] * 3, "item": ["late"] * 3, "period": ["W1", "W1", "W2"]}))
    result = run(WEEKS, ds)
    assert result.rows()[0].total == 86.5  # W1 90 − min(6, 4) = 86, W2 90 − 3 = 87; mean 86.5
    g = explain(result, "x").children[0]
    assert [p["text"] for p in g.periods] == ["完成 90 − 周扣分 4 = 86分", "完成 90 − 周扣分 3 = 87分"]
    d = g.children[1]
    assert [p["text"] for p in d.periods] == ["迟交 2次 共 6分，累计扣分上限 4分 → -4分",
                                              "迟交 1次 共 3分，累计扣分上限 4分 → -3分"]


# --- item 11: "3–5 名由领导酌定" -------------------------------------------------------------------

DISCRETION = """\
code: d
name: 酌定
periods: {codes: [Y]}
categories:
  - code: c
    indicators:
      - {code: a, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 先进, min: 95, quota: {share: 1, min_count: 3, max_count: 5, discretion: true}}
          - {name: 合格}
"""


def test_places_between_min_and_max_are_flagged_for_the_leaders() -> None:
    scores = {"a": 99, "b": 98, "c": 97, "d": 96, "e": 95.5, "f": 95, "g": 90}
    ds = values([(o, "c", "a", "Y", float(v)) for o, v in scores.items()])
    rows = {r.object_id: r for r in run(DISCRETION, ds).rows()}
    assert [o for o in scores if rows[o].grade == "先进"] == ["a", "b", "c"]
    # 4th and 5th are for the leaders to decide; f (6th, ≥ 95) is beyond max_count; g is below 95.
    assert [o for o in scores if "discretion:先进" in rows[o].flags] == ["d", "e"]


def test_discretion_needs_a_range() -> None:
    bad = DISCRETION.replace("min_count: 3, max_count: 5", "min_count: 3")
    assert any("bands.0.quota: discretion needs a max_count above min_count" in p for p in problems(bad))


# --- item 7: eligibility by rank position or by the object's own indicator --------------------

OWN = """\
code: e
name: 资格
periods: {codes: [Y]}
categories:
  - code: c
    indicators:
      - {code: work, points: 80, rule: {method: manual}}
      - {code: mzcp, name: 民主测评, points: 20, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 优秀, min: 80}
          - {name: 合格}
      eligibility:
        - {name: 排名后一半不得评优, when: {rank_after: {share: 0.5}}}
        - {name: 优秀须民主测评达90%, when: {own_value: {indicator: mzcp, below: 90, measure: percent}}}
"""


def test_eligibility_by_rank_and_by_own_indicator() -> None:
    marks = {"a": (75, 19), "b": (72, 17), "c": (70, 19), "d": (66, 19)}  # totals 94, 89, 89, 85
    ds = values([(o, "c", ind, "Y", float(v)) for o, (w, m) in marks.items() for ind, v in (("work", w), ("mzcp", m))])
    rows = {r.object_id: r for r in run(OWN, ds).rows()}
    assert rows["a"].grade == "优秀"
    assert rows["b"].grade == "合格" and "no_top:优秀须民主测评达90%" in rows["b"].flags  # 17 of 20 = 85%
    assert rows["c"].grade == "优秀"  # tied second: not after the first half (2 of 4)
    assert rows["d"].grade == "合格" and "no_top:排名后一半不得评优" in rows["d"].flags


def test_own_conditions_are_checked() -> None:
    assert any("own_value.indicator: no indicator 'mzc' in category 'c'" in p
               for p in problems(OWN.replace("indicator: mzcp", "indicator: mzc")))
    both = OWN.replace("when: {rank_after: {share: 0.5}}", "when: {parent_category: c, rank_after: {share: 0.5}}")
    assert any("own_value and rank_after take none" in p for p in problems(both))


# --- item 3 (part): multi-year results that change eligibility; the rounding of "the top half" -----

YEARS = """\
code: y
name: 多年
periods: {codes: ["2024"]}
categories:
  - code: c
    indicators:
      - {code: a, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 优秀, min: 80}
          - {name: 合格}
      multi_year: {label: 近两年, years: 2, min_each: 85, or_top_share: 0.5, or_top_rounding: %s, effect: no_top}
"""


def test_multi_year_rule_costs_top_eligibility_and_rounds_as_told() -> None:
    scores = {"a": 90.0, "b": 88.0, "c": 84.0}
    ds = values([(o, "c", "a", "2024", v) for o, v in scores.items()])
    history = pl.DataFrame({"object": ["a", "b", "c"], "period": ["2023"] * 3, "total": [90.0, 80.0, 95.0]})
    ds = DataSet(values=ds.values, history=history)
    # Sums: a 180, c 179, b 168. Both years ≥ 85: only a. Top half of 3: half_up 2 (a, c), floor 1 (a).
    rows = {r.object_id: r for r in run(YEARS % "half_up", ds).rows()}
    assert [o for o in scores if rows[o].multi_year] == ["a", "c"]
    assert rows["b"].grade == "合格" and "no_top:近两年" in rows["b"].flags and rows["c"].grade == "优秀"
    rows = {r.object_id: r for r in run(YEARS % "floor", ds).rows()}
    assert [o for o in scores if rows[o].multi_year] == ["a"] and rows["c"].grade == "合格"


# --- item 4: one category's result as an input of another's indicator -------------------------

PROJECTS = """\
code: p
name: 专项计入单位
periods: {codes: [Y]}
categories:
  - code: unit
    name: 单位
    indicators:
      - {code: work, points: 90, rule: {method: manual}}
      - code: zx
        name: 专项考核
        points: 10
        rule: {method: follow, category: zhuanxiang, of: children, grades: {优秀: 1.0, 良好: 0.8, 差: 0}}
  - code: zhuanxiang
    name: 专项
    indicators:
      - {code: s, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 优秀, min: 90}
          - {name: 良好, min: 80}
          - {name: 差}
"""


def test_a_project_grade_counts_into_the_unit_total() -> None:
    rows = [("u1", "unit", "work", "Y", 80.0), ("u2", "unit", "work", "Y", 80.0),
            ("p1", "zhuanxiang", "s", "Y", 95.0), ("p2", "zhuanxiang", "s", "Y", 85.0),
            ("p3", "zhuanxiang", "s", "Y", 50.0)]
    objs = pl.DataFrame({"object": ["u1", "u2", "p1", "p2", "p3"], "name": ["甲", "乙", "a", "b", "c"],
                         "group": ["unit", "unit", "zhuanxiang", "zhuanxiang", "zhuanxiang"],
                         "parent": [None, None, "u1", "u1", "u2"]})
    ds = DataSet(values=pl.DataFrame(rows, schema=["object", "group", "indicator", "period", "value"], orient="row"),
                 objects=objs, has_objects=True)
    result = run(PROJECTS, ds)
    got = {r.object_id: r for r in result.rows()}
    # u1's projects: 优秀 (100%) and 良好 (80%): mean 90% × 10 = 9; u2's: 差 → 0.
    assert got["u1"].components["zx"] == 9 and got["u1"].total == 89 and got["u2"].total == 80
    assert explain(result, "u1").children[1].text == \
        "依据 2 个下级（专项）的平均等次折算（优秀 100%、良好 80%、差 0%） 90% × 10分 = 9分"


def test_follow_by_grade_is_checked() -> None:
    bad = PROJECTS.replace("良好: 0.8, 差: 0}", "良好: 0.8, 差: 0, 中: 0.5}")
    assert any("rule.grades.中: grade '中' is not a grade of category 'zhuanxiang'" in p for p in problems(bad))


# --- item 10: a monthly veto carried into the annual result -----------------------------------

CARRIED = """\
code: v
name: 带入
periods: {codes: ["2024"]}
categories:
  - code: c
    indicators:
      - {code: a, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 优秀, min: 80}
          - {name: 不合格}
      vetoes:
        - {code: yp, name: 月度一票否决, effect: force_grade, grade: 不合格, carried: %s}
"""


def test_a_monthly_veto_counts_in_the_year() -> None:
    ds = values([("x", "c", "a", "2024", 95.0)])
    march = pl.DataFrame({"object": ["x"], "indicator": ["yp"], "period": ["2024-03"]})
    ds = DataSet(values=ds.values, incidents=march)
    row = run(CARRIED % "true", ds).rows()[0]
    assert row.grade == "不合格" and "veto:yp" in row.flags
    from jixiao.engine.data import DataError
    with pytest.raises(DataError, match="period 2024-03 is not a period of the scheme"):
        score(parse_scheme_text(CARRIED % "false"), ds)


# --- item 2 (part): rules that look further up than the direct parent ---------------------------

UP = """\
code: up
name: 隔级
periods: {codes: [Y]}
categories:
  - code: person
    indicators:
      - {code: a, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 优秀, min: 80}
          - {name: 合格}
      eligibility:
        - {name: 单位不合格取消评优, when: {parent_category: unit, parent_grade_in: [不合格]}}
  - code: section
    indicators:
      - {code: a, points: 100, rule: {method: manual}}
  - code: unit
    indicators:
      - {code: u, name: 单位, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 合格, min: 60}
          - {name: 不合格}
"""


def test_a_rule_looks_past_the_section_to_the_unit() -> None:
    rows = [("p1", "person", "a", "Y", 90.0), ("p2", "person", "a", "Y", 90.0), ("s1", "section", "a", "Y", 70.0),
            ("s2", "section", "a", "Y", 70.0), ("u1", "unit", "u", "Y", 50.0), ("u2", "unit", "u", "Y", 70.0)]
    objs = pl.DataFrame({"object": ["p1", "p2", "s1", "s2", "u1", "u2"],
                         "name": ["甲", "乙", "一科", "二科", "U1", "U2"],
                         "group": ["person", "person", "section", "section", "unit", "unit"],
                         "parent": ["s1", "s2", "u1", "u2", None, None]})
    ds = DataSet(values=pl.DataFrame(rows, schema=["object", "group", "indicator", "period", "value"], orient="row"),
                 objects=objs, has_objects=True)
    got = {r.object_id: r for r in run(UP, ds).rows()}
    assert got["p1"].grade == "合格" and "no_top:单位不合格取消评优" in got["p1"].flags  # via 一科 → U1 不合格
    assert got["p2"].grade == "优秀"


# --- item 2 (part): a vice-head's eligibility follows every unit he oversees ---------------------

OVERSEES = """\
code: fg
name: 分管
periods: {codes: [Y]}
categories:
  - code: leader
    indicators:
      - {code: a, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 优秀, min: 80}
          - {name: 合格}
      eligibility:
        - {name: 分管单位不合格取消评优, when: {parent_category: unit, parent_grade_in: [不合格]}}
  - code: unit
    indicators:
      - {code: u, points: 100, rule: {method: manual}}
    results:
      grades:
        bands:
          - {name: 合格, min: 60}
          - {name: 不合格}
"""


def test_a_vice_head_follows_every_unit_he_oversees() -> None:
    rows = [("v1", "leader", "a", "Y", 90.0), ("v2", "leader", "a", "Y", 90.0), ("u1", "unit", "u", "Y", 70.0),
            ("u2", "unit", "u", "Y", 50.0), ("u3", "unit", "u", "Y", 70.0)]
    objs = pl.DataFrame({"object": ["v1", "v2", "u1", "u2", "u3"],
                         "group": ["leader", "leader", "unit", "unit", "unit"],
                         "oversees": ["u1;u2", "u1、u3", None, None, None]})
    ds = DataSet(values=pl.DataFrame(rows, schema=["object", "group", "indicator", "period", "value"], orient="row"),
                 objects=objs, has_objects=True)
    got = {r.object_id: r for r in run(OVERSEES, ds).rows()}
    assert got["v1"].grade == "合格" and "no_top:分管单位不合格取消评优" in got["v1"].flags  # u2 不合格
    assert got["v2"].grade == "优秀"
    from jixiao.engine.data import DataError
    bad = DataSet(values=ds.values, objects=objs.with_columns(pl.Series("oversees", ["u9", None, None, None, None])),
                  has_objects=True)
    with pytest.raises(DataError, match="column oversees: u9 is not a listed object"):
        score(parse_scheme_text(OVERSEES), bad)
