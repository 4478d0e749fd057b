"""Reading reminder notices (催办通知单)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import NotAllowed
from jixiao.org.scoping import Scope
from jixiao.supervision.models import Notice


@transaction.atomic
def notice_read(*, actor: Actor, scope: Scope, notice: Notice) -> Notice:
    """签收催办通知单: the unit (or the leader it was escalated to) marks a notice read."""
    units = scope.report_units | scope.head_units | scope.leader_units
    if not (scope.office or notice.unit_id in units or (notice.leader_id and notice.leader_id == scope.user_id)):
        raise NotAllowed("无权签收该催办通知单")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        audit_record(actor=actor, action="notice_read", instance=notice, after={"read_at": str(notice.read_at)})
    return notice
