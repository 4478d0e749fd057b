"""The official tables as plain data: result rows in, a table model out. Pure, no database.

Three tables an office prints after an assessment (seed 001: results are published, rewarded and
kept per person):

- 考核汇总表 (:func:`summary_table`): per category, each object's component scores, total, rank
  (ties share a rank), grade and remarks (vetoes, lost eligibility, missing data…);
- 个人得分记分手册 (:func:`handbook_table`): per person, period by period, the component scores,
  the period total and rank, then the whole year with the grade;
- 考核结果兑现表 (:func:`rewards_table`): per category, the grade's reward coefficient and standard
  (``Band.coefficient`` / ``Band.reward``), with a count per grade at the bottom.

:mod:`jixiao.reports.xlsx` and :mod:`jixiao.reports.pdf` draw the same :class:`Table`, so the two
files always say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from jixiao.engine.scheme.model import Band, Category, Node

Value = str | int | float | None
Kind = Literal["text", "center", "int", "score", "coef"]
RowKind = Literal["data", "total", "group", "note"]

SUMMARY = "考核汇总表"
HANDBOOK = "个人得分记分手册"
REWARDS = "考核结果兑现表"
NO_COEFFICIENTS = "方案未设兑现系数"
NO_GRADES = "方案未设等次，无兑现系数"


@dataclass(frozen=True)
class Column:
    """A column: its header, width (in characters, as a spreadsheet counts them), how its values
    are shown, and the upper header it sits under (columns with the same ``group`` side by side
    share one merged cell above them; an empty group spans both header rows)."""

    label: str
    width: float
    kind: Kind = "text"
    group: str = ""


@dataclass(frozen=True)
class Row:
    """A line of a table: ``data`` and ``total`` rows have one value per column; ``group`` (a
    sub-heading) and ``note`` rows are one text across the whole table."""

    cells: tuple[Value, ...]
    kind: RowKind = "data"


@dataclass(frozen=True)
class Block:
    """A run of rows under one header, with an optional heading line above it (the person of a
    handbook page)."""

    rows: tuple[Row, ...]
    heading: str = ""


@dataclass(frozen=True)
class Appendix:
    """A small table below the main one (the count per grade): each column spans ``span`` of the
    main table's columns, so it lines up under it."""

    title: str
    columns: tuple[tuple[str, int], ...]
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True)
class Table:
    title: str
    meta: tuple[str, ...]
    columns: tuple[Column, ...]
    blocks: tuple[Block, ...]
    sheet: str
    notes: tuple[str, ...] = ()
    appendix: Appendix | None = None
    page_per_block: bool = False  # the handbook: each person on a page of their own
    decimals: int = 2

    @property
    def two_level(self) -> bool:
        return any(c.group for c in self.columns)

    @property
    def landscape(self) -> bool:
        """Wider than an upright A4 takes at a readable size."""
        return sum(c.width for c in self.columns) > 100


@dataclass(frozen=True)
class HeaderCell:
    label: str
    col: int  # 0-based first column
    colspan: int = 1
    rowspan: int = 1


def header_rows(columns: Sequence[Column]) -> list[list[HeaderCell]]:
    """The header as cells with their spans: one row when no column has a group; else two, the
    groups merged across their columns on top and the ungrouped columns spanning both rows."""
    if not any(c.group for c in columns):
        return [[HeaderCell(c.label, i) for i, c in enumerate(columns)]]
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    i = 0
    while i < len(columns):
        c = columns[i]
        if not c.group:
            top.append(HeaderCell(c.label, i, rowspan=2))
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j].group == c.group:
            bottom.append(HeaderCell(columns[j].label, j))
            j += 1
        top.append(HeaderCell(c.group, i, colspan=j - i))
        i = j
    return [top, bottom]


