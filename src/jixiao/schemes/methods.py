"""The scoring methods (计分方法) of the scheme format as the tree editor offers them: each method's
parameters, named and explained in Chinese, with how a parameter is shown in an input and read
back into the rule. Pure, no Django; the engine's rule models (``jixiao.engine.scheme.rules``)
validate what comes out, exactly as for a YAML file.

A parameter is shown from the rule and read back only when what was posted differs from how it was
shown, so a rule keeps every key the form has no input for, and its exact values otherwise.
Structured parameters (incident items, ballot labels, tiers, grades) are lines of simple text:

- 事项 ``编码 | 名称 | 每次分值 | 本项上限``, the amount ``2`` (fixed), ``2~5`` (a range the reporter
  picks from) or ``县:0.5, 市:1, 省:2`` (by level);
- 票种、等次 ``优秀 = 100``, a grade map also ``良好 = 8~9`` (a range);
- 分档 ``95 = 5`` (from 95 upwards, 5 points).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jixiao.engine.scheme.rules import RULE_METHODS

_INT = re.compile(r"^[+-]?\d+$")
_RANGE = re.compile(r"^\s*([^~～]+?)\s*[~～]\s*([^~～]+?)\s*$")


def show_value(value: Any) -> str:
    """A scalar as typed in an input (whole numbers without ``.0`` only when they were ints)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def parse_number(raw: str) -> Any:
    """A number for what was typed (``1,000`` → 1000); ``None`` if empty; otherwise the text as is,
    so the engine reports it at its place."""
    text = raw.strip()
    if not text:
        return None
    t = text.replace("，", "").replace(",", "").replace(" ", "")
    if _INT.match(t):
        return int(t)
    try:
        return float(t)
    except ValueError:
        return text


