"""The office's review of many values at once (待审核 queue): verify or return a selection.

One call, one transaction, one ledger change per assessment: every selected value is checked
(still submitted, its period open) before any is written; one that someone has handled since the
page was shown refuses the whole batch, so the office never verifies what it has not seen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record_many, user_of
from jixiao.collection.models import Value, ValueChange
from jixiao.collection.services.ledger import ledger_touch
from jixiao.collection.services.values import require_verifies
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.models import Period
from jixiao.schemes.services import period_require_open

BATCH_MAX = 1000


@transaction.atomic
def value_review_batch(*, actor: Actor, scope: Scope, value_ids: Sequence[int], approve: bool,
                       reason: str = "") -> int:
    """Verify (``approve``) or return with ``reason`` the submitted values ``value_ids``; how many."""
    if not scope.verifies:
        raise NotAllowed("只有绩效办或单位负责人可以审核数据")
    ids = sorted(set(value_ids))
    if not ids:
        raise ServiceError("请先勾选要处理的数据", field="ids")
    if len(ids) > BATCH_MAX:
        raise ServiceError(f"一次最多处理 {BATCH_MAX} 个数据", field="ids")
    reason = reason.strip()
    if not approve and not reason:
        raise ServiceError("退回需要填写理由", field="reason")
    values = list(Value.objects.select_for_update(of=("self",))
                  .select_related("object__category", "object__unit", "assessment").filter(pk__in=ids).order_by("pk"))
    # A value of another organisation refuses the whole batch, whatever the office's rights there;
    # so does one a unit head does not verify.
    for organisation_id in sorted({v.assessment.organisation_id for v in values}):
        require_org(scope, organisation_id)
    for v in values:
        require_verifies(scope, v.object)
    handled = len(ids) - sum(1 for v in values if v.status == Value.Status.SUBMITTED)
    if handled:
        raise StaleEdit(f"所选数据中有 {handled} 个已被他人处理或已修改，未处理任何数据，请刷新后重新勾选")
    if approve and any(v.value is None for v in values):
        raise ServiceError("所选数据中有未填写数值的，不能审核通过")
    for period_id in sorted({v.period_id for v in values}):
        period_require_open(Period(pk=period_id))
    status = Value.Status.VERIFIED if approve else Value.Status.RETURNED
    action = "verify" if approve else "return"
    user, now = user_of(actor), timezone.now()
    ValueChange.objects.bulk_create([
        ValueChange(value=v, actor=user, action=action, before=v.value, after=v.value, status_before=v.status,
                    status_after=status, note="" if approve else reason) for v in values])
    for v in values:
        v.status, v.version, v.updated_at = status, v.version + 1, now
        v.return_reason = "" if approve else reason
    Value.objects.bulk_update(values, ["status", "version", "updated_at", "return_reason"])
    audit_record_many(actor=actor, action=f"value_{action}", target="collection.value",
                      rows=[(str(v.pk), {"status": Value.Status.SUBMITTED},
                             {"status": status, "reason": v.return_reason}) for v in values],
                      summary=f"批量{'审核通过' if approve else '退回'} {len(values)} 个数据")
    if not approve:
        # A submitted value counts; a returned one does not: the scores of their objects move.
        touched: dict[int, set[tuple[str, int]]] = defaultdict(set)
        for v in values:
            touched[v.assessment_id].add((v.object.category.code, v.object_id))
        for assessment_id, objects in sorted(touched.items()):
            ledger_touch(assessment_id=assessment_id, objects=sorted(objects))
    return len(values)
