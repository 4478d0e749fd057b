"""考核结果兑现表 as a table model: each grade's coefficient and standard from the scheme, a vetoed
object rewarded by its forced grade, the count per grade, and a scheme without coefficients said
so in the table. No database."""

from __future__ import annotations

from jixiao.reports.tables import NO_COEFFICIENTS, NO_GRADES, Table, rewards_table

from .factories import TOWNS, category, context, entry

ROWS = [
    entry("东镇", 95.5, 1, "先进"),
    entry("西镇", 93.0, 2, "合格", vetoed=True, flags=(("veto:tdsg", "一票否决：特大事故"),)),
    entry("北镇", 91.0, 3, "不合格", vetoed=True, flags=(("veto:aqsg", "一票否决：重大安全事故"),)),
]


def _data(t: Table) -> list[tuple]:
    return [r.cells for b in t.blocks for r in b.rows if r.kind == "data"]


def test_coefficients_come_from_the_bands():
    t = rewards_table(context(), ROWS)
    assert t.title == "测试县2024年度考核结果兑现表"
    assert t.meta[-1] == "兑现基数：在编人员月工资"
    assert [c.label for c in t.columns] == ["序号", "单位", "综合得分", "名次", "等次", "兑现系数", "兑现标准", "备注"]
    assert _data(t) == [
        (1, "东镇", 95.5, 1, "先进", 1.0, "奖励在编人员一个月工资", ""),
        (2, "西镇", 93.0, 2, "合格", 0.0, "", "一票否决：特大事故"),
        # force_grade: rewarded as the grade it was forced to, and the remark says so
        (3, "北镇", 91.0, 3, "不合格", 0.0, "给予批评", "一票否决：重大安全事故，按“不合格”兑现"),
    ]


def test_count_per_grade_below():
    a = rewards_table(context(), ROWS).appendix
    assert a is not None and a.title == "等次统计"
    assert a.columns == (("等次", 2), ("单位数", 2), ("兑现系数", 2), ("兑现标准", 2))
    assert a.rows == (("先进", 1, 1.0, "奖励在编人员一个月工资"), ("合格", 1, 0.0, ""), ("不合格", 1, 0.0, "给予批评"),
                      ("合计", 3, "", ""))


def test_people_line_up_the_counts_under_their_extra_column():
    t = rewards_table(context(person=True), [entry("张三", 90, 1, "先进", unit="办公室")])
    assert t.appendix is not None and t.appendix.columns[:2] == (("等次", 3), ("人数", 2))
    assert _data(t)[0][:3] == (1, "张三", "办公室")


def test_a_scheme_without_coefficients_says_so():
    plain = TOWNS.replace(", coefficient: 1", "").replace(", coefficient: 0", "")
    t = rewards_table(context(category(plain)), ROWS)
    assert [row[5] for row in _data(t)] == ["—", "—", "—"]
    assert any(NO_COEFFICIENTS in n for n in t.notes)
    assert t.appendix is not None and [row[2] for row in t.appendix.rows[:3]] == ["—", "—", "—"]


def test_a_category_without_grades_says_so():
    no_grades = TOWNS.split("  grades:")[0] + "  vetoes: []\n"
    t = rewards_table(context(category(no_grades)), [entry("东镇", 95.5, 1, "")])
    assert any(NO_GRADES in n for n in t.notes) and t.appendix is None