def _norm(text: str) -> str:
    """Text as compared with what was shown: line ends and trailing spaces do not count."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in _norm(raw).split("\n") if line.strip()]


def _pair(line: str) -> tuple[str, str]:
    for sep in ("=", "＝", "：", ":"):
        if sep in line:
            key, _, value = line.partition(sep)
            return key.strip(), value.strip()
    return line.strip(), ""


def _amount(value: Any) -> str:
    if isinstance(value, dict):  # a grade's value computed from the score: {base: 8, from: 80, step: 10, per: 1}
        return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{show_value(value[0])}~{show_value(value[1])}"
    return show_value(value)


def _parse_amount(text: str) -> Any:
    inner = text.strip()
    if inner.startswith("{") and inner.endswith("}"):
        out: dict[str, Any] = {}
        for part in inner[1:-1].replace("，", ",").split(","):
            key, _, value = part.partition(":")
            if key.strip():
                out[key.strip()] = parse_number(value) if value.strip() not in ("true", "false") \
                    else value.strip() == "true"
        return out
    m = _RANGE.match(text)
    if m:
        return [parse_number(m.group(1)), parse_number(m.group(2))]
    return parse_number(text)


# --- codecs of the structured parameters ------------------------------------------------------------------


def _show_labels(value: Any) -> str:
    if not isinstance(value, dict):
        return show_value(value) if value is not None else ""
    return "\n".join(f"{k} = {_amount(v)}" for k, v in value.items())


def _parse_labels(raw: str, *, ranges: bool) -> Any:
    out: dict[str, Any] = {}
    for line in _lines(raw):
        key, value = _pair(line)
        out[key] = _parse_amount(value) if ranges else parse_number(value)
    return out or None


def _show_tiers(value: Any) -> str:
    if not isinstance(value, list):
        return show_value(value) if value is not None else ""
    return "\n".join(f"{show_value(t.get('min'))} = {show_value(t.get('score'))}" if isinstance(t, dict)
                     else show_value(t) for t in value)


def _parse_tiers(raw: str) -> Any:
    out = []
    for line in _lines(raw):
        low, score = _pair(line)
        out.append({"min": parse_number(low), "score": parse_number(score)})
    return out or None


def _show_items(value: Any) -> str:
    if not isinstance(value, list):
        return show_value(value) if value is not None else ""
    lines = []
    for item in value:
        if not isinstance(item, dict):
            lines.append(show_value(item))
            continue
        if item.get("levels") is not None and isinstance(item["levels"], dict):
            amount = ", ".join(f"{k}:{show_value(v)}" for k, v in item["levels"].items())
        elif item.get("range") is not None:
            amount = _amount(item["range"])
        else:
            amount = show_value(item.get("per"))
        parts = [show_value(item.get("code")), show_value(item.get("name")), amount, show_value(item.get("cap"))]
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _parse_item(line: str) -> dict[str, Any]:
    parts = [p.strip() for p in re.split(r"[|｜]", line)]
    parts += [""] * (4 - len(parts))
    item: dict[str, Any] = {"code": parts[0]}
    if parts[1]:
        item["name"] = parts[1]
    amount = parts[2]
    if re.search(r"[:：]", amount):
        levels: dict[str, Any] = {}
        for piece in re.split(r"[,，、;；]", amount):
            if piece.strip():
                key, value = _pair(piece)
                levels[key] = parse_number(value)
        item["levels"] = levels
    elif _RANGE.match(amount):
        item["range"] = _parse_amount(amount)
    elif amount:
        item["per"] = parse_number(amount)
    cap = " | ".join(p for p in parts[3:] if p)  # a fifth column has no meaning: the cap shows it, refused
    if cap:
        item["cap"] = parse_number(cap)
    return item


def _parse_items(raw: str) -> Any:
    return [_parse_item(line) for line in _lines(raw)] or None


def _show_list(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(show_value(v) for v in value)
    return show_value(value)


def _parse_list(raw: str) -> Any:
    names = [p.strip() for p in re.split(r"[,，、\s]+", raw) if p.strip()]
    return names or None


def _parse_bool(raw: str) -> Any:
    text = raw.strip().lower()
    if text in ("", "default"):
        return None
    return {"true": True, "false": False, "是": True, "否": False}.get(text, raw.strip())


def _parse_text(raw: str) -> Any:
    return raw.strip() or None


# --- parameters ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a method: the row's field ``name``, where it sits in the rule (``key``), its
    input (``kind``: number, bool, choice, text, list, lines) and its Chinese label and help."""

    name: str
    key: tuple[str | int, ...]
    label: str
    help: str
    kind: str = "number"
    choices: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""
    show_fn: Callable[[Any], str] = show_value
    parse_fn: Callable[[str], Any] = parse_number

    def get(self, rule: dict[str, Any]) -> Any:
        cur: Any = rule
        for k in self.key:
            if isinstance(k, int):
                cur = cur[k] if isinstance(cur, list | tuple) and len(cur) == 2 else None
            else:
                cur = cur.get(k) if isinstance(cur, dict) else None
        return cur

    def show(self, rule: dict[str, Any]) -> str:
        return self.show_fn(self.get(rule))

    def unchanged(self, posted: str, rule: dict[str, Any]) -> bool:
        return _norm(posted) == _norm(self.show(rule))

    def write(self, rule: dict[str, Any], posted: str) -> None:
        """Put what was typed into the rule (an empty input removes the key)."""
        value = self.parse_fn(posted)
        if len(self.key) == 1:
            k = str(self.key[0])
            if value is None:
                rule.pop(k, None)
            else:
                rule[k] = value
            return
        outer, inner = str(self.key[0]), self.key[1]
        if isinstance(inner, int):  # a [low, high] pair
            before = rule.get(outer)
            pair = list(before) if isinstance(before, list | tuple) and len(before) == 2 else [None, None]
            pair[inner] = value
            if pair[0] is None and pair[1] is None:
                rule.pop(outer, None)
            else:
                rule[outer] = pair
            return
        before = rule.get(outer)
        sub = dict(before) if isinstance(before, dict) else {}
        if value is None:
            sub.pop(inner, None)
        else:
            sub[inner] = value
        if all(sub.get(k) is None for k in ("value", "bonus")):  # a challenge without value and bonus is none
            rule.pop(outer, None)
        else:
            rule[outer] = sub


def _bool(name: str, label: str, help: str) -> Param:
    return Param(name, (name,), label, help, "bool", (("", "否（默认）"), ("true", "是"), ("false", "否")),
                 parse_fn=_parse_bool)


