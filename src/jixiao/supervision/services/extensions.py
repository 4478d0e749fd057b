"""Extension requests (延期申请): the lead unit asks, a leader approves or refuses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core import clock
from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope
from jixiao.supervision.models import Extension, Matter
from jixiao.supervision.services.matters import _lock, _refresh_scores, _require, step_record


@transaction.atomic
def extension_request(*, actor: Actor, scope: Scope, matter: Matter, new_deadline: dt.date, reason: str,
                      expected_version: int | None = None, today: dt.date | None = None) -> Extension:
    """申请延期: one pending request at a time; the deadline moves only when a leader approves."""
    today = today or clock.today()
    locked = _lock(matter, expected_version)
    _require(scope, "extension_request", locked)
    if not reason.strip():
        raise ServiceError("请写明延期理由", field="reason")
    if new_deadline <= locked.deadline:
        raise ServiceError(f"延期后的时限须晚于现时限 {locked.deadline}", field="new_deadline")
    if locked.extensions.filter(status=Extension.Status.PENDING).exists():
        raise ServiceError("已有一份延期申请在审批中", field="new_deadline")
    ext = Extension.objects.create(matter=locked, old_deadline=locked.deadline, new_deadline=new_deadline,
                                   reason=reason.strip()[:500], requested_by=user_of(actor), requested_on=today)
    cross = "（跨年度，须经领导批准）" if new_deadline.year > locked.year else ""
    step_record(matter=locked, actor=actor, action="extension_request", before=locked.state, on=today,
                note=f"申请延期至 {new_deadline}{cross}：{reason.strip()}")
    audit_record(actor=actor, action="extension_request", instance=ext,
                 after={"matter": locked.number, "old": str(locked.deadline), "new": str(new_deadline),
                        "reason": reason.strip()})
    return ext


@transaction.atomic
def extension_decide(*, actor: Actor, scope: Scope, extension: Extension, approve: bool, note: str = "",
                     today: dt.date | None = None) -> Extension:
    """批准 / 不批准延期: a leader decides; approval moves the deadline (past the year's end too —
    that is exactly what needs his approval)."""
    today = today or clock.today()
    ext = Extension.objects.select_for_update().get(pk=extension.pk)
    if ext.status != Extension.Status.PENDING:
        raise ServiceError(f"该延期申请已{ext.get_status_display()}，不能重复审批")
    matter = _lock(ext.matter, None)
    _require(scope, "extension_decide", matter)
    if not approve and not note.strip():
        raise ServiceError("不批准须写明理由", field="note")
    ext.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    ext.decided_by = user_of(actor)
    ext.decided_on = today
    ext.decision_note = note.strip()[:300]
    ext.save()
    before = {"deadline": str(matter.deadline)}
    if approve:
        matter.deadline = ext.new_deadline
        # Milestones keep their dates; only the final deadline moves.
    matter.version += 1
    matter.save()
    step_record(matter=matter, actor=actor, action="extension_approve" if approve else "extension_refuse",
                before=matter.state, on=today,
                note=(f"延期至 {ext.new_deadline}" if approve else "不批准延期")
                + (f"：{note.strip()}" if note.strip() else ""))
    audit_record(actor=actor, action="extension_decide", instance=ext, before=before,
                 after={"status": ext.status, "deadline": str(matter.deadline), "note": ext.decision_note})
    if approve:
        _refresh_scores(matter, today)
    return ext
