"""The import template: one workbook per assessment period, filled in for the user's scope.

One sheet per scheme category with the objects the user may report for as rows and the
(indicator, variable) pairs assessed in the period as columns; the values already in the ledger
are pre-filled. A hidden row carries the machine keys the reader relies on (see ``layout``), so
the visible headers can be read by people and even edited without breaking the import.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.org.scoping import Scope
from jixiao.schemes.models import Period

from .layout import (
    CLEAR_WORD,
    CODE_COL,
    FIRST_DATA_ROW,
    FIRST_VALUE_COL,
    INSTRUCTIONS_SHEET,
    KEY_ROW,
    NAME_COL,
    safe_sheet_name,
    sheet_marker,
)
from .plan import ImportContext, SheetPlan, import_context

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_ABS = "9999999999999"  # parse_number refuses |x| ≥ 1e13
FED_NOTE = "由督办系统按事项办理情况自动计数"


def template_workbook(*, scope: Scope, period: Period, context: ImportContext | None = None) -> Workbook:
    ctx = context or import_context(scope=scope, period=period)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = INSTRUCTIONS_SHEET
    sheets, fed = _without_fed(ctx.sheets())
    taken: set[str] = {INSTRUCTIONS_SHEET.lower()}
    names = []
    for plan in sheets:
        ws = wb.create_sheet(safe_sheet_name(plan.category.name, taken))
        names.append(ws.title)
        _fill_sheet(ws, ctx, plan)
    _fill_guide(guide, ctx, names, fed)
    if sheets:
        wb.active = 1
    return wb


def _without_fed(sheets: list[SheetPlan]) -> tuple[list[SheetPlan], list[str]]:
    """The sheets without the columns counted from supervised matters (nobody types those; the
    reader refuses them), and the names of the indicators left out, for the 说明 sheet."""
    out: list[SheetPlan] = []
    fed: dict[str, None] = {}
    for plan in sheets:
        columns = [c for c in plan.columns if not c.leaf.fed_by_system]
        fed.update((c.leaf.name, None) for c in plan.columns if c.leaf.fed_by_system)
        if columns:
            out.append(SheetPlan(category=plan.category, objects=plan.objects, columns=columns))
    return out, list(fed)


def template_bytes(*, scope: Scope, period: Period, context: ImportContext | None = None) -> bytes:
    buf = io.BytesIO()
    template_workbook(scope=scope, period=period, context=context).save(buf)
    return buf.getvalue()


def template_filename(period: Period) -> tuple[str, str]:
    """(UTF-8 file name, ASCII fallback) of a period's template."""
    a = period.assessment
    unsafe = '\\/:*?"<>|\r\n'
    name = "".join("_" if ch in unsafe else ch for ch in f"{a.name}_{period.name}_数据导入模板.xlsx")
    return name, f"{a.code}_{period.code}_import.xlsx"


def _number(d: Decimal | None) -> int | Decimal | None:
    if d is None:
        return None
    n = d.normalize()
    return int(n) if n == n.to_integral_value() else Decimal(format(n, "f"))


