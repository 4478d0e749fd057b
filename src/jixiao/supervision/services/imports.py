"""Bulk entry of matters (批量导入): all rows checked against the rules every matter keeps, then
all registered (and assigned where asked) in one transaction — or none, with every problem listed.

The rows come from the Excel reader (``jixiao.supervision.importing``) or any other caller; the
rules are :func:`~jixiao.supervision.services.matters.check_input` plus what registering and
assigning add (a deadline already past), and two of the import's own: no two rows for the same
matter (title and lead unit) and no row for a matter already in the system for that year, so an
upload sent twice does not enter everything twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction

from jixiao.audit.services import Actor, audit_record_many, user_of
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.scoping import Scope
from jixiao.supervision.importing.columns import BY_KEY, POSITION, label_of
from jixiao.supervision.models import Matter, Step
from jixiao.supervision.services.matters import MatterInput, check_input, matter_assign, matter_register

MAX_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    """One problem of an import: where (sheet, row, column) and what (the value, the reason)."""

    row: int | None
    column: str  # the column's header; "" for the whole file or row
    message: str
    sheet: str = ""
    letter: str = ""  # the column's letter in the sheet, when known
    value: str = ""

    def __str__(self) -> str:
        where = " ".join(x for x in (f"第 {self.row} 行" if self.row else "", self.column) if x)
        return f"{where}：{self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "letter": self.letter,
                "value": self.value, "message": self.message, "text": str(self)}


@dataclass(frozen=True)
class ImportRow:
    """One matter to enter: its sheet row number, what it holds and whether to assign it at once.
    ``cells`` keeps the cell texts by column key, so a problem can quote what was typed."""

    line: int
    data: MatterInput
    assign: bool = False
    cells: Mapping[str, str] = field(default_factory=dict)


class ImportRefused(ServiceError):
    """The import was refused; nothing was written. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem], *, total: int | None = None):
        self.problems = list(problems)[:MAX_PROBLEMS]
        self.total = max(total or 0, len(problems))
        super().__init__(f"发现 {self.total} 处问题，未导入任何事项", field="file")


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: the matters in row order and how many of them were assigned."""

    matters: list[Matter]
    assigned: int

    @property
    def count(self) -> int:
        return len(self.matters)

    @property
    def registered_only(self) -> int:
        return self.count - self.assigned


def rows_check(rows: Sequence[ImportRow], *, today: dt.date, sheet: str = "",
               letters: Mapping[str, str] | None = None) -> list[Problem]:
    """Every rule problem of the rows (at most one per row from the matter rules, which stop at the
    first), the duplicates within them and those already entered. Reads the database once."""
    letters = letters or {}

    def problem(r: ImportRow, key: str | None, message: str) -> Problem:
        k = key or ""
        return Problem(row=r.line, column=label_of(k), message=message, sheet=sheet, letter=letters.get(k, ""),
                       value=r.cells.get(k, "")[:100])

    out: list[Problem] = []
    seen: dict[tuple[str, int], int] = {}
    for r in rows:
        d = r.data
        where = f"第 {r.line} 行"
        try:
            check_input(d, assigned_on=today if r.assign else None, year=d.deadline.year, row=where)
            if not r.assign and d.deadline < today:
                # matter_register's own rule (an assigned row is held to the assignment date above).
                raise ServiceError(f"{where}：办结时限 {d.deadline} 已过", field="deadline")
        except ServiceError as e:
            out.append(problem(r, e.field, e.message.removeprefix(f"{where}：")))
        for key in ("title", "content", "source_ref", "liaison", "liaison_phone", "materials", "measures"):
            limit = BY_KEY[key].max_length
            value = str(getattr(d, key))
            if limit is not None and len(value.strip()) > limit:
                out.append(problem(r, key, f"不能超过 {limit} 字（现有 {len(value.strip())} 字）"))
        dup = (d.title.strip(), d.lead_unit.pk)
        if dup in seen:
            out.append(problem(r, "title", f"与第 {seen[dup]} 行重复（事项名称和主办单位都相同）"))
        else:
            seen[dup] = r.line
    if rows:
        existing = {(t, u, y): n for t, u, y, n in Matter.objects.filter(
            title__in={t for t, _ in seen}, lead_unit_id__in={u for _, u in seen},
        ).values_list("title", "lead_unit_id", "year", "number")}
        for r in rows:
            number = existing.get((r.data.title.strip(), r.data.lead_unit.pk, r.data.deadline.year))
            if number is not None:
                out.append(problem(r, "title", f"系统中已有同名事项 {number}（主办单位相同），请勿重复导入"))
    return problems_sorted(out)


def problems_sorted(problems: Sequence[Problem]) -> list[Problem]:
    """By row, then in the template's column order; whole-file problems first."""
    return sorted(problems, key=lambda p: (p.row or 0, POSITION.get(p.column, -1)))


@transaction.atomic
def matters_import(*, actor: Actor, scope: Scope, rows: Sequence[ImportRow], assign: bool | None = None,
                   today: dt.date | None = None, source_name: str = "") -> ImportSummary:
    """导入: register every row as a matter (and assign it when the row, or ``assign`` for all rows,
    says so) — all of them, or none and :class:`ImportRefused` with every problem."""
    today = today or clock.today()
    if not scope.office:
        raise NotAllowed("只有绩效办（督查室）可以批量导入督办事项")
    if not rows:
        raise ServiceError("没有可导入的事项：表中没有填写任何数据行", field="file")
    if assign is not None:
        rows = [replace(r, assign=assign) for r in rows]
    problems = rows_check(rows, today=today)
    if problems:
        raise ImportRefused(problems)
    matters: list[Matter] = []
    assigned = 0
    for r in rows:
        try:
            m = matter_register(actor=actor, scope=scope, data=r.data, today=today)
            if r.assign:
                m = matter_assign(actor=actor, scope=scope, matter=m, today=today, note="导入时交办")
                assigned += 1
        except NotAllowed:
            raise
        except ServiceError as e:  # a rule the checks above missed: still all or nothing
            raise ImportRefused([Problem(row=r.line, column=label_of(e.field), message=e.message)]) from None
        matters.append(m)
    where = f"{source_name} " if source_name else ""
    user = user_of(actor)
    label = user.get_username() if user is not None else "system"
    Step.objects.bulk_create([
        Step(matter=m, action="import", state_before=m.state, state_after=m.state, actor=user, actor_label=label,
             on=today, note=f"Excel 导入：{where}第 {r.line} 行"[:500]) for m, r in zip(matters, rows, strict=True)])
    audit_record_many(actor=actor, action="matter_import", target=Matter._meta.label_lower, rows=[
        (str(m.pk), None, {"number": m.number, "file": source_name, "row": r.line, "assigned": r.assign})
        for m, r in zip(matters, rows, strict=True)], summary=f"Excel 导入 {len(matters)} 个事项")
    return ImportSummary(matters=matters, assigned=assigned)
