"""The sheets and their columns: headers, kinds, help text, and which rule field each column holds
for each method. Reader, writer and the 说明 sheet all work from these tables, so a column is
defined once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.engine.scheme.rules import RULE_METHODS

SCHEME_SHEET = "方案"
CATEGORY_SHEET = "类别"
INDICATOR_SHEET = "指标"
HELP_SHEET = "说明"
_SHEET_NAMES = {SCHEME_SHEET: "scheme", CATEGORY_SHEET: "categories", INDICATOR_SHEET: "indicators"}
_SHEET_ORDER = {SCHEME_SHEET: 0, CATEGORY_SHEET: 1, INDICATOR_SHEET: 2}

_FREQUENCIES = ("week", "month", "quarter", "half", "year")
_ROLLUPS = ("mean", "sum", "last", "weighted", "pool")
_HEADER_KEY = re.compile(r"[(（]\s*([A-Za-z_][A-Za-z0-9_]*)\s*[)）]\s*$")


@dataclass(frozen=True)
class _Col:
    """One column (or, on the 方案 sheet, one item row)."""

    key: str
    label: str
    kind: str  # code | text | enum | number | int | bool | list | weights | yaml | min_score
    width: int
    help: str
    choices: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.label} ({self.key})"


_SCHEME_ROWS: tuple[_Col, ...] = (
    _Col("code", "方案编码", "code", 0, "方案编码：字母、数字、_ . -，如 county-2024"),
    _Col("name", "方案名称", "text", 0, "方案名称，如 2024年度乡镇综合考核"),
    _Col("description", "方案说明", "text", 0, "可选的说明文字"),
    _Col("scale", "满分", "number", 0, "每个类别的满分（默认 100）"),
    _Col("decimals", "保留小数位", "int", 0, "各级得分四舍五入保留的小数位（0–6，默认 2）"),
    _Col("period_codes", "期间编码", "list", 0, "逐个列出考核期间，逗号分隔，如 2024-H1, 2024-Y；与下两项二选一"),
    _Col("frequency", "期间频率", "enum", 0, "按频率生成期间：week/month/quarter/half/year", _FREQUENCIES),
    _Col("year", "考核年度", "int", 0, "按频率生成期间时的年度，如 2024"),
    _Col("rollup", "期间汇总方式", "enum", 0, "各期得分如何汇总：mean/sum/last/weighted/pool（默认 mean）", _ROLLUPS),
    _Col("rollup_weights", "期间汇总权重", "weights", 0, "加权汇总时各期权重，如 2024-H1:30, 2024-Y:60"),
    _Col("rounding_at", "舍入范围", "enum", 0, "nodes：每个指标、每期都舍入（默认）；total：只舍入总分，其下精确计算",
         ("nodes", "total")),
    _Col("rollup_out_of", "期间权重基数", "number", 0,
         "期间权重是它的几分之几（如 100：30、60 即 30%、60%）；留空按权重之和"),
)

_RESULT_KEYS = ("ranking", "grades", "vetoes", "eligibility", "multi_year", "bottom_report")

_CATEGORY_COLS: tuple[_Col, ...] = (
    _Col("code", "编码", "code", 10, "类别编码，如 town；在「指标」表的类别列引用"),
    _Col("name", "名称", "text", 16, "类别名称，如 乡镇"),
    _Col("groups", "排名组", "list", 14, "数据文件中属于本类别的排名组，逗号分隔；留空表示与类别编码同名的一个组"),
    _Col("points", "分值", "number", 8, "类别满分；留空为方案满分"),
    _Col("weight_total", "权重合计", "number", 9, "一级指标加权时权重的合计（默认 100）"),
    _Col("bonus_cap", "加分上限", "number", 9, "一级加分项合计上限"),
    _Col("deduction_cap", "扣分上限", "number", 9, "一级倒扣分项合计上限"),
    _Col("min_score", "最低分", "min_score", 8, "总分下限（留空为 0；填「无」表示不设下限）"),
    _Col("periods", "期间汇总", "enum", 9, "本类别各期得分的汇总方式（留空按指标或方案）", _ROLLUPS),
    _Col("period_weights", "期间权重", "weights", 16, "加权汇总时各期权重，如 2024-H1:30, 2024-Y:60"),
    _Col("ranking", "排名范围", "enum", 9, "group 按排名组排名 / category 全类别统一排名（默认 group）",
         ("group", "category")),
    _Col("grades", "等次", "yaml", 40, "等次及名额，如 [{name: 优秀, min: 90, quota: {share: 0.2}}, {name: 合格}]"),
    _Col("vetoes", "否决事项", "yaml", 30, "一票否决/取消评先，如 [{code: V1, effect: force_grade, grade: 不合格}]"),
    _Col("eligibility", "资格规则", "yaml", 30,
         "跨层级资格，如 [{when: {parent_category: unit, parent_grade_in: [差]}}]"),
    _Col("multi_year", "多年规则", "yaml", 20, "多年资格，如 {years: 3, min_each: 90, or_top_share: 0.1}"),
    _Col("bottom_report", "末位报告", "yaml", 20, "排名末位报告，如 {count: 1, below: 80}"),
    _Col("period_out_of", "期间权重基数", "number", 8, "期间权重是它的几分之几（如 100）；留空按权重之和"),
)

_INDICATOR_COLS: tuple[_Col, ...] = (
    _Col("category", "类别", "code", 9, "类别编码（见「类别」表）；留空表示与上一行相同"),
    _Col("code", "编码", "code", 10, "指标编码，同一类别内不得重复"),
    _Col("parent", "上级编码", "code", 10, "上级指标的编码；留空表示本类别的一级指标"),
    _Col("name", "名称", "text", 24, "指标名称"),
    _Col("points", "分值", "number", 7, "指标分值；同组下级分值之和等于上级分值；加分和倒扣分项可不填"),
    _Col("weight", "权重", "number", 7, "加权组的下级权重（同组全部填写，合计等于上级的权重合计）"),
    _Col("method", "计分方法", "enum", 12, "计分方法编码（见下方方法表）；分组指标留空", RULE_METHODS),
    _Col("target", "目标值", "number", 8, "ratio/formula：目标值"),
    _Col("lower_is_better", "越低越好", "bool", 8, "ratio：数值越低越好（是/否）", ("是", "否")),
    _Col("challenge", "挑战值", "number", 8, "ratio：挑战值；formula：公式中的常量 challenge"),
    _Col("challenge_bonus", "挑战加分", "number", 8, "ratio：达到挑战值加的分"),
    _Col("challenge_mode", "挑战方式", "enum", 9, "ratio：step 达到即全额加分 / linear 按进度比例加分",
         ("step", "linear")),
    _Col("zero_below", "零分线", "number", 8, "ratio：完成比例低于此值（如 0.6）不得分"),
    _Col("cap", "封顶", "number", 7, "deduction/bonus：合计封顶；supervision：扣分封顶"),
    _Col("base", "扣分基准", "enum", 8, "deduction：full 从本项分值扣 / zero 倒扣分（从上级扣）", ("full", "zero")),
    _Col("requires_evidence", "须附依据", "bool", 8, "deduction/bonus：每条事项须附文件依据（是/否）", ("是", "否")),
    _Col("full", "测评满分", "number", 8, "rating：票面分的满分（默认 100）"),
    _Col("basis", "折算依据", "enum", 8, "tiers/grade_map：points 按分值 / share 按分值的比例（0–1）",
         ("points", "share")),
    _Col("below", "档外得分", "number", 8, "tiers：低于全部档位时的得分（默认 0）"),
    _Col("range_low", "打分下限", "number", 8, "manual：评分范围下限（与上限同填；默认 0 至分值）"),
    _Col("range_high", "打分上限", "number", 8, "manual：评分范围上限"),
    _Col("expression", "公式", "text", 24, "formula：自定义公式，如 min(value / target, 1.2) * points"),
    _Col("variables", "公式变量", "list", 10, "formula：公式读取的数据变量，逗号分隔（默认 value）"),
    _Col("min", "公式最小值", "number", 8, "formula：结果下限（默认 0）"),
    _Col("max", "公式最大值", "number", 8, "formula：结果上限（默认为分值）"),
    _Col("per_overdue", "逾期每件扣分", "number", 8, "supervision：每件逾期事项扣分"),
    _Col("per_returned", "退回每件扣分", "number", 8, "supervision：每件退回事项扣分"),
    _Col("cap_ratio", "完成率上限", "number", 8, "plan：完成比例上限（默认 1）"),
    _Col("rule", "规则明细", "yaml", 36, "其余规则内容（YAML 行内写法），如 {items: [{code: A1, name: 迟报, per: 2}]}"),
    _Col("unit", "计量单位", "text", 8, "指标的计量单位，如 %、万元"),
    _Col("source", "数据来源单位", "text", 14, "提供考核数据的单位"),
    _Col("responsible", "责任单位", "text", 12, "牵头责任单位"),
    _Col("co_units", "配合单位", "list", 14, "配合单位，多个用顿号或逗号分隔"),
    _Col("frequency", "报送频率", "enum", 8, "数据报送频率：week/month/quarter/half/year", _FREQUENCIES),
    _Col("evidence", "佐证材料", "text", 16, "需要提供的佐证材料"),
    _Col("description", "指标说明", "text", 30, "评分标准等说明文字"),
    _Col("bounds_low", "数值下限", "number", 8, "填报数值（value）允许的最小值，超出即拒收（与上限同填）"),
    _Col("bounds_high", "数值上限", "number", 8, "填报数值（value）允许的最大值"),
    _Col("weight_total", "权重合计", "number", 8, "分组：下级权重的合计（默认 100）"),
    _Col("bonus_cap", "加分上限", "number", 8, "分组：下级加分项合计上限"),
    _Col("deduction_cap", "扣分上限", "number", 8, "分组：下级倒扣分项合计上限"),
    _Col("periods", "期间汇总", "enum", 9, "本指标各期得分的汇总方式：mean/sum/last/weighted/pool", _ROLLUPS),
    _Col("period_weights", "期间权重", "weights", 16, "加权汇总时各期权重，如 2024-H1:30, 2024-Y:60"),
    _Col("period_out_of", "期间权重基数", "number", 8, "期间权重是它的几分之几（如 100）；留空按权重之和"),
    _Col("applies_to", "适用排名组", "list", 12,
         "只适用于这些排名组（逗号分隔）；其他对象不适用：加扣分项不计，其余部分按适用部分折算；留空为全部适用"),
)

_FieldPath = tuple[str | int, ...]

# method -> {column key: the rule field it holds}
_METHOD_COLUMNS: dict[str, dict[str, _FieldPath]] = {
    "ratio": {"target": ("target",), "lower_is_better": ("lower_is_better",), "challenge": ("challenge", "value"),
              "challenge_bonus": ("challenge", "bonus"), "challenge_mode": ("challenge", "mode"),
              "zero_below": ("zero_below",)},
    "deduction": {"cap": ("cap",), "base": ("base",), "requires_evidence": ("requires_evidence",)},
    "bonus": {"cap": ("cap",), "base": ("base",), "requires_evidence": ("requires_evidence",)},
    "rating": {"full": ("full",)},
    "tiers": {"basis": ("basis",), "below": ("below",)},
    "manual": {"range_low": ("range", 0), "range_high": ("range", 1)},
    "plan": {"cap_ratio": ("cap_ratio",)},
    "grade_map": {"basis": ("basis",)},
    "follow": {},
    "supervision": {"per_overdue": ("per_overdue",), "per_returned": ("per_returned",), "cap": ("cap",)},
    "formula": {"expression": ("expression",), "variables": ("variables",), "target": ("target",),
                "challenge": ("challenge",), "min": ("min",), "max": ("max",)},
}
_RULE_COLUMN_KEYS = tuple(dict.fromkeys(k for cols in _METHOD_COLUMNS.values() for k in cols))

_METHOD_HELP: dict[str, str] = {
    "ratio": "完成率计分：达到目标得满分，未达到按 实际/目标 × 分值（越低越好则反过来），可设挑战值加分",
    "deduction": "逐项扣分：按事项每次扣分（固定、区间或按级别），可单项和合计封顶；zero 基准为倒扣分",
    "bonus": "加分：按事项和级别加分，加在上级得分之上，受上级加分上限限制",
    "rating": "测评票折算：各票档（优秀/称职…）的票面分平均后按 分值/满分 折算",
    "tiers": "分档计分：数值达到某档的下限即得该档分数（从高档往下匹配）",
    "manual": "评分人直接打分：在范围内打分，多名评分人取平均",
    "plan": "计划完成率：实际完成数 / 计划数 × 分值，比例不超过上限",
    "grade_map": "等次折算：按等次（优秀/良好…）得固定分或在区间内打分",
    "supervision": "督办结果：按时办结率 × 分值，再按逾期、退回件数扣分",
    "formula": "自定义公式：用变量和 points/target/challenge 写公式，结果限制在最小值与最大值之间",
    "follow": "依据上级结果：上级（对象名单的上级）在另一类别的总分或某指标 ÷ 其分值 × 本项分值",
}

_NODE_TEXT = ("name", "unit", "source", "responsible", "evidence", "description")
_NODE_NUMBERS = ("points", "weight", "weight_total", "bonus_cap", "deduction_cap")


def _by_key(cols: Sequence[_Col]) -> dict[str, _Col]:
    return {c.key: c for c in cols}


_SCHEME_BY_KEY = _by_key(_SCHEME_ROWS)
_CATEGORY_BY_KEY = _by_key(_CATEGORY_COLS)
_INDICATOR_BY_KEY = _by_key(_INDICATOR_COLS)
_CHILDREN_LABEL = "下级指标 (children)"
_INDICATORS_LABEL = "指标 (indicators)"