# --- Inputs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One stored result as the tables need it (the selectors make these from ``Result`` rows)."""

    name: str
    unit: str  # the unit it is, or the person's unit
    group: str
    total: float | None
    rank: int
    group_size: int
    grade: str = ""
    vetoed: bool = False
    flags: tuple[tuple[str, str], ...] = ()  # (flag code, words)
    components: Mapping[str, float | None] = field(default_factory=dict)
    periods: Mapping[str, Mapping[str, float | int | None]] = field(default_factory=dict)
    group_label: str = ""  # a ranking group in words (中层副职), else its code
    object_code: str = ""
    # The handbook's: per period code, each component's score that period (from the engine).
    period_components: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What every table of a category says above its rows."""

    assessment: str  # the assessment's name
    category: Category  # the engine's category: its components, grades and vetoes
    category_name: str
    person: bool  # the objects are people (姓名, 所在单位) rather than units
    results_at: str  # when the results were computed, in words ("" when never)
    decimals: int = 2  # the scheme's rounding: scores are shown with this many decimals


def title_of(assessment: str, kind: str) -> str:
    """``正定县2024年度绩效考核`` + 考核汇总表 → ``正定县2024年度绩效考核汇总表`` (no 考核考核)."""
    if kind.startswith("考核") and assessment.endswith("考核"):
        return assessment + kind[2:]
    return assessment + kind


def number(x: float) -> str:
    """90.0 → "90", 2.5 → "2.5", as the office writes points and coefficients."""
    return f"{x:g}"


def component_label(node: Node) -> str:
    """名称（N分）, or 名称（权重N%）under a weighted mix; adjustments (加分, 扣分) by name alone."""
    name = node.name or node.code
    if node.weight is not None:
        return f"{name}（权重{number(node.weight)}%）"
    if node.points is not None:
        return f"{name}（{number(node.points)}分）"
    return name


def _meta(ctx: Context, *extra: str) -> tuple[str, ...]:
    parts = [f"考核：{ctx.assessment}", f"类别：{ctx.category_name}",
             f"计算时间：{ctx.results_at or '尚未计算'}", *extra]
    return tuple(p for p in parts if p)


def _remarks(entry: Entry) -> str:
    return "；".join(words for _code, words in entry.flags)


def _sheet_name(text: str) -> str:
    """A worksheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "Sheet"


def _group_rows(ctx: Context, entries: Sequence[Entry]) -> list[tuple[str, list[Entry]]]:
    """Entries split by ranking group (in order, with a sub-heading) when the category ranks each
    group apart and has more than one; else one run without a heading."""
    if ctx.category.results.ranking != "group" or len({e.group for e in entries}) < 2:
        return [("", list(entries))]
    out: dict[str, list[Entry]] = {}
    for e in entries:
        out.setdefault(e.group, []).append(e)
    word = "人" if ctx.person else "个"
    return [(f"排名组：{es[0].group_label or g}（共{es[0].group_size}{word}）", es) for g, es in out.items()]


def _name_columns(ctx: Context) -> list[Column]:
    cols = [Column("序号", 6, "int"), Column("姓名" if ctx.person else "单位", 12 if ctx.person else 22)]
    if ctx.person:
        cols.append(Column("所在单位", 16))
    return cols


def _name_cells(ctx: Context, seq: int, e: Entry) -> list[Value]:
    return [seq, e.name, e.unit] if ctx.person else [seq, e.name]


# --- 考核汇总表 -----------------------------------------------------------------------------------

def summary_table(ctx: Context, entries: Sequence[Entry]) -> Table:
    """考核汇总表 of one category: 序号, 单位 (or 姓名 and 所在单位), each component under 各项得分,
    综合得分 / 名次 / 等次 under 综合评定, and 备注. Entries come ordered by group and rank."""
    nodes = list(ctx.category.indicators)
    cols = _name_columns(ctx)
    cols += [Column(component_label(n), 11, "score", "各项得分") for n in nodes]
    cols += [Column("综合得分", 10, "score", "综合评定"), Column("名次", 7, "int", "综合评定"),
             Column("等次", 8, "center", "综合评定"), Column("备注", 26)]
    rows: list[Row] = []
    seq = 0
    for heading, run in _group_rows(ctx, entries):
        if heading:
            rows.append(Row((heading,), "group"))
        for e in run:
            seq += 1
            rows.append(Row((*_name_cells(ctx, seq, e), *(e.components.get(n.code) for n in nodes), e.total, e.rank,
                             e.grade, _remarks(e))))
    notes = ["说明：名次相同的为并列；加分、扣分项已计入综合得分。"]
    if not entries:
        rows.append(Row(("暂无考核结果",), "note"))
    return Table(title=title_of(ctx.assessment, SUMMARY), meta=_meta(ctx), columns=tuple(cols),
                 blocks=(Block(tuple(rows)),), sheet=_sheet_name(ctx.category_name), notes=tuple(notes),
                 decimals=ctx.decimals)


# --- 考核结果兑现表 -------------------------------------------------------------------------------

def _bands(category: Category) -> list[Band]:
    grades = category.results.grades
    return list(grades.bands) if grades else []


def _forced_vetoes(category: Category) -> dict[str, str]:
    """``veto:<code>`` flags whose veto forces a grade → that grade."""
    return {f"veto:{v.code}": v.grade for v in category.results.vetoes if v.effect == "force_grade" and v.grade}