def _choice(name: str, key: tuple[str, ...], label: str, help: str, choices: tuple[tuple[str, str], ...]) -> Param:
    return Param(name, key, label, help, "choice", choices, parse_fn=_parse_text)


_ITEMS = Param("items", ("items",), "事项",
               "每行一项：编码 | 名称 | 每次分值 | 本项上限。每次分值写 2（固定）、"
               "2~5（填报时在区间内定）或 县:0.5, 市:1, 省:2（按级别）；本项上限可不写",
               "lines", placeholder="tbpp | 通报批评 | 县:0.5, 市:1, 省:2",
               show_fn=_show_items, parse_fn=_parse_items)
_CAP = Param("cap", ("cap",), "合计上限", "本项各事项合计最多扣（加）多少分；不写则以本项分值为限")
_EVIDENCE = _bool("requires_evidence", "须附佐证", "是：没有佐证材料编号的事项不予接收（加分项目以正式文件为依据）")
_BASIS = _choice("basis", ("basis",), "折算依据", "按分值：各档（等次）写得分；按比例：写分值的比例（0–1）",
                 (("", "按分值（默认）"), ("points", "按分值"), ("share", "按比例（0–1）")))


@dataclass(frozen=True)
class Method:
    code: str
    label: str
    help: str
    params: tuple[Param, ...]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


METHODS: dict[str, Method] = {m.code: m for m in (
    Method("ratio", "完成率", "完成值达到目标值得满分，未达到按 完成值 ÷ 目标值 × 分值 计分（越低越好的指标反过来）", (
        Param("target", ("target",), "目标值", "大于 0；不写则各对象填报自己的目标值"),
        _bool("lower_is_better", "越低越好", "是：按 目标值 ÷ 完成值 计分（如能耗、发案率）"),
        Param("zero_below", ("zero_below",), "零分线", "完成率低于此值（0–1，如 0.6）不得分；不写为 0"),
        Param("challenge", ("challenge", "value"), "挑战值", "达到挑战值另加挑战加分；须高于目标值（越低越好时低于）"),
        Param("challenge_bonus", ("challenge", "bonus"), "挑战加分", "达到挑战值另加的分数"),
        _choice("challenge_mode", ("challenge", "mode"), "挑战加分方式",
                "达到即全额，或按从目标值到挑战值的进度比例加分",
                (("", "达到即全额（默认）"), ("step", "达到即全额"), ("linear", "按进度比例"))),
    )),
    Method("deduction", "逐项扣分", "按事项每发生一次扣分，可单项和合计封顶；基准为倒扣分时从上级指标扣", (
        _ITEMS, _CAP,
        _choice("base", ("base",), "扣分基准", "从本项分值扣（扣完为止），或倒扣分（不占分值，从上级扣）",
                (("", "从本项分值扣（默认）"), ("full", "从本项分值扣"), ("zero", "倒扣分"))),
        _EVIDENCE,
    )),
    Method("bonus", "加分", "按事项（或级别）加分，加在上级指标上，可单项和合计封顶", (_ITEMS, _CAP, _EVIDENCE)),
    Method("rating", "测评票折算", "按票面等次的折算分求平均，再 × 分值 ÷ 满分基准", (
        Param("scale", ("scale",), "票种折算分", "每行一个票种：优秀 = 100", "lines", placeholder="优秀 = 100",
              show_fn=_show_labels, parse_fn=lambda raw: _parse_labels(raw, ranges=False)),
        Param("full", ("full",), "满分基准", "折算分的满分，默认 100"),
    )),
    Method("tiers", "分档计分", "完成值落在哪一档得哪一档的分（从高到低第一个达到的档）", (
        Param("tiers", ("tiers",), "分档", "每行一档：起点 = 得分，如 95 = 5 表示达到 95 得 5 分", "lines",
              placeholder="95 = 5", show_fn=_show_tiers, parse_fn=_parse_tiers),
        _BASIS,
        Param("below", ("below",), "低于各档得分", "低于最低一档时的得分，默认 0"),
    )),
    Method("manual", "评分人打分", "评分人在区间内直接打分，多名评分人取平均", (
        Param("range_low", ("range", 0), "打分下限", "不写区间则为 0 到本项分值"),
        Param("range_high", ("range", 1), "打分上限", "不能超过本项分值"),
    )),
    Method("plan", "计划完成率", "实际完成分 ÷ 计划分 × 分值，完成率封顶", (
        Param("cap_ratio", ("cap_ratio",), "完成率上限", "完成率最高计到多少（默认 1，即 100%）"),
    )),
    Method("grade_map", "等次折算", "评定的等次折算为分数或分数区间", (
        Param("grades", ("grades",), "等次折算分",
              "每行一个等次：优秀 = 10，区间 良好 = 8~9，或按得分折算 良好 = {base: 8, from: 80, step: 10, per: 1}",
              "lines",
              placeholder="优秀 = 10", show_fn=_show_labels, parse_fn=lambda raw: _parse_labels(raw, ranges=True)),
        _BASIS,
    )),
    Method("supervision", "督办结果", "分值 × 按期办结率，再扣逾期、退回的分", (
        Param("per_overdue", ("per_overdue",), "每件逾期扣分", "每件逾期事项扣的分，默认 0"),
        Param("per_returned", ("per_returned",), "每件退回扣分", "每件退回事项扣的分，默认 0"),
        Param("cap", ("cap",), "扣分上限", "逾期、退回合计最多扣的分；不写则不封顶（得分不低于 0）"),
    )),
    Method("formula", "自定义公式", "用变量和 points、target、challenge 写公式，结果限制在最低分与最高分之间", (
        Param("expression", ("expression",), "公式", "如 min(value / target, 1.2) * points", "text",
              parse_fn=_parse_text),
        Param("variables", ("variables",), "变量", "公式读取的数据变量，逗号分隔，默认 value", "list",
              show_fn=_show_list, parse_fn=_parse_list),
        Param("target", ("target",), "目标值", "公式中的 target"),
        Param("challenge", ("challenge",), "挑战值", "公式中的 challenge"),
        Param("min", ("min",), "最低分", "默认 0"),
        Param("max", ("max",), "最高分", "默认为本项分值"),
    )),
    Method("follow", "依据上级结果", "得分 = 上级（对象名单的上级）在另一类别的总分（或某指标）÷ 其分值 × 本项分值", (
        Param("follow_category", ("category",), "上级类别", "上级所在类别的编码，如 keshi", "text",
              parse_fn=_parse_text),
        Param("follow_indicator", ("indicator",), "上级指标", "不写则取上级的总分；写指标编码则取该指标得分", "text",
              parse_fn=_parse_text),
    )),
)}
assert tuple(METHODS) == RULE_METHODS, "the editor offers every method of the format"

