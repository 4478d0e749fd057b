"""The layout shared by the template writer and the reader: where the machine keys live.

Every data sheet (one per scheme category)::

    row 1  title
    row 2  hidden machine keys: A2 = MARKER with assessment, period and category codes,
           C2… = "indicator:variable" per value column
    row 3  indicator (path › name)     A3 考核对象编码, B3 考核对象名称
    row 4  variable label (完成值, 目标值…)
    row 5  unit of measure (and the data-source unit of third-party indicators)
    row 6… one row per assessed object: code, name, then the values

Codes never contain ``:`` (the scheme format forbids it), so ``:`` separates the key parts.
"""

from __future__ import annotations

MARKER = "jixiao-import"
LAYOUT_VERSION = "1"
KEY_ROW = 2
HEADER_ROWS = (3, 4, 5)
FIRST_DATA_ROW = 6
CODE_COL = 1  # A
NAME_COL = 2  # B
FIRST_VALUE_COL = 3  # C
INSTRUCTIONS_SHEET = "说明"
CLEAR_WORD = "清空"  # a cell holding exactly this clears an existing value
INVALID_SHEET_CHARS = frozenset('[]:*?/\\')


def sheet_marker(assessment: str, period: str, category: str) -> str:
    return ":".join((MARKER, LAYOUT_VERSION, assessment, period, category))


def parse_marker(text: object) -> tuple[str, str, str] | None:
    """(assessment, period, category) from a sheet's A2, or None when it is not our marker."""
    if not isinstance(text, str):
        return None
    parts = text.split(":")
    if len(parts) != 5 or parts[0] != MARKER or parts[1] != LAYOUT_VERSION:
        return None
    return parts[2], parts[3], parts[4]


def column_key(indicator: str, variable: str) -> str:
    return f"{indicator}:{variable}"


def parse_column_key(text: object) -> tuple[str, str] | None:
    if not isinstance(text, str) or text.count(":") != 1:
        return None
    indicator, variable = text.split(":")
    return (indicator, variable) if indicator and variable else None


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-safe, unique (case-insensitively) sheet name of at most 31 characters."""
    clean = "".join("_" if ch in INVALID_SHEET_CHARS else ch for ch in name).strip().strip("'") or "Sheet"
    if clean.lower() == "history":
        clean = "History_"
    base = clean[:31]
    candidate, n = base, 2
    while candidate.lower() in taken or candidate == INSTRUCTIONS_SHEET:
        suffix = f"({n})"
        candidate = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.lower())
    return candidate
