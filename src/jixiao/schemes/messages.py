"""The engine's scheme problems in Chinese, each naming its place in the clerk's words.

The engine (``jixiao.engine.scheme``) reports in English for developers: pydantic's messages and
its own checks. A clerk reads "指标 “经济发展”（zbjj）的 目标值：应为数字，收到 “abc”" instead:

- a pydantic message is recognised by pydantic's own message templates (so its error *type* and
  context are recovered, whatever the wording of the version installed) and said again in Chinese;
- the engine's own messages (validators, whole-scheme checks, the Excel reader, the formula parser)
  are matched against a table of their wordings;
- anything not recognised becomes a general Chinese sentence: no English sentence reaches a clerk.

The place comes from the problem's path (``categories.0.indicators.2.rule.target``) read against
the scheme data: the deepest named thing (indicator, item, band …) by name and code, then the
field in Chinese. Pure, no Django, no database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jixiao.engine.scheme.loader import Problem

METHOD_NAMES = {
    "ratio": "完成率", "deduction": "逐项扣分", "bonus": "加分", "rating": "测评票折算", "tiers": "分档计分",
    "manual": "评分人打分", "plan": "计划完成率", "grade_map": "等次折算", "supervision": "督办结果",
    "formula": "自定义公式", "follow": "依据上级结果",
}

# The scheme format's field names in Chinese (docs/scheme-format.md); a few depend on where they are.
FIELD_LABELS = {
    "code": "编码", "name": "名称", "description": "说明", "scale": "满分制", "rounding": "舍入",
    "decimals": "小数位数", "mode": "方式", "periods": "考核期间", "codes": "期间编码", "frequency": "频率",
    "year": "年度", "rollup": "期间汇总", "weights": "各期权重", "categories": "对象类别", "groups": "排名组",
    "points": "分值", "weight": "权重", "weight_total": "权重合计", "bonus_cap": "加分上限",
    "deduction_cap": "扣分上限", "min_score": "最低得分", "indicators": "指标", "children": "下级指标",
    "rule": "计分规则", "method": "计分方法", "bounds": "得分上下限", "unit": "计量单位", "source": "数据来源",
    "responsible": "责任单位", "co_units": "配合单位", "evidence": "佐证材料", "results": "结果规则",
    "ranking": "排名范围", "grades": "等次", "bands": "等次", "basis": "折算依据", "reward_basis": "兑现基数",
    "min": "最低分", "max": "最高分", "quota": "名额", "share": "比例", "min_count": "最少名额",
    "max_count": "最多名额", "per": "每次分值", "ties": "并列处理", "coefficient": "兑现系数",
    "reward": "兑现标准", "vetoes": "否决事项", "effect": "效果", "grade": "等次", "eligibility": "资格规则",
    "when": "条件", "parent_category": "上级类别", "parent_grade_in": "上级等次在", "parent_value": "上级指标值",
    "indicator": "指标", "below": "低于", "measure": "度量", "multi_year": "多年规则", "years": "年数",
    "min_each": "每年最低分", "or_top_share": "或排名前列比例", "bottom_report": "末位报告", "count": "个数",
    "target": "目标值", "lower_is_better": "越低越好", "challenge": "挑战值", "zero_below": "零分线（完成率）",
    "items": "事项", "cap": "上限", "base": "扣分基准", "requires_evidence": "须附佐证", "range": "打分区间",
    "levels": "按级别分值", "full": "满分基准", "tiers": "分档", "score": "得分", "cap_ratio": "完成率上限",
    "per_overdue": "每件逾期扣分", "per_returned": "每件退回扣分", "expression": "公式", "variables": "变量",
    "value": "值", "applies_to": "适用排名组", "at": "舍入范围", "out_of": "权重基数", "discretion": "由领导酌定",
    "own_value": "本对象指标值", "rank_after": "名次在后", "or_top_rounding": "前列人数取整",
    "carried": "带入其他考核期的否决",
}
# (parent field, field) → label, where the plain label would mislead.
CONTEXT_LABELS = {
    ("challenge", "value"): "挑战值", ("challenge", "bonus"): "挑战加分", ("challenge", "mode"): "挑战加分方式",
    ("rule", "scale"): "票种折算分", ("rule", "grades"): "等次折算分", ("rule", "challenge"): "挑战值",
    ("rule", "min"): "最低分", ("rule", "max"): "最高分", ("rule", "cap"): "扣分合计上限",
    ("rule", "below"): "低于各档时得分", ("tiers", "min"): "起点（≥）", ("bands", "min"): "最低分",
    ("bands", "count"): "前几名", ("bands", "last"): "后几名",
    ("grade_line", "base"): "起点值", ("grade_line", "from"): "起算得分", ("grade_line", "step"): "每档得分",
    ("grade_line", "per"): "每档增加", ("grade_line", "whole"): "只计整档", ("grade_line", "max"): "最高值",
    ("items", "cap"): "本项上限", ("items", "range"): "每次分值区间", ("quota", "share"): "名额比例",
    ("bottom_report", "below"): "分数低于", ("parent_value", "below"): "低于", ("rounding", "mode"): "舍入方式",
    ("rounding", "at"): "舍入范围",
    ("rollup", "mode"): "汇总方式", ("periods", "mode"): "汇总方式", ("multi_year", "min_each"): "每年最低分",
}
# Values of the format's fixed choices, with what they mean.
CHOICE_LABELS = {
    "mean": "各期平均", "sum": "各期相加", "last": "取最近一期", "weighted": "按期加权", "pool": "合并计算",
    "week": "周", "month": "月", "quarter": "季度", "half": "半年", "year": "年", "half_up": "四舍五入",
    "floor": "向下取整", "ceil": "向上取整", "group": "按排名组", "category": "按类别", "include": "并列都计入",
    "exclude": "并列都不计入", "full": "从本项分值扣", "zero": "倒扣分", "points": "按分值", "share": "按比例",
    "percent": "按百分比", "force_grade": "强制定等次", "no_top": "取消评先资格", "value": "按值",
    "step": "达到即全额", "linear": "按进度比例", "nodes": "每个节点舍入", "total": "只舍入总分",
    **METHOD_NAMES,
}
ENTITY = {"categories": "类别", "indicators": "指标", "children": "指标", "items": "事项", "bands": "等次",
          "vetoes": "否决事项", "eligibility": "资格规则", "tiers": "分档"}
GENERAL = "此处不符合方案格式，请对照格式说明检查"


@dataclass(frozen=True)
class Message:
    """A problem for a clerk: where (in words), what is wrong, and the engine's place for links."""

    where: str
    message: str
    file: str
    line: int | None
    path: str
    field: str  # the format's field name at the place ("" if none), for a link into the format help

    @property
    def text(self) -> str:
        if self.where:
            return f"{self.where}：{self.message}"
        return f"第 {self.line} 行：{self.message}" if self.line else self.message