# Every row field a parameter of some method uses (a row has one field per name).
PARAM_FIELDS: tuple[str, ...] = tuple(dict.fromkeys(p.name for m in METHODS.values() for p in m.params))


def method_label(code: str) -> str:
    m = METHODS.get(code)
    return m.label if m else code


def _items_summary(items: Any) -> str:
    """Incident items by name: 通报批评 县:0.5, 市:1, 省:2、迟到 2 …"""
    if not isinstance(items, list):
        return show_value(items) if items is not None else ""
    out = []
    for line, item in zip(_show_items(items).split("\n"), items, strict=False):
        parts = [p.strip() for p in line.split("|")]
        name = (item.get("name") or item.get("code")) if isinstance(item, dict) else line
        amount = parts[2] if len(parts) > 2 else ""
        cap = f"（上限 {parts[3]}）" if len(parts) > 3 and parts[3] else ""
        out.append(f"{name} {amount}{cap}".strip())
    return "、".join(out)


def rule_summary(rule: Any) -> str:
    """A rule's parameters in one line, for the read-only tree: 目标值 100；挑战值 120 …"""
    if not isinstance(rule, dict):
        return ""
    m = METHODS.get(str(rule.get("method")))
    if m is None:
        return ""
    parts = []
    for p in m.params:
        shown = _items_summary(p.get(rule)) if p.name == "items" else p.show(rule)
        if shown:
            if p.kind == "choice":
                shown = dict(p.choices).get(shown, shown)
            elif p.kind == "bool":
                shown = "是" if shown == "true" else "否"
            parts.append(f"{p.label} {shown.replace(chr(10), '；')}")
    return "；".join(parts)
