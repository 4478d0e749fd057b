"""考核汇总表 as a table model: the columns and their two-level header, each row's values, ties
sharing a rank, remarks from the flags, ranking groups as sub-headings. No database."""

from __future__ import annotations

from jixiao.reports.tables import HeaderCell, Table, header_rows, summary_table, title_of

from .factories import category, context, entry

ROWS = [
    entry("东镇", 95.5, 1, "先进", components={"zbpg": 86.0, "ldpg": 9.5, "jianfen": 0.0}),
    entry("西镇", 95.5, 1, "先进", components={"zbpg": 87.0, "ldpg": 9.5, "jianfen": -1.0}),
    entry("北镇", 80.0, 3, "不合格", vetoed=True, components={"zbpg": 72.0, "ldpg": 8.0, "jianfen": 0.0},
          flags=(("veto:aqsg", "一票否决：重大安全事故"), ("bottom_report", "排名末位，需报送"))),
]


def _data(t: Table) -> list[tuple]:
    return [r.cells for b in t.blocks for r in b.rows if r.kind == "data"]


def test_columns_and_header():
    t = summary_table(context(), ROWS)
    assert t.title == "测试县2024年度考核汇总表"  # not 考核考核汇总表
    assert title_of("正定县2024年度政府绩效管理评估", "考核汇总表") == "正定县2024年度政府绩效管理评估考核汇总表"
    assert t.meta == ("考核：测试县2024年度考核", "类别：乡镇", "计算时间：2024年12月31日 18:00")
    assert [c.label for c in t.columns] == ["序号", "单位", "指标评估（90分）", "领导评估（10分）", "减分", "综合得分",
                                           "名次", "等次", "备注"]
    top, bottom = header_rows(t.columns)
    assert top == [HeaderCell("序号", 0, rowspan=2), HeaderCell("单位", 1, rowspan=2),
                   HeaderCell("各项得分", 2, colspan=3), HeaderCell("综合评定", 5, colspan=3),
                   HeaderCell("备注", 8, rowspan=2)]
    assert [h.label for h in bottom] == ["指标评估（90分）", "领导评估（10分）", "减分", "综合得分", "名次", "等次"]
    assert t.landscape and t.sheet == "乡镇"


def test_rows_ties_and_remarks():
    t = summary_table(context(), ROWS)
    assert _data(t) == [
        (1, "东镇", 86.0, 9.5, 0.0, 95.5, 1, "先进", ""),
        (2, "西镇", 87.0, 9.5, -1.0, 95.5, 1, "先进", ""),  # 并列第1名: the same rank
        (3, "北镇", 72.0, 8.0, 0.0, 80.0, 3, "不合格", "一票否决：重大安全事故；排名末位，需报送"),
    ]


def test_weighted_components_say_their_weight():
    cat = category("""
code: bm
name: 部门
weight_total: 100
indicators:
  - {code: zd, name: 重点考核, points: 100, weight: 90, rule: {method: manual}}
  - {code: gz, name: 公众评议, points: 100, weight: 10, rule: {method: manual}}
results: {}
""")
    t = summary_table(context(cat), [])
    assert [c.label for c in t.columns][2:4] == ["重点考核（权重90%）", "公众评议（权重10%）"]
    assert [r.kind for r in t.blocks[0].rows] == ["note"]  # 暂无考核结果


def test_people_ranked_by_group_get_sub_headings():
    cat = category(ranking="group")
    rows = [entry("张三", 90, 1, unit="办公室", group="fuzhi", group_label="中层副职"),
            entry("李四", 88, 1, unit="预算股", group="yiban", group_label="一般人员"),
            entry("王五", 80, 2, unit="预算股", group="yiban", group_label="一般人员")]
    t = summary_table(context(cat, person=True, name="中层副职和一般人员"), rows)
    assert [c.label for c in t.columns][:3] == ["序号", "姓名", "所在单位"]
    got = [(r.kind, r.cells[:3]) for r in t.blocks[0].rows]
    assert got == [("group", ("排名组：中层副职（共3人）",)), ("data", (1, "张三", "办公室")),
                   ("group", ("排名组：一般人员（共3人）",)), ("data", (2, "李四", "预算股")),
                   ("data", (3, "王五", "预算股"))]