# --- pydantic's messages ----------------------------------------------------------------------------------


def _q(v: Any) -> str:
    return f"“{v}”"


def _choices(expected: str) -> str:
    values = re.findall(r"'([^']*)'", expected) or [expected]
    return "、".join(f"{v}（{CHOICE_LABELS[v]}）" if v in CHOICE_LABELS else v for v in values)


def _pattern(ctx: Mapping[str, str]) -> str:
    if "\\s" in ctx.get("pattern", ""):
        return "编码不能含空格和 , ; : / \\，长度 1–40 个字符"
    return "格式不对"


def _short(ctx: Mapping[str, str]) -> str:
    return "不能为空" if ctx.get("min_length") == "1" else f"至少 {ctx.get('min_length')} 个字"


def _too_short(ctx: Mapping[str, str]) -> str:
    if ctx.get("actual_length") == "0":
        return f"至少要有 {ctx.get('min_length')} 项，现在一项也没有"
    return f"至少要有 {ctx.get('min_length')} 项，现在只有 {ctx.get('actual_length')} 项"


PYDANTIC_CHINESE: dict[str, Callable[[Mapping[str, str]], str]] = {
    "missing": lambda c: "必须填写，但没有填",
    "extra_forbidden": lambda c: "不认识的字段，请对照格式说明检查拼写",
    "float_type": lambda c: "应为数字", "float_parsing": lambda c: "应为数字",
    "finite_number": lambda c: "应为有限的数字",
    "int_type": lambda c: "应为整数", "int_parsing": lambda c: "应为整数", "int_from_float": lambda c: "应为整数",
    "int_parsing_size": lambda c: "数字太大",
    "bool_type": lambda c: "应为 true（是）或 false（否）", "bool_parsing": lambda c: "应为 true（是）或 false（否）",
    "string_type": lambda c: "应为文字",
    "list_type": lambda c: "应为列表（每项一行，以“- ”开头）",
    "tuple_type": lambda c: "应为两个数，如 [0, 10]",
    "dict_type": lambda c: "应为“名称: 值”的对应表",
    "model_type": lambda c: "应为一组“字段: 值”", "model_attributes_type": lambda c: "应为一组“字段: 值”",
    "none_required": lambda c: "此处不应填写",
    "greater_than": lambda c: f"应大于 {c.get('gt')}",
    "greater_than_equal": lambda c: f"应不小于 {c.get('ge')}",
    "less_than": lambda c: f"应小于 {c.get('lt')}",
    "less_than_equal": lambda c: f"应不大于 {c.get('le')}",
    "multiple_of": lambda c: f"应为 {c.get('multiple_of')} 的整数倍",
    "too_short": _too_short,
    "too_long": lambda c: f"最多 {c.get('max_length')} 项，现在有 {c.get('actual_length')} 项",
    "string_too_short": _short,
    "string_too_long": lambda c: f"最多 {c.get('max_length')} 个字",
    "string_pattern_mismatch": _pattern,
    "literal_error": lambda c: f"应为以下之一：{_choices(c.get('expected', ''))}",
    "enum": lambda c: f"应为以下之一：{_choices(c.get('expected', ''))}",
    "union_tag_not_found": lambda c: "缺少计分方法（method）",
    "union_tag_invalid": lambda c: f"没有计分方法 {_q(c.get('tag'))}；可用的方法："
                                   f"{_choices(c.get('expected_tags', ''))}",
    "recursion_loop": lambda c: "结构有循环引用",
}


