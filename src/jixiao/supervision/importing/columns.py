"""The columns of the matters import sheet and how one cell is read. Pure: no database.

Columns are found by their header text, so their order is free; a header may carry a trailing
``*`` (the template marks required columns so) or a note in brackets (``办结时限（YYYY-MM-DD）``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from jixiao.supervision.models import Matter

DATA_SHEET = "事项"
NOTES_SHEET = "填写说明"
UNITS_SHEET = "单位"
LEADERS_SHEET = "领导"
REFERENCE_SHEETS = (NOTES_SHEET, UNITS_SHEET, LEADERS_SHEET)
YES, NO = "是", "否"
MAX_TEXT = 2000  # long text cells (content, measures); a full report belongs in an attachment


@dataclass(frozen=True)
class Col:
    """A column of the import sheet: ``key`` is the MatterInput field it fills (or ``assign``)."""

    key: str
    header: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    width: int = 14
    note: str = ""


def _labels(choices: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in choices.labels)


COLUMNS: tuple[Col, ...] = (
    Col("kind", "类别", choices=_labels(Matter.Kind), width=11,
        note="督办事项 或 整改事项；留空按督办事项"),
    Col("title", "事项名称", required=True, max_length=200, width=30, note="必填，不超过 200 字"),
    Col("content", "事项内容/问题描述", aliases=("事项内容", "问题描述", "事项内容／问题描述"), max_length=MAX_TEXT,
        width=40, note="督办事项写事项内容，整改事项写问题描述"),
    Col("source", "来源", choices=_labels(Matter.Source), width=11, note="从下拉列表选择；留空按上级交办"),
    Col("source_ref", "来源文号", max_length=200, width=20, note="文件文号或会议纪要，如 正政办〔2026〕12号"),
    Col("level", "重要程度", choices=_labels(Matter.Level), width=10, note="一般、重要、重大；留空按一般"),
    Col("urgency", "紧急程度", choices=_labels(Matter.Urgency), width=10, note="常规、紧急、特急；留空按常规"),
    Col("leader", "责任领导", width=12, note=f"具有领导角色的账号或姓名，见“{LEADERS_SHEET}”工作表；可留空"),
    Col("lead_unit", "主办单位", required=True, width=16,
        note=f"必填，单位编码或全称，见“{UNITS_SHEET}”工作表"),
    Col("co_units", "协办单位", width=20, note="单位编码或全称，多个用顿号“、”或逗号分隔；不能与主办单位相同"),
    Col("liaison", "联络员", max_length=50, width=10),
    Col("liaison_phone", "联系电话", max_length=30, width=14),
    Col("materials", "报送资料", max_length=MAX_TEXT, width=24,
        note="办结时须报送的资料，多项用分号“；”或换行分隔"),
    Col("measures", "整改措施", aliases=("办理措施",), max_length=MAX_TEXT, width=30),
    Col("deadline", "办结时限", required=True, width=12,
        note="必填，日期单元格或“2026-03-31”这样的文本；不能早于今天"),
    Col("milestones", "阶段节点", width=36,
        note="“名称:日期”，多个用分号“；”或换行分隔，如 完成摸底:2026-03-15；完成改造:2026-03-25；"
             "不能晚于办结时限"),
    Col("warn_days", "预警天数", width=10, note="到期前多少天亮黄灯，0–60；留空按系统默认"),
    Col("assign", "立即交办", choices=(YES, NO), width=10, note="是：导入后立即交办，开始计时；否或留空：只登记"),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c for c in COLUMNS if c.required)
POSITION = {c.header: i for i, c in enumerate(COLUMNS)}


def header_key(text: str) -> str:
    """A header as compared: no blanks, no required mark, no bracketed note."""
    s = re.sub(r"\s+", "", text)
    s = re.sub(r"[（(][^）)]*[）)]", "", s)
    return s.strip("*＊")


HEADERS: dict[str, Col] = {header_key(n): c for c in COLUMNS for n in (c.header, *c.aliases)}


def label_of(key: str | None) -> str:
    """The header of a MatterInput field (for a service error's ``field``)."""
    col = BY_KEY.get(key or "")
    return col.header if col else ""


# --- cells ---------------------------------------------------------------------------------------

LIST_SEP = re.compile(r"[、,，;；\n]+")
ITEM_SEP = re.compile(r"[;；\n]+")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class CellError(ValueError):
    """A cell that cannot be read; the message names the value."""


def text_of(raw: Any) -> str:
    """A cell as text: numbers without a spurious ``.0`` (phone numbers), dates as YYYY-MM-DD."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).replace("\r\n", "\n").strip()


def parse_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(f"“{text_of(raw)}”不是日期：请按“2026-03-31”的格式填写，或把单元格格式设为日期")
    text = text_of(raw)
    m = DATE_TEXT.match(text)
    if m is None:
        raise CellError(f"“{text}”不是日期，请按“年-月-日”填写（如 2026-03-31）")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError(f"日期“{text}”不存在") from None


def split_list(text: str) -> list[str]:
    return [p.strip() for p in LIST_SEP.split(text) if p.strip()]


def split_items(text: str) -> list[str]:
    return [p.strip() for p in ITEM_SEP.split(text) if p.strip()]


def parse_milestones(text: str) -> list[tuple[str, dt.date]]:
    out = []
    for item in split_items(text):
        title, sep, when = item.replace("：", ":").rpartition(":")
        if not sep or not title.strip():
            raise CellError(f"“{item}”应写成“名称:日期”，如 完成摸底:2026-03-15")
        try:
            due = parse_date(when.strip())
        except CellError as e:
            raise CellError(f"“{item}”的{e}") from None
        out.append((title.strip(), due))
    return out


def parse_int(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = text_of(raw).removesuffix("天").strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise CellError(f"“{text_of(raw)}”不是整数")


CHOICES: dict[str, Any] = {"kind": Matter.Kind, "source": Matter.Source, "level": Matter.Level,
                           "urgency": Matter.Urgency}
ALIASES = {"督办": "督办事项", "整改": "整改事项", "Y": YES, "N": NO, "YES": YES, "NO": NO, "TRUE": YES, "FALSE": NO}


def parse_choice(col: Col, raw: Any) -> str:
    """A choice label → its stored value (the label itself for 立即交办)."""
    text = text_of(raw)
    text = ALIASES.get(text.upper(), text)
    if text not in col.choices:
        raise CellError(f"“{text_of(raw)}”不是可选值，应为 {'、'.join(col.choices)}")
    choices = CHOICES.get(col.key)
    if choices is None:
        return text
    return str(dict(zip(choices.labels, choices.values, strict=True))[text])
