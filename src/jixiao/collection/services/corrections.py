"""更正 (correction): the office changes a value of a closed period because a decided appeal (申诉)
or another recorded decision says so. The same checks and write as :func:`value_save` (history
line, audit entry, ledger change so scores recompute), without the open-period rule, and the
history line says why (``via`` and ``note``, e.g. "申诉 #12")."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor
from jixiao.collection.closed_triggers import closed_period_write
from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services.values import _value_write, value_locked
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of

NOTE_MAX = 300


@transaction.atomic
def value_correct(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, indicator: str,
                  variable: str, value: Decimal | None, note: str, via: str = "appeal") -> Value:
    """Correct one value (open or closed period) on the office's decision; ``note`` (required)
    says which decision, and lands on the value's history line."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以更正台帐数据")
    fresh = Period.objects.select_related("assessment__version").get(pk=period.pk)
    require_org(scope, fresh.assessment.organisation_id)
    note = note.strip()[:NOTE_MAX]
    if not note:
        raise ServiceError("更正须注明依据", field="note")
    current = value_locked(period=fresh, obj=obj, indicator=indicator, variable=variable)
    if current is not None and current.value == value and current.status == Value.Status.VERIFIED:
        raise ServiceError("更正后的数值与台帐中的数值相同", field="value")
    # The database refuses writes to a closed period (closed_triggers); this recorded correction is
    # the one write let through, inside this transaction only.
    with closed_period_write(fresh.pk):
        saved = _value_write(actor=actor, scope=scope, period=fresh, obj=obj, catalog=catalog_of(fresh.assessment),
                             indicator=indicator, variable=variable, value=value,
                             note=current.note if current is not None else "", current=current,
                             expected_version=None, submit=False, via=via)
    last = ValueChange.objects.filter(value=saved).order_by("-id").values_list("pk", flat=True).first()
    if last is not None:
        ValueChange.objects.filter(pk=last).update(note=note)
    return saved