@functools.cache
def _pydantic_templates() -> list[tuple[re.Pattern[str], str]]:
    """Each pydantic error type's message template as a pattern that recovers its context."""
    from pydantic_core._pydantic_core import list_all_errors

    out: list[tuple[re.Pattern[str], str, int]] = []
    for e in list_all_errors():
        template = str(e["message_template_python"])
        parts = re.split(r"\{(\w+)\}", template)
        rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts))
        out.append((re.compile(f"^{rx}$", re.S), str(e["type"]), len("".join(parts[0::2]))))
    # the most specific templates (the most fixed text) first: "Input should be a valid string"
    # before "Input should be {expected}"
    out.sort(key=lambda t: -t[2])
    return [(rx_, kind) for rx_, kind, _ in out]


def _from_pydantic(msg: str) -> str | None:
    if msg.startswith("unknown field"):  # the loader's wording of extra_forbidden
        return PYDANTIC_CHINESE["extra_forbidden"]({})
    m = re.match(r"^unknown method '?(.*?)'?; .*expected tags: (.*)$", msg)
    if m:  # the loader's wording of union_tag_invalid
        return PYDANTIC_CHINESE["union_tag_invalid"]({"tag": m.group(1), "expected_tags": m.group(2)})
    for rx, kind in _pydantic_templates():
        found = rx.match(msg)
        if found and kind in PYDANTIC_CHINESE:
            return PYDANTIC_CHINESE[kind]({k: v for k, v in found.groupdict().items() if v is not None})
    return None


# --- the engine's own messages ----------------------------------------------------------------------------