def _fill_sheet(ws: Worksheet, ctx: ImportContext, plan: SheetPlan) -> None:
    a, p = ctx.assessment, ctx.period
    last_col = FIRST_VALUE_COL + len(plan.columns) - 1
    last_letter = get_column_letter(last_col)

    ws.cell(1, 1, f"{a.name} · {p.name} · {plan.category.name} 数据导入").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(last_col, NAME_COL))
    ws.row_dimensions[1].height = 24

    ws.cell(KEY_ROW, CODE_COL, sheet_marker(a.code, p.code, plan.category.code))
    ws.cell(KEY_ROW, NAME_COL, "#name")
    ws.row_dimensions[KEY_ROW].hidden = True

    ws.cell(3, CODE_COL, "考核对象编码")
    ws.cell(3, NAME_COL, "考核对象名称")
    ws.merge_cells(start_row=3, start_column=CODE_COL, end_row=5, end_column=CODE_COL)
    ws.merge_cells(start_row=3, start_column=NAME_COL, end_row=5, end_column=NAME_COL)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 24

    start = FIRST_VALUE_COL
    for i, col in enumerate(plan.columns):
        c = FIRST_VALUE_COL + i
        leaf = col.leaf
        ws.cell(KEY_ROW, c, col.key)
        title = " › ".join((*leaf.path, leaf.name))
        ws.cell(3, c, title)
        ws.cell(4, c, col.label)
        ws.cell(5, c, leaf.unit + (f"（{leaf.source}填报）" if leaf.source else ""))
        ws.column_dimensions[get_column_letter(c)].width = max(12, min(30, len(title) * 2 + 2)
                                                               if len(leaf.variables) == 1 else 12)
        if col.variable == leaf.variables[0]:
            note = [f"指标编码：{leaf.code}"]
            if leaf.points is not None:
                note.append(f"分值：{leaf.points:g}")
            if leaf.source:
                note.append(f"数据来源：{leaf.source}")
            ws.cell(3, c).comment = Comment("\n".join(note), "jixiao")
            start = c
        if col.variable == leaf.variables[-1] and c > start:
            ws.merge_cells(start_row=3, start_column=start, end_row=3, end_column=c)
    for r in (3, 4, 5):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.font = Font(bold=r == 3)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[3].height = 36

    office = ctx.scope.office
    for n, obj in enumerate(plan.objects):
        r = FIRST_DATA_ROW + n
        code = ws.cell(r, CODE_COL, obj.code)
        code.number_format = "@"
        ws.cell(r, NAME_COL, obj.name)
        for i, col in enumerate(plan.columns):
            c = FIRST_VALUE_COL + i
            ex = ctx.existing.get((obj.id, col.leaf.code, col.variable))
            cell = ws.cell(r, c, _number(ex.value) if ex is not None else None)
            if not office and not ctx.may_report(obj, col):
                cell.fill = LOCKED_FILL
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, FIRST_VALUE_COL)

    if plan.objects and plan.columns:
        last_row = FIRST_DATA_ROW + len(plan.objects) - 1
        dv = DataValidation(type="decimal", operator="between", formula1=f"-{MAX_ABS}", formula2=MAX_ABS,
                            allow_blank=True, showErrorMessage=True, errorStyle="warning",
                            errorTitle="请填写数字",
                            error=f"请填写数字。留空表示不修改原值；要删除原值请填写“{CLEAR_WORD}”。")
        dv.add(f"{get_column_letter(FIRST_VALUE_COL)}{FIRST_DATA_ROW}:{last_letter}{last_row}")
        ws.add_data_validation(dv)
        ws.auto_filter.ref = f"A5:{last_letter}{last_row}"


GUIDE = [
    "填写说明",
    "",
    "1. 每个考核对象类别一张工作表；每行一个考核对象，每列一个指标的一项数据（完成值、目标值等）。",
    "2. 只填写数字。可以带千分位逗号（如 1,234.5）；写成百分数（如 85%）时按 85 导入。",
    "3. 空白单元格表示“不修改”：系统中已有的数据保持不变，不会被清除。",
    f"4. 要删除系统中已有的某个数据，请在该单元格填写“{CLEAR_WORD}”两个字。"
    "“-”“/”等符号不会被当作清空，而是作为错误列出。",
    "5. 灰色单元格是您无权填报的指标（例如由数据来源单位填报的第三方指标），请保持空白。",
    "6. 请勿修改前两列的考核对象编码，勿增删列，勿改动工作表结构；第 2 行为隐藏的系统标识行，请勿删除。"
    "可以删除不需要填报的行。",
    "7. 公式单元格按 Excel 保存时计算出的结果导入。",
    "8. 上传后系统先逐个单元格检查，列出所有错误（工作表、行、列、原因）；只要有一处错误，全部数据都不写入。"
    "全部正确时一次写入并立即重新计算考核结果。",
    "9. 与系统中已报送或已审核的数值相同的单元格视为未修改；已审核的数据需由绩效办退回后才能修改。",
    "10. 只接受本系统下载的 .xlsx 模板，不接受含宏的工作簿（.xlsm）。",
]


def _fill_guide(ws: Worksheet, ctx: ImportContext, sheets: list[str], fed: list[str]) -> None:
    a, p = ctx.assessment, ctx.period
    ws.cell(1, 1, f"{a.name} · {p.name} 数据导入模板").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"考核编码 {a.code}，考核期 {p.code}；本模板只能导入到该考核期。")
    row = 4
    for line in GUIDE:
        cell = ws.cell(row, 1, line)
        if row == 4:
            cell.font = Font(bold=True)
        row += 1
    if fed:
        ws.cell(row, 1, f"{len(GUIDE) - 1}. 以下指标{FED_NOTE}，不在模板中，也不能导入："
                        + "、".join(f"“{name}”" for name in fed) + "。")
        row += 1
    row += 1
    if sheets:
        ws.cell(row, 1, "本模板包含的工作表：" + "、".join(sheets))
    else:
        ws.cell(row, 1, "本考核期没有您可以填报的数据。").font = Font(bold=True, color="C00000")
    ws.column_dimensions["A"].width = 120
