"""Writes of whole forms: one form, one service call, one transaction, one ledger change.

The ledger page of an object and a period is one form of many cells. :func:`ledger_form_save`
checks every cell the user changed before it writes any (a stale cell, a closed period, a cell the
scope may not report: the error names the cell and nothing is written), then writes only those
cells, and with "save and submit" submits the reporter's other filled-in drafts and returned
values, all in one transaction that records one ledger change for the whole form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor
from jixiao.collection.models import Value
from jixiao.collection.services.ledger import ledger_touch
from jixiao.collection.services.values import ValueWrite, pending_submit, value_apply, value_check
from jixiao.core.errors import ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.schemes.services import period_require_open


def cell_key(indicator: str, variable: str) -> str:
    """The ``field`` of an error about one cell: ``indicator:variable`` (as in import columns)."""
    return f"{indicator}:{variable}"


@dataclass(frozen=True)
class LedgerCellInput:
    """One cell of the ledger form as posted.

    ``expected_version`` is the version of the value the form showed, ``0`` if it showed none (a
    value stored since is then a stale edit too), ``None`` not to check. ``edited`` says whether the
    user changed the cell or its row's note on the form; a cell not edited is never written.
    """

    indicator: str
    variable: str
    value: Decimal | None
    note: str = ""
    expected_version: int | None = None
    edited: bool = True


@dataclass(frozen=True)
class LedgerFormResult:
    saved: int  # cells written
    submitted: int  # other values submitted by "save and submit"


@transaction.atomic
def ledger_form_save(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject,
                     cells: Sequence[LedgerCellInput], submit: bool = False, via: str = "form") -> LedgerFormResult:
    """Save an object's ledger form for a period: everything or nothing (see the module docstring).

    A cell is written only when the user edited it and it differs from what is stored, so a value
    the user left alone keeps its status: a returned value stays returned, an office save does not
    verify a submitted one (that is the explicit 审核). The office's own entries are verified at
    once; a reporter's are drafts, or submitted with ``submit``.
    """
    period = period_require_open(period)
    assessment = period.assessment
    catalog = catalog_of(assessment)
    category = catalog.category_of_group(obj.group) or obj.category.code
    stored = {(v.indicator, v.variable): v for v in Value.objects.select_for_update()
              .filter(assessment_id=assessment.pk, period=period, object=obj)}
    writes: list[ValueWrite] = []
    seen: set[tuple[str, str]] = set()
    for cell in cells:
        key = (cell.indicator, cell.variable)
        if key in seen:
            raise ServiceError(f"表单中 {cell.indicator}.{cell.variable} 重复", field=cell_key(*key))
        seen.add(key)
        current = stored.get(key)
        if not cell.edited or (current is None and cell.value is None):
            continue
        if current is not None and (current.value, current.note) == (cell.value, cell.note):
            continue  # what is stored already (typed back, or saved so by someone else): its status stays
        try:
            write = value_check(scope=scope, period=period, obj=obj, catalog=catalog, indicator=cell.indicator,
                                variable=cell.variable, value=cell.value, note=cell.note, current=current,
                                expected_version=cell.expected_version, submit=submit, via=via)
        except ServiceError as e:
            e.field = cell_key(*key)
            raise
        writes.append(write)
    # Everything is checked: write.
    for write in writes:
        value_apply(actor=actor, period=period, obj=obj, write=write, submit=submit, via=via)
    submitted: list[Value] = []
    if submit and not scope.office:
        submitted = pending_submit(actor=actor, scope=scope, period=period, obj=obj, catalog=catalog,
                                   category=category)
    if submitted or any(w.counts for w in writes):
        ledger_touch(assessment_id=assessment.pk, objects=[(category, obj.pk)])
    return LedgerFormResult(saved=len(writes), submitted=len(submitted))