_N = r"(\S+?)"
ENGINE_CHINESE: list[tuple[str, str]] = [
    # model and rule validators
    (r"mode 'weighted' needs weights per period", "汇总方式为按期加权（weighted）时要写各期权重（weights）"),
    (r"weights are only for mode 'weighted'", "只有汇总方式为按期加权（weighted）时才写各期权重"),
    (r"give either codes or frequency \(with year\)", "考核期间要么列出期间编码（codes），要么写频率和年度，二者选一"),
    (r"frequency needs a year", "写了频率（frequency）就要写年度（year）"),
    (r"period codes repeat", "期间编码有重复"),
    (r"an indicator needs either a rule or children", "指标要么有计分规则（rule），要么有下级指标（children）"),
    (r"an indicator has a rule or children, not both", "指标不能既有计分规则又有下级指标"),
    (r"bounds low is above bounds high", "得分上下限的下限高于上限"),
    (r"max_count is below min_count", "最多名额小于最少名额"),
    (r"force_grade needs a grade; no_top takes none",
     "强制定等次（force_grade）要写等次；取消评先资格（no_top）不写等次"),
    (r"give exactly one of parent_grade_in or parent_value",
     "上级等次（parent_grade_in）与上级指标值（parent_value）要写且只写一个"),
    (r"a scheme code uses letters, digits, '_', '\.' or '-'", "方案编码只能用英文字母、数字和 _ . -"),
    (r"give exactly one of per, range or levels", "每次分值（per）、区间（range）、按级别分值（levels）要写且只写一个"),
    (r"range low is above range high", "区间的下限高于上限"),
    (r"levels is empty", "按级别分值（levels）不能为空"),
    (r"item codes repeat", "事项编码有重复"),
    # whole-scheme checks
    (r"ranking group '(.*)' already belongs to category '(.*)'", "排名组 “{0}” 已属于类别 {1}"),
    (rf"the indicators' points add up to {_N}, but the category is worth {_N} \(.*\)",
     "各指标分值合计 {0}，而类别满分为 {1}：请把类别满分写为 {0}，或修改指标分值"),
    (r"veto code '(.*)' is also an indicator code", "否决事项编码 “{0}” 与某个指标的编码相同"),
    (r"grade '(.*)' is not one of the bands \[(.*)\]", "等次 “{0}” 不是本类别的等次（{1}）"),
    (r"group '(.*)' is not a group of this category", "“{0}” 不是本类别的排名组"),
    (r"no category '(.*)'", "没有编码为 “{0}” 的类别"),
    (r"grade '(.*)' is not a grade of category '(.*)' \[(.*)\]", "等次 “{0}” 不是类别 {1} 的等次（{2}）"),
    (r"no indicator '(.*)' in category '(.*)'", "类别 {1} 中没有编码为 “{0}” 的指标"),
    (r"must not be negative", "不能为负数"),
    (r"band names repeat", "等次名称有重复"),
    (r"one band must take everything else \(a band without min, count or last\)",
     "须有一个等次包揽其余对象（不写最低分 min、前几名 count、后几名 last）"),
    (r"a band by places from the top must come before the other bands: the bands above it would have taken those "
     r"places", "按前几名（count）定的等次要排在其他等次之前：上面的等次已先占了这些名次"),
    (r"a band by places from the bottom must come after the band that takes everything else",
     "按后几名（last）定的等次要排在包揽其余对象的等次之后"),
    (r"a band takes places from the top \(count\) or from the bottom \(last\), not both",
     "一个等次按前几名（count）或按后几名（last）定，不能两个都写"),
    (r"a band by places \(count or last\) takes no min or quota",
     "按名次（count 或 last）定的等次不再写最低分（min）或名额（quota）"),
    (r"only the last band may leave out min", "只有最后一个等次可以不写最低分（min）"),
    (rf"bands go from the highest down: {_N} is not below {_N}", "等次应从高到低排列：{0} 不低于上一等次的 {1}"),
    (r"the last band must leave out min so that every score has a grade",
     "最后一个等次不写最低分（min），使每个得分都有等次"),
    (r"the last band takes everything else; a quota there has no effect",
     "最后一个等次包揽其余对象，给它设名额不起作用"),
    (r"indicator code '(.*)' repeats \(first at (.*)\)", "指标编码 “{0}” 重复（前面已有同一编码的指标）"),
    (r"a group needs at least one indicator that is not a bonus or deduction",
     "组下至少要有一个不是加分或倒扣分的指标"),
    (r"some children have a weight and some do not: .*", "部分下级指标写了权重、部分没写：要么都写权重，要么都不写"),
    (r"a bonus or deduction adjustment takes no weight", "加分、倒扣分调整项不写权重"),
    (rf"the children's weights add up to {_N}, not the declared weight_total {_N}",
     "下级指标的权重合计 {0}，不等于规定的权重合计 {1}"),
    (r"a weighted child needs points \(its own scale\)", "加权组的下级指标要写分值（它自己的满分）"),
    (r"this indicator needs points", "这个指标要写分值"),
    (rf"the children's points add up to {_N}, not {_N}", "下级指标的分值合计 {0}，不等于本项分值 {1}"),
    (rf"the indicators' points add up to {_N}, not {_N}", "各指标的分值合计 {0}，不等于类别满分 {1}"),
    (rf"the challenge value must be above the target {_N}", "挑战值必须高于目标值 {0}"),
    (rf"the challenge value must be below the target {_N}", "挑战值必须低于目标值 {0}（越低越好的指标）"),
    (r"two tiers have the same min", "有两个分档的起点相同"),
    (rf"{_N} is above the most this indicator gives \({_N}\)", "{0} 超过了本指标最多能得的 {1}"),
    (rf"must be within 0 and {_N}", "应在 0 到 {0} 之间"),
    (rf"the range reaches {_N}, above the indicator's {_N} points", "打分区间上限 {0} 超过了指标分值 {1}"),
    (r"period '(.*)' is not a period of the scheme", "“{0}” 不是本方案的考核期"),
    (r"category codes repeat", "类别编码有重复"),
    (r"eligibility or follow rules form a cycle between categories: (.*)",
     "资格规则或依据上级结果的指标在类别之间形成循环：{0}"),
    (r"a part cannot follow its own category's result", "不能依据本类别自己的结果计分"),
    (r"grades read the followed objects' grade: give no indicator", "按等次折算时不写指标（indicator）"),
    (r"a part that reads a grade is scored for the whole year: give no periods",
     "按等次折算的指标按全年计分，不写期间汇总"),
    (rf"the weights add up to {_N}, more than out_of {_N}", "各期权重合计 {0}，超过了权重基数 {1}"),
    (r"give exactly one of parent_grade_in, parent_value, own_value or rank_after",
     "上级等次、上级指标值、本对象指标值、名次在后 要写且只写一个"),
    (r"parent_grade_in and parent_value need parent_category; own_value and rank_after take none",
     "上级等次、上级指标值要写上级类别；本对象指标值、名次在后不写上级类别"),
    (r"force_grade needs a grade; report and no_top take none",
     "强制等次（force_grade）须写等次；report、no_top 不写等次"),
    (r"discretion needs a max_count above min_count: .*", "由领导酌定（discretion）须写最多名额，且大于最少名额"),
    (r"out_of is only for mode 'weighted'", "权重基数（out_of）只用于按期加权（weighted）"),
    (r"no indicator applies to group '(.*)': .*", "排名组 “{0}” 没有任何适用的指标（加扣分项除外）"),
    (r"a part that does not apply to every group needs points: .*", "不是对所有排名组都适用的指标要写分值（用于折算）"),
    # the formula parser (the position is 1-based)
    (r"unknown variable '(.*)' at position (\d+)", "公式第 {1} 个字符处：没有变量 “{0}”"),
    (r"unknown function '(.*)' at position (\d+)", "公式第 {1} 个字符处：没有函数 “{0}”"),
    (r"missing '\)' at position (\d+)", "公式第 {0} 个字符处：缺少右括号"),
    (r"expected '\)' but found .* at position (\d+)", "公式第 {0} 个字符处：应为右括号"),
    (r"unexpected .* at position (\d+)", "公式第 {0} 个字符处写法有误"),
    (r"empty formula.*", "公式为空"),
    (r"malformed number '(.*)' at position (\d+)", "公式第 {1} 个字符处：数字 “{0}” 写法有误"),
    (r"comparisons cannot be chained.*", "公式中的比较不能连写，请写成 a < b and b < c"),
    (r"the exponent must be .*", "公式中乘方的指数须为 -10 到 10 之间的数"),
    (r"formula is (?:longer|too long|nested too deeply).*", "公式太长或嵌套太深"),
    (r"(?:function )?'?(\w+)'? (?:takes|needs|expects) .*", "公式中函数 “{0}” 的参数个数不对"),
    # the loader and the Excel template
    (r"not valid YAML.*", "不是有效的 YAML 文本：请检查缩进、冒号和引号"),
    (r"the scheme file must be a mapping of fields", "方案文件应为“字段: 值”的形式"),
    (r"cannot read the file.*", "无法读取文件"),
    (r"macro.*|the workbook contains macros.*", "含宏的工作簿不予接收，请另存为不含宏的 .xlsx 工作簿"),
    (r"the Excel scheme template must be an \.xlsx workbook|not an Excel \.xlsx workbook.*|cannot open the workbook.*",
     "不是可以读取的 Excel .xlsx 工作簿"),
    (r"Excel turned this into a date or time \((.*)\).*",
     "Excel 把这里变成了日期或时间（{0}），请以文本输入（以英文单引号 ' 开头）"),
    (r"expected a code or text, not '?(.*?)'?", "应为编码或文字，不是 “{0}”"),
    (r"not a number: '?(.*?)'?", "不是数字：“{0}”"),
    (r"not a whole number: '?(.*?)'?", "不是整数：“{0}”"),
    (r"expected 是 or 否 .*", "应填 是 或 否"),
    (r"not valid YAML flow text.*", "不是有效的 YAML 行内写法"),
    (r"expected text, not '?(.*?)'?", "应为文字，不是 “{0}”"),
    (r"a cell starting with '\[' must be .*", "以 [ 开头的单元格须为列表写法，如 [a, b]"),
    (r"a cell starting with '\{' must be .*", "以 { 开头的单元格须为对应表写法，如 {2024-H1: 30}"),
    (r"write period weights as .*", "各期权重请写成 期间:权重，如 2024-H1:30, 2024-Y:60"),
    (r"period '(.*)' is given twice", "期间 “{0}” 写了两次"),
    (r"the weight of '(.*)' is not a number.*", "期间 “{0}” 的权重不是数字"),
    (r"period '(.*)' has no weight", "期间 “{0}” 没有写权重"),
    (r"a value without an item name in column A", "A 列没有项目名称"),
    (r"unknown item '(.*)' \(the items are listed in (.*)\)", "没有项目 “{0}”（可用的项目见“{1}”工作表）"),
    (r"given twice \(also in row (\d+)\)", "重复填写（第 {0} 行也有）"),
    (r"the category code is empty", "类别编码为空"),
    (r"category code '(.*)' repeats \(first in row (\d+)\)", "类别编码 “{0}” 重复（第一次在第 {1} 行）"),
    (r"the category is empty.*", "类别为空（上面也没有可沿用的类别）"),
    (r"no category '(.*)' in the sheet (.*)", "工作表 {1} 中没有类别 “{0}”"),
    (r"the indicator code is empty", "指标编码为空"),
    (r"give both the low and the high bound", "上下限要同时填写"),
    (r"rule fields are filled \((.*)\) but the method is empty.*",
     "填了计分参数（{0}），却没有填计分方法（不填方法即为组）"),
    (r"the method '(.*)' does not use this column", "计分方法 {0} 不用这一列"),
    (r"give both the low and the high end of the range", "区间的上下限要同时填写"),
    (r"the rule detail must be a YAML flow mapping.*", "规则明细须为行内对应表写法，如 {items: [{code: A1, per: 2}]}"),
    (r"says method '?(.*?)'?, but the method column says '?(.*?)'?", "规则明细写的方法是 {0}，但计分方法列是 {1}"),
    (r"'(.*)' is given both here and in the column (.*)", "“{0}” 在此处和 {1} 列都填了"),
    (r"indicator code '(.*)' repeats in category '(.*)' \(first in row (\d+)\)",
     "指标编码 “{0}” 在类别 {1} 中重复（第一次在第 {2} 行）"),
    (r"unknown parent code '(.*)': .*", "上级编码 “{0}” 在本类别中没有对应的指标"),
    (r"category '(.*)' has no indicators in the sheet (.*)", "类别 {0} 在工作表 {1} 中没有指标"),
    (r"the parent codes go round in a cycle: (.*)", "上级编码形成了循环：{0}"),
    (r"the sheet has no categories.*", "工作表中没有类别：请为每类考核对象填一行"),
]


