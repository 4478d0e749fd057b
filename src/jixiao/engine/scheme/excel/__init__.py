"""The scheme (考核方案) as an Excel workbook a performance office can keep and edit.

``write_scheme_workbook`` writes a scheme (or an empty template) and ``read_scheme_workbook``
reads it back into the very same :class:`Scheme`: ``read(write(s)) == s`` for every scheme the
model accepts. Every problem found while reading is reported as a :class:`Problem` whose
``file`` names the sheet (``scheme.xlsx[指标]``), whose ``line`` is the spreadsheet row and whose
``path`` is the column header.

Layout
======

Every sheet has its column headers in row 1, written ``中文 (english_key)``; a header is
recognised by the key in brackets or by the Chinese label alone. Columns whose header starts
with ``备注`` or ``#`` are the clerk's own notes and are ignored; any other unknown header is an
error, so that a misspelt column is never silently dropped. Empty rows are skipped.

``方案`` (scheme)
    Key/value rows: column A the item (``方案编码 (code)``), column B its value, column C a
    note. Items: ``code``, ``name``, ``description``, ``scale`` (满分), ``decimals`` (保留小数位),
    ``period_codes`` (期间编码, comma separated) or ``frequency`` (期间频率) with ``year``
    (考核年度), ``rollup`` (期间汇总方式) and ``rollup_weights`` (期间汇总权重,
    ``2024-H1:30, 2024-Y:60``).

``类别`` (categories)
    One row per category, in scheme order: ``code``, ``name``, ``groups`` (排名组, comma
    separated), ``points``, ``weight_total``, ``bonus_cap``, ``deduction_cap``, ``min_score``
    (empty = 0, ``无`` = no minimum), ``periods`` / ``period_weights`` (the category's period
    roll-up) and the result rules: ``ranking`` plus ``grades``, ``vetoes``, ``eligibility``,
    ``multi_year`` and ``bottom_report`` each as YAML flow text in one cell, e.g. grades
    ``[{name: 优秀, min: 90, quota: {share: 0.2}}, {name: 合格}]`` (a list is the bands; a
    mapping is the whole ``grades`` block with ``basis``).

``指标`` (indicators), the main sheet
    One row per indicator node at any depth, in tree order (children follow their parent,
    siblings in sheet order). ``category`` (empty = as the row above), ``code``, ``parent``
    (上级编码; empty = top level of the category), ``name``, ``points``, ``weight``, ``method``
    (empty for a group). The common rule fields have their own columns, used only by the
    methods that have them:

    ======================  =====================================================
    ratio                   target, lower_is_better, challenge, challenge_bonus,
                            challenge_mode, zero_below
    deduction / bonus       cap, base, requires_evidence
    rating                  full
    tiers                   basis, below
    manual                  range_low, range_high
    plan                    cap_ratio
    grade_map               basis
    supervision             per_overdue, per_returned, cap
    formula                 expression, variables, target, challenge, min, max
    ======================  =====================================================

    Everything else of a rule goes into ``rule`` (规则明细) as a YAML flow mapping:
    ``{items: [{code: A1, name: 迟报, per: 2, cap: 6}]}`` (deduction/bonus; an item has
    ``per``, ``range: [2, 5]`` or ``levels: {市: 1, 省: 2}``), ``{scale: {优秀: 100, 称职: 90}}``
    (rating), ``{tiers: [{min: 90, score: 10}]}`` (tiers), ``{grades: {优秀: 10, 良好: [8, 9]}}``
    (grade_map). Then the descriptive columns ``unit``, ``source`` (数据来源单位),
    ``responsible``, ``co_units``, ``frequency``, ``evidence``, ``description`` and the rarer
    node fields ``bounds_low`` / ``bounds_high``, ``weight_total``, ``bonus_cap``,
    ``deduction_cap``, ``periods`` / ``period_weights``.

``说明`` (instructions)
    Written for the clerk (every column and method in one line of Chinese); never read.

Cell conventions: lists are separated by ``,`` ``，`` ``、`` ``;`` or line breaks (a cell starting
with ``[`` is a YAML flow list instead, used when an element itself holds a separator);
period weights are ``code:weight`` pairs (or a YAML flow mapping ``{…}``); yes/no cells take
``是``/``否`` (also yes/no, true/false, 1/0). A period roll-up with weights but no mode is
``weighted``. Text keeps its spaces exactly; codes, numbers and choices are trimmed.
Numbers that Excel cannot hold to the last bit (17 significant digits) are written as text
and read back exactly; characters XML cannot hold are written with
Excel's own ``_xHHHH_`` escapes.

Modules: ``columns`` (sheets, columns and which method uses which column), ``cells`` (cell
values both ways), ``write`` (the writer), ``tables`` (opening the workbook and its header
rows), ``read`` (sheets into scheme data, the indicator tree) and ``locate`` (validation
problems back to sheet, row and column).
"""

from jixiao.engine.scheme.excel.read import read_scheme_workbook
from jixiao.engine.scheme.excel.write import write_scheme_workbook

__all__ = ["read_scheme_workbook", "write_scheme_workbook"]
