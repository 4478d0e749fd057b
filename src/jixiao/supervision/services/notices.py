"""Reading reminder notices (催办通知单)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record
from jixiao.core.errors import NotAllowed
from jixiao.org.scoping import Scope
from jixiao.supervision.models import Notice
from jixiao.supervision.selectors import may_sign_notice


@transaction.atomic
def notice_read(*, actor: Actor, scope: Scope, notice: Notice) -> Notice:
    """签收催办通知单: the unit it was sent to (its reporters and head), or the leader it was escalated
    to, marks a notice read; the office may sign for them. A leader overseeing the unit does not."""
    if not may_sign_notice(scope, notice):
        raise NotAllowed("该催办通知单由承办单位签收（升级催办的，由责任领导签收），您无需签收")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        audit_record(actor=actor, action="notice_read", instance=notice, after={"read_at": str(notice.read_at)})
    return notice