@functools.cache
def _engine_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(f"^{rx}$", re.S), zh) for rx, zh in ENGINE_CHINESE]


def _chinese_english_free(text: str) -> str:
    """A value quoted into a message stays as typed, but an English phrase never comes through."""
    return text if not re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}", text) else "…"


def chinese_message(msg: str) -> str:
    """The Chinese for one of the engine's messages (pydantic's or its own)."""
    msg = msg.strip()
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    found = _from_pydantic(msg)
    if found is not None:
        return found
    for rx, zh in _engine_patterns():
        m = rx.match(msg)
        if m:
            return zh.format(*(_chinese_english_free(g or "") for g in m.groups()))
    return GENERAL


# --- places -----------------------------------------------------------------------------------------------


def _named(kind: str, node: Any, index: int) -> str:
    if not isinstance(node, dict):
        return f"第 {index + 1} 个{kind}"
    name, code = node.get("name"), node.get("code")
    if kind == "分档":
        return f"第 {index + 1} 档"
    if name and code:
        return f"{kind} {_q(name)}（{code}）"
    if name or code:
        return f"{kind} {_q(name or code)}"
    return f"第 {index + 1} 个{kind}"


def _label(parent: Any, key: str) -> str:
    return CONTEXT_LABELS.get((str(parent), key)) or FIELD_LABELS.get(key) or _q(key)