def rewards_table(ctx: Context, entries: Sequence[Entry]) -> Table:
    """考核结果兑现表 of one category: each object's total, rank and grade with the grade's reward
    coefficient (兑现系数) and standard (兑现标准). A vetoed object is rewarded by the grade it was
    forced to (一票否决 → 不合格 → that band's coefficient), which its remark says. Below: the count
    per grade. A scheme without coefficients is said so in the table, not left blank."""
    bands = _bands(ctx.category)
    by_name = {b.name: b for b in bands}
    has_coefficients = any(b.coefficient is not None for b in bands)
    forced = _forced_vetoes(ctx.category)
    cols = _name_columns(ctx)
    cols += [Column("综合得分", 10, "score", "考核结果"), Column("名次", 7, "int", "考核结果"),
             Column("等次", 8, "center", "考核结果"), Column("兑现系数", 9, "coef", "结果兑现"),
             Column("兑现标准", 32, "text", "结果兑现"), Column("备注", 24)]
    rows: list[Row] = []
    seq = 0
    for heading, run in _group_rows(ctx, entries):
        if heading:
            rows.append(Row((heading,), "group"))
        for e in run:
            seq += 1
            band = by_name.get(e.grade)
            coefficient: Value = band.coefficient if band is not None else None
            if not has_coefficients:
                coefficient = "—"
            remarks = []
            for code, words in e.flags:
                if code in forced and e.grade == forced[code]:
                    words = f"{words}，按“{e.grade}”兑现"
                remarks.append(words)
            rows.append(Row((*_name_cells(ctx, seq, e), e.total, e.rank, e.grade, coefficient,
                             band.reward if band is not None else "", "；".join(remarks))))
    if not entries:
        rows.append(Row(("暂无考核结果",), "note"))
    grades = ctx.category.results.grades
    basis = grades.reward_basis if grades else ""
    notes: list[str] = []
    if not bands:
        notes.append(f"说明：{NO_GRADES}。")
    elif not has_coefficients:
        notes.append(f"说明：{NO_COEFFICIENTS}，兑现标准以有关文件为准。")
    else:
        notes.append("说明：兑现金额 = 兑现基数 × 兑现系数；被一票否决强制定等的，按强制后的等次兑现。")
    counts: dict[str, int] = {b.name: 0 for b in bands}
    for e in entries:
        if e.grade in counts:
            counts[e.grade] += 1
    lead = len(cols) - 6  # the columns before 综合得分: 序号, 单位 (and 所在单位)
    appendix = Appendix(
        title="等次统计",
        columns=(("等次", lead), (f"{'人' if ctx.person else '单位'}数", 2), ("兑现系数", 2), ("兑现标准", 2)),
        rows=tuple((b.name, counts[b.name], b.coefficient if has_coefficients else "—", b.reward) for b in bands)
        + (("合计", len(entries), "", ""),)) if bands else None
    meta = _meta(ctx, f"兑现基数：{basis}" if basis else "")
    return Table(title=title_of(ctx.assessment, REWARDS), meta=meta, columns=tuple(cols),
                 blocks=(Block(tuple(rows)),), sheet=_sheet_name(ctx.category_name), notes=tuple(notes),
                 appendix=appendix, decimals=ctx.decimals)


# --- 个人得分记分手册 -----------------------------------------------------------------------------

def handbook_table(ctx: Context, entries: Sequence[Entry], periods: Sequence[tuple[str, str]]) -> Table:
    """个人得分记分手册 of one category of people: a block per person, a row per period of the
    assessment that has a score for them (``periods``: (code, name) in order) with each
    component's score, the period total and rank; then 全年综合 with the total, rank and grade."""
    nodes = list(ctx.category.indicators)
    cols = [Column("考核期", 14, "center")]
    cols += [Column(component_label(n), 12, "score", "各项得分") for n in nodes]
    cols += [Column("得分", 10, "score", "合计"), Column("名次", 7, "int", "合计"), Column("等次", 8, "center", "合计")]
    ranked_by_group = ctx.category.results.ranking == "group" and len(ctx.category.group_codes) > 1
    blocks: list[Block] = []
    for e in entries:
        rows: list[Row] = []
        for code, name in periods:
            p = e.periods.get(code)
            if not p or p.get("total") is None:
                continue  # no score for this person that period
            comps = e.period_components.get(code, {})
            rows.append(Row((name, *(comps.get(n.code) for n in nodes), p.get("total"), p.get("rank"), "")))
        rows.append(Row(("全年综合", *(e.components.get(n.code) for n in nodes), e.total, e.rank, e.grade), "total"))
        if e.flags:
            rows.append(Row((f"备注：{_remarks(e)}",), "note"))
        group = f"排名组：{e.group_label or e.group}（共{e.group_size}人）" if ranked_by_group else \
            f"参加排名{e.group_size}人"
        heading = f"姓名：{e.name}    所在单位：{e.unit}    类别：{ctx.category_name}    {group}"
        blocks.append(Block(tuple(rows), heading=heading))
    if not blocks:
        blocks.append(Block((Row(("暂无考核结果",), "note"),)))
    notes = ("说明：各期名次为当期在排名组内的名次；全年综合按方案的期间汇总方式计算，名次相同的为并列。",)
    return Table(title=title_of(ctx.assessment, HANDBOOK), meta=_meta(ctx), columns=tuple(cols), blocks=tuple(blocks),
                 sheet=_sheet_name(ctx.category_name), notes=notes, page_per_block=True,
                 decimals=ctx.decimals)
