"""The engine's data problems (the ledger against a scheme version) in a clerk's Chinese.

The engine speaks English (it is also a command-line tool); pages that show its data problems,
e.g. the what-if comparison when an edited version refuses the ledger, translate them here.
Each pattern is one of the engine's message templates; the placeholders carry values and
codes through. A message no pattern knows still reads Chinese (with the engine's words after
it, for whoever supports the clerk)."""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(.+) is outside the allowed (.+) to (.+)", "数值 {0} 超出方案允许的范围（{1} 至 {2}）"),
    (r"(.+) is outside the score range (.+) to (.+)", "评分 {0} 超出评分范围（{1} 至 {2}）"),
    (r"the score (.+) is outside the score range", "评分 {0} 超出评分范围"),
    (r"(.+) must not be negative", "数值 {0} 不能为负数"),
    (r"a target of (.+) is not above zero", "目标值 {0} 须大于零"),
    (r"value out of range", "数值超出方案允许的范围"),
    (r"'?(.*?)'? is not a number", "“{0}”不是数字"),
    (r"empty cell; a value is required", "缺少数值"),
    (r"object (.+) is not a known object", "考核对象“{0}”不存在"),
    (r"(.+) is not defined in the scheme", "方案中没有“{0}”"),
    (r"(.+) is not an input of this object's scheme", "“{0}”不是该考核对象所用方案的填报项"),
    (r"(.+) takes no ballots or ratings in this object's scheme", "“{0}”在该考核对象所用方案中不接受测评票"),
    (r"(.+) is not a label of this indicator", "“{0}”不是该指标的评价等次"),
    (r"a score within the grade's range is needed: (.+)", "须给出该等次范围内的分数：{0}"),
    (r"the grade (.+) is computed from the score: give the score", "等次“{0}”按得分折算，须填写得分（score）"),
    (r"points per incident (.+) must be given within the range", "每次事项的分值 {0} 须在规定范围内"),
    (r"the count must be a whole number above zero", "次数须为大于零的整数"),
    (r"this item counts only with an evidence reference", "该事项须有佐证依据才能计分"),
    (r"one grade per object, indicator and period", "同一考核对象、指标和期间只能有一个等次"),
    (r"the same object and period is listed twice", "同一考核对象和期间重复出现"),
    (r"object listed twice", "考核对象重复出现"),
    (r"variable (.+) is not used by any indicator", "填报项“{0}”没有被任何指标使用"),
    (r"group (.+) is not a group of any category", "分组“{0}”不属于任何考核类别"),
)
_COMPILED = tuple((re.compile(rf"^{rx}$"), zh) for rx, zh in _PATTERNS)


def data_problem_zh(message: str) -> str:
    """One engine data message in Chinese."""
    text = message.strip()
    for rx, zh in _COMPILED:
        m = rx.match(text)
        if m:
            return zh.format(*m.groups())
    return f"数据与方案不符（{text}）"