def _split(path: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in path.split(".")] if path else []


def place(path: str, data: Any) -> tuple[str, str, Any, bool]:
    """``(where, field, value at the place, value found)`` for an engine path."""
    parts = _split(path)
    # The engine keeps a rule's method tag in the path when the method is also a key of the rule
    # (``rule.tiers.tiers.1``): drop the tag.
    parts = [p for i, p in enumerate(parts)
             if not (i >= 1 and parts[i - 1] == "rule" and p == "tiers" and parts[i + 1:i + 2] == ["tiers"])]
    entity = ""
    fields: list[str] = []
    cur: Any = data
    found = data is not None
    prev: Any = None
    owner = ""  # the last field name passed (a list's name is the owner of its items' fields)
    last_field = ""
    for i, part in enumerate(parts):
        nxt = None
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if (isinstance(cur, dict) and part in cur) or in_list:
            nxt = cur[part]
        else:
            found = False
        if isinstance(part, int):
            if prev in ("categories", "indicators", "children"):
                entity, fields = _named(ENTITY[prev], nxt, part), []  # the deepest indicator names the place
            elif prev in ENTITY:  # an item, tier, band … is named after its indicator or category
                named = _named(ENTITY[prev], nxt, part)
                entity, fields = (f"{entity} › {named}" if entity else named), []
            elif prev in ("bounds", "range") and part in (0, 1):
                fields.append("下限" if part == 0 else "上限")
            else:
                fields.append(f"第 {part + 1} 项")
        elif prev in ("scale", "grades", "levels", "weights") and isinstance(cur, dict | type(None)) and \
                not (prev == "grades" and parts[i - 2:i - 1] == ["results"]):
            fields.append(_q(part))
            if prev == "grades":  # a grade's value computed by a line names its own fields
                prev, owner, cur = part, "grade_line", nxt
                continue
        else:
            is_entity_list = part in ENTITY and i + 1 < len(parts) and isinstance(parts[i + 1], int)
            if not is_entity_list and not (part == "rule" and i + 1 < len(parts)):
                fields.append(_label(owner, part))
            last_field = str(part)
        prev = part
        if isinstance(part, str):
            owner = part
        cur = nxt
    where = entity
    if fields:
        joint = "的 " if entity and not entity[-1].isascii() else " 的 "
        where = f"{entity}{joint}{' › '.join(fields)}" if entity else " › ".join(fields)
    return where, last_field, cur, found


