"""个人得分记分手册 as a table model: a block per person with a heading, a row per period that has
a score (in the assessment's order), the year's row with the grade, remarks. No database."""

from __future__ import annotations

from jixiao.reports.tables import handbook_table, header_rows

from .factories import category, context, entry

PERIODS = [("2024-Q1", "2024年第一季度"), ("2024-Q2", "2024年第二季度"), ("2024-Q3", "2024年第三季度")]


def test_a_block_per_person_period_by_period():
    cat = category(ranking="group").model_copy(update={"groups": ["fuzhi", "yiban"]})
    zhang = entry("张三", 93.5, 1, "先进", unit="办公室", group="yiban", group_label="一般人员",
                  components={"zbpg": 84.0, "ldpg": 9.5, "jianfen": 0.0},
                  periods={"2024-Q1": {"total": 95.0, "rank": 1}, "2024-Q3": {"total": 92.0, "rank": 2}},
                  period_components={"2024-Q1": {"zbpg": 85.0, "ldpg": 10.0, "jianfen": 0.0},
                                     "2024-Q2": {"zbpg": None, "ldpg": None, "jianfen": None},
                                     "2024-Q3": {"zbpg": 83.0, "ldpg": 9.0, "jianfen": 0.0}},
                  flags=(("no_top:科室不合格", "取消评优资格：科室不合格"),))
    li = entry("李四", 80.0, 2, unit="预算股", group="yiban", group_label="一般人员")
    t = handbook_table(context(cat, person=True, name="一般人员"), [zhang, li], PERIODS)
    assert t.title == "测试县2024年度考核个人得分记分手册" and t.page_per_block and not t.landscape
    assert [c.label for c in t.columns] == [
        "考核期", "指标评估（90分）", "领导评估（10分）", "减分", "得分", "名次", "等次"]
    assert [h.label for h in header_rows(t.columns)[0]] == ["考核期", "各项得分", "合计"]
    first = t.blocks[0]
    assert first.heading == "姓名：张三    所在单位：办公室    类别：一般人员    排名组：一般人员（共3人）"
    assert [(r.kind, r.cells) for r in first.rows] == [
        ("data", ("2024年第一季度", 85.0, 10.0, 0.0, 95.0, 1, "")),
        # Q2 has no score for him: no row
        ("data", ("2024年第三季度", 83.0, 9.0, 0.0, 92.0, 2, "")),
        ("total", ("全年综合", 84.0, 9.5, 0.0, 93.5, 1, "先进")),
        ("note", ("备注：取消评优资格：科室不合格",)),
    ]
    assert [(r.kind, r.cells[0]) for r in t.blocks[1].rows] == [("total", "全年综合")]


def test_one_group_needs_no_group_name():
    t = handbook_table(context(category(ranking="group"), person=True), [entry("张三", 90, 1, group_label="一般人员")],
                       PERIODS)
    assert t.blocks[0].heading == "姓名：张三    所在单位：张三    类别：乡镇    参加排名3人"


def test_nobody_to_show():
    t = handbook_table(context(person=True), [], PERIODS)
    assert [(r.kind, r.cells) for b in t.blocks for r in b.rows] == [("note", ("暂无考核结果",))]
