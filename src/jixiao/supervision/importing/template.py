"""The import template: a sheet to fill in (one matter a row), the notes, the units and the leaders.

Choice columns carry drop-down lists (data validation); the unit and leader columns offer the
names from their sheets but only warn on other text, since a unit code is accepted too.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .columns import COLUMNS, DATA_SHEET, LEADERS_SHEET, NOTES_SHEET, UNITS_SHEET, Col
from .plan import Lookups, lookups_load

ROWS = 500  # rows prepared with drop-downs and date format; more may be added below
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
FILENAME = ("督办事项导入模板.xlsx", "matters_import_template.xlsx")  # (UTF-8 name, ASCII fallback)


def header_text(col: Col) -> str:
    return f"{col.header}*" if col.required else col.header


def template_workbook(*, lookups: Lookups | None = None) -> Workbook:
    lk = lookups or lookups_load()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    _fill_data(ws, lk)
    _fill_notes(wb.create_sheet(NOTES_SHEET))
    _fill_units(wb.create_sheet(UNITS_SHEET), lk)
    _fill_leaders(wb.create_sheet(LEADERS_SHEET), lk)
    wb.active = 0
    return wb


def template_bytes(*, lookups: Lookups | None = None) -> bytes:
    buf = io.BytesIO()
    template_workbook(lookups=lookups).save(buf)
    return buf.getvalue()


def _fill_data(ws: Worksheet, lk: Lookups) -> None:
    last = ROWS + 1
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, i, header_text(col))
        cell.fill = HEADER_FILL
        cell.font = REQUIRED_FONT if col.required else Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col.note:
            cell.comment = Comment(col.note, "jixiao")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        cells = f"{letter}2:{letter}{last}"
        if col.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=col.header,
                                error=f"请从下拉列表中选择：{'、'.join(col.choices)}")
            dv.add(cells)
            ws.add_data_validation(dv)
        elif col.key in ("lead_unit", "co_units", "leader"):
            unit = col.key != "leader"
            sheet, n = (UNITS_SHEET, len(lk.units)) if unit else (LEADERS_SHEET, len(lk.leaders))
            if n:
                # A warning only: codes are accepted too, and co-units hold several names.
                dv = DataValidation(type="list", formula1=f"{quote_sheetname(sheet)}!$B$2:$B${n + 1}",
                                    allow_blank=True, showErrorMessage=col.key != "co_units", errorStyle="warning",
                                    errorTitle=col.header, error=f"不在“{sheet}”工作表中；填写编码或账号也可以")
                dv.add(cells)
                ws.add_data_validation(dv)
        elif col.key == "deadline":
            for r in range(2, last + 1):
                ws.cell(r, i).number_format = "yyyy-mm-dd"
        elif col.key == "warn_days":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="60", allow_blank=True,
                                showErrorMessage=True, errorTitle=col.header, error="预警天数须为 0–60 的整数")
            dv.add(cells)
            ws.add_data_validation(dv)
        if col.key in ("liaison_phone", "source_ref"):
            for r in range(2, last + 1):
                ws.cell(r, i).number_format = "@"  # keep phone numbers and 〔〕 numbers as typed
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"


NOTES = [
    "1. 每行一个事项，从第 2 行起填写；列的顺序可以调整，但请勿修改表头文字，也不要增加其他列。",
    "2. 表头带 * 的列必须填写：事项名称、主办单位、办结时限。",
    f"3. 主办单位、协办单位填写单位编码或全称，见“{UNITS_SHEET}”工作表；协办单位多个时用顿号“、”或逗号分隔。",
    f"4. 责任领导填写具有领导角色的账号或姓名，见“{LEADERS_SHEET}”工作表。",
    "5. 日期填写为日期单元格或 YYYY-MM-DD 文本（如 2026-03-31）；办结时限不能早于今天，阶段节点不能晚于办结时限。",
    "6. 阶段节点写成“名称:日期”，多个用分号“；”或换行分隔，如：完成摸底:2026-03-15；完成改造:2026-03-25。",
    "7. 立即交办填“是”时，导入后立即交办给主办单位并开始计时（阶段节点不能早于今天）；填“否”或留空只登记。",
    "8. 同一文件中事项名称和主办单位都相同的两行视为重复；系统中当年已有的同名同主办单位事项也不能再次导入。",
    "9. 上传后系统先逐行检查，列出所有问题（行、列、填写的内容、原因）；只要有一处问题，全部事项都不导入。",
    "10. 只接受 .xlsx 文件，不接受含宏的工作簿（.xlsm）或旧版 .xls 文件。",
]
EXAMPLE = ("督办事项", "推进老旧小区改造", "完成3个老旧小区的改造", "领导批示", "县长批示〔2026〕3号", "重要", "紧急",
           "（领导姓名）", "（主办单位）", "（协办单位1）、（协办单位2）", "张三", "13800000000",
           "改造方案；验收报告", "", "2026-03-31", "完成摸底:2026-03-15；完成改造:2026-03-25", "3", "是")


def _fill_notes(ws: Worksheet) -> None:
    ws.cell(1, 1, "督办事项 / 整改事项 批量导入 · 填写说明").font = Font(bold=True, size=14)
    row = 3
    for line in NOTES:
        ws.cell(row, 1, line)
        row += 1
    row += 1
    ws.cell(row, 1, "各列说明").font = Font(bold=True)
    row += 1
    for col in COLUMNS:
        choices = f"（可选：{'、'.join(col.choices)}）" if col.choices else ""
        ws.cell(row, 1, f"{header_text(col)}：{col.note or '可留空'}{choices}")
        row += 1
    row += 1
    ws.cell(row, 1, f"填写示例（请填在“{DATA_SHEET}”工作表，不要填在这里）").font = Font(bold=True)
    row += 1
    for i, (col, example) in enumerate(zip(COLUMNS, EXAMPLE, strict=True)):
        ws.cell(row + i, 1, f"{col.header}：{example}")
    ws.column_dimensions["A"].width = 120


def _fill_units(ws: Worksheet, lk: Lookups) -> None:
    names = {u.pk: u.name for u in lk.units}
    for c, title in enumerate(("单位编码", "单位名称", "上级单位"), start=1):
        ws.cell(1, c, title).font = Font(bold=True)
    for r, u in enumerate(lk.units, start=2):
        ws.cell(r, 1, u.code)
        ws.cell(r, 2, u.name)
        ws.cell(r, 3, names.get(u.parent_id or 0, ""))
    for letter, width in (("A", 18), ("B", 28), ("C", 28)):
        ws.column_dimensions[letter].width = width


def _fill_leaders(ws: Worksheet, lk: Lookups) -> None:
    for c, title in enumerate(("账号", "姓名", "分管单位"), start=1):
        ws.cell(1, c, title).font = Font(bold=True)
    for r, info in enumerate(lk.leaders, start=2):
        ws.cell(r, 1, info.user.get_username())
        ws.cell(r, 2, info.name)
        ws.cell(r, 3, "、".join(info.units))
    for letter, width in (("A", 16), ("B", 16), ("C", 60)):
        ws.column_dimensions[letter].width = width