def _received(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value)
        return f"，收到 {_q(text if len(text) <= 40 else text[:40] + '…')}"
    return ""


_WANTS_VALUE = ("应为", "应大于", "应不小于", "应小于", "应不大于", "没有计分方法")


def chinese_problem(problem: Problem, data: Any = None) -> Message:
    """One engine problem for a clerk. ``data`` is the scheme data the path is read against (the
    parsed YAML); without it (an Excel workbook) the place is the sheet, row and column."""
    message = chinese_message(problem.message)
    file = problem.file
    if "[" in file and file.endswith("]"):  # the Excel reader: name[sheet], the path is a column header
        sheet = file[file.index("[") + 1:-1]
        where = f"工作表“{sheet}”" + (f"第 {problem.line} 行" if problem.line else "")
        column = problem.path
        if column and not re.search(r"[A-Za-z]{3,}\s", column):
            where += f"“{column}”列"
        return Message(where, message, file, problem.line, problem.path, "")
    where, field, value, found = place(problem.path, data)
    if found and message.startswith(_WANTS_VALUE) and "收到" not in message and not message.startswith("没有计分方法"):
        message += _received(value)
    return Message(where, message, file, problem.line, problem.path, field)


def chinese_problems(problems: list[Problem], data: Any = None) -> list[Message]:
    return [chinese_problem(p, data) for p in problems]
