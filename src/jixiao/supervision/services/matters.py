"""Writes of matters along their chain: register, edit, review, assign, sign, feedback, report,
check (pass or return), close. Each runs in one transaction with its step and its audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.core.uploads import Checked, UploadRefused, check_evidence
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, in_org
from jixiao.supervision.models import Attachment, Feedback, Matter, Milestone, Step
from jixiao.supervision.rules import ACTION_LABELS, TRANSITIONS, Parties, may
from jixiao.supervision.services.scores import supervision_values_sync

State = Matter.State


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due: dt.date
    done_on: dt.date | None = None


@dataclass
class MatterInput:
    """What the office types (or an Excel row holds) for a matter."""

    title: str
    lead_unit: Unit
    deadline: dt.date
    kind: str = Matter.Kind.SUPERVISION
    content: str = ""
    source: str = Matter.Source.SUPERIOR
    source_ref: str = ""
    level: str = Matter.Level.NORMAL
    urgency: str = Matter.Urgency.NORMAL
    leader_id: int | None = None
    co_units: Sequence[Unit] = ()
    liaison: str = ""
    liaison_phone: str = ""
    materials: str = ""
    measures: str = ""
    warn_days: int | None = None
    milestones: Sequence[MilestoneInput] = field(default_factory=tuple)


FIELDS = ("kind", "title", "content", "source", "source_ref", "level", "urgency", "liaison", "liaison_phone",
          "materials", "measures", "warn_days")


def parties_of(matter: Matter) -> Parties:
    return Parties(lead_unit=matter.lead_unit_id, co_units=frozenset(u.pk for u in matter.co_units.all()),
                   leader=matter.leader_id)


def snapshot(matter: Matter) -> dict[str, Any]:
    """The matter's fields for the audit trail (before/after)."""
    data: dict[str, Any] = {f: getattr(matter, f) for f in FIELDS}
    data.update(number=matter.number, state=matter.state, deadline=str(matter.deadline),
                assigned_on=str(matter.assigned_on) if matter.assigned_on else None, lead_unit=matter.lead_unit_id,
                leader=matter.leader_id, co_units=sorted(u.pk for u in matter.co_units.all()) if matter.pk else [])
    return data


def check_input(data: MatterInput, *, assigned_on: dt.date | None, year: int, row: str = "") -> None:
    """The rules every matter keeps, whatever wrote it (form, Excel, API). ``row`` prefixes the
    message with the place (an Excel row) when there is one."""
    where = f"{row}：" if row else ""
    if not data.title.strip():
        raise ServiceError(f"{where}请填写事项名称", field="title")
    if data.kind not in Matter.Kind.values:
        raise ServiceError(f"{where}类别须为 {'、'.join(str(x) for x in Matter.Kind.labels)}", field="kind")
    for name, label, choices in (("source", "来源", Matter.Source), ("level", "重要程度", Matter.Level),
                                 ("urgency", "紧急程度", Matter.Urgency)):
        if getattr(data, name) not in choices.values:
            raise ServiceError(f"{where}{label}须为 {'、'.join(str(x) for x in choices.labels)}", field=name)
    if assigned_on is not None and data.deadline < assigned_on:
        raise ServiceError(f"{where}办结时限 {data.deadline} 早于交办日期 {assigned_on}", field="deadline")
    if data.deadline.year > year:
        raise ServiceError(f"{where}办结时限 {data.deadline} 超出 {year} 年度；跨年度须提出延期申请并经领导批准",
                           field="deadline")
    for co in data.co_units:
        if co.organisation_id != data.lead_unit.organisation_id:
            raise ServiceError(f"{where}协办单位“{co.name}”不属于主办单位所在的组织", field="co_units")
        if co.pk == data.lead_unit.pk:
            raise ServiceError(f"{where}协办单位“{co.name}”与主办单位相同", field="co_units")
    if len({c.pk for c in data.co_units}) != len(data.co_units):
        raise ServiceError(f"{where}协办单位重复", field="co_units")
    start = assigned_on
    for i, ms in enumerate(data.milestones, start=1):
        if not ms.title.strip():
            raise ServiceError(f"{where}第 {i} 个阶段节点缺少名称", field="milestones")
        if ms.due > data.deadline:
            raise ServiceError(f"{where}阶段节点“{ms.title}”的时限 {ms.due} 晚于办结时限 {data.deadline}",
                               field="milestones")
        if start is not None and ms.due < start:
            raise ServiceError(f"{where}阶段节点“{ms.title}”的时限 {ms.due} 早于交办日期 {start}",
                               field="milestones")
    if data.warn_days is not None and not (0 <= data.warn_days <= 60):
        raise ServiceError(f"{where}预警天数须在 0–60 之间", field="warn_days")


def next_number(kind: str, year: int) -> str:
    """编号: DB-2026-0001 for supervised matters, ZG-2026-0001 for rectification items."""
    prefix = f"{'ZG' if kind == Matter.Kind.RECTIFICATION else 'DB'}-{year}-"
    last = (Matter.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
            .first())
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def step_record(*, matter: Matter, actor: Actor, action: str, before: str, note: str = "", on: dt.date,
                system: str | None = None) -> Step:
    user = user_of(actor)
    return Step.objects.create(matter=matter, action=action, state_before=before, state_after=matter.state,
                               note=note[:500], actor=user, on=on,
                               actor_label=user.get_username() if user else (system or "system"))


def _lock(matter: Matter, expected_version: int | None) -> Matter:
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit("该事项已被他人处理，请刷新后重试")
    return locked


def _require(scope: Scope, action: str, matter: Matter) -> None:
    if not in_org(scope, matter.organisation_id):
        raise NotAllowed("该事项属于另一个组织")
    sources, _ = TRANSITIONS.get(action, ((), ""))
    if action in TRANSITIONS and matter.state not in sources:
        if matter.state == State.CLOSED:
            raise ServiceError("该事项已办结，不能再修改")
        raise ServiceError(f"事项当前为“{matter.get_state_display()}”，不能{ACTION_LABELS.get(action, action)}")
    if not may(scope, action, parties_of(matter)):
        raise NotAllowed(f"无权对该事项执行“{ACTION_LABELS.get(action, action)}”")


def _milestones_write(matter: Matter, items: Sequence[MilestoneInput]) -> None:
    Milestone.objects.filter(matter=matter).delete()
    Milestone.objects.bulk_create([Milestone(matter=matter, position=i, title=m.title.strip(), due=m.due,
                                             done_on=m.done_on) for i, m in enumerate(items)])


def _refresh_scores(matter: Matter, today: dt.date) -> None:
    """Matters feed the ``supervision`` indicators of the lead unit's assessed objects."""
    supervision_values_sync(unit_ids={matter.lead_unit_id}, today=today)


@transaction.atomic
def matter_register(*, actor: Actor, scope: Scope, data: MatterInput, today: dt.date | None = None,
                    year: int | None = None) -> Matter:
    """登记: enter a matter; it waits for review and assignment."""
    today = today or clock.today()
    if not may(scope, "register", Parties(data.lead_unit.pk, frozenset(), data.leader_id)):
        raise NotAllowed("只有绩效办（督查室）或领导可以登记督办事项")
    if not in_org(scope, data.lead_unit.organisation_id):
        raise NotAllowed("主办单位属于另一个组织")
    year = year or data.deadline.year
    check_input(data, assigned_on=None, year=year)
    if data.deadline < today:
        raise ServiceError(f"办结时限 {data.deadline} 已过", field="deadline")
    matter = Matter(number=next_number(data.kind, year), year=year, created_by=user_of(actor),
                    organisation_id=data.lead_unit.organisation_id,
                    lead_unit=data.lead_unit, leader_id=data.leader_id, deadline=data.deadline,
                    original_deadline=data.deadline,
                    **{f: getattr(data, f) for f in FIELDS})
    matter.title = matter.title.strip()
    matter.save()
    matter.co_units.set(data.co_units)
    _milestones_write(matter, data.milestones)
    step_record(matter=matter, actor=actor, action="register", before="", on=today)
    audit_record(actor=actor, action="matter_register", instance=matter, after=snapshot(matter))
    return matter


@transaction.atomic
def matter_update(*, actor: Actor, scope: Scope, matter: Matter, data: MatterInput, expected_version: int | None = None,
                  today: dt.date | None = None) -> Matter:
    """修改: the office corrects a matter. Once assigned, its deadline moves only by an approved
    extension; a closed matter cannot change."""
    today = today or clock.today()
    matter = _lock(matter, expected_version)
    _require(scope, "update", matter)
    before = snapshot(matter)
    assigned = matter.state not in Matter.BEFORE_ASSIGNMENT
    if assigned and data.deadline != matter.deadline:
        raise ServiceError("已交办事项的办结时限只能通过延期申请调整", field="deadline")
    check_input(data, assigned_on=matter.assigned_on, year=matter.year)
    if data.lead_unit.organisation_id != matter.organisation_id:
        raise ServiceError("主办单位须属于该事项所在的组织", field="lead_unit")
    if assigned and data.kind != matter.kind:
        raise ServiceError("已交办事项不能改变类别", field="kind")
    for f in FIELDS:
        setattr(matter, f, getattr(data, f))
    matter.title = matter.title.strip()
    matter.lead_unit = data.lead_unit
    matter.leader_id = data.leader_id
    if not assigned:
        matter.deadline = matter.original_deadline = data.deadline
    matter.version += 1
    matter.save()
    matter.co_units.set(data.co_units)
    _milestones_write(matter, data.milestones)
    after = snapshot(matter)
    changed = sorted(k for k in after if after[k] != before.get(k))
    step_record(matter=matter, actor=actor, action="update", before=matter.state, on=today,
                note="修改：" + "、".join(changed) if changed else "")
    audit_record(actor=actor, action="matter_update", instance=matter, before=before, after=after)
    if assigned and before["lead_unit"] != after["lead_unit"]:
        supervision_values_sync(unit_ids={before["lead_unit"], matter.lead_unit_id}, today=today)
    return matter


def _move(*, actor: Actor, scope: Scope, matter: Matter, action: str, expected_version: int | None,
          today: dt.date | None, note: str = "", **changes: Any) -> Matter:
    today = today or clock.today()
    matter = _lock(matter, expected_version)
    _require(scope, action, matter)
    before = matter.state
    target = TRANSITIONS[action][1]
    if target:
        matter.state = target
    for k, v in changes.items():
        setattr(matter, k, v)
    matter.version += 1
    matter.save()
    step_record(matter=matter, actor=actor, action=action, before=before, note=note, on=today)
    audit_record(actor=actor, action=f"matter_{action}", instance=matter,
                 before={"state": before}, after={"state": matter.state, "note": note, **{
                     k: str(v) if isinstance(v, dt.date) else v for k, v in changes.items()}})
    return matter


@transaction.atomic
def matter_review(*, actor: Actor, scope: Scope, matter: Matter, note: str = "", expected_version: int | None = None,
                  today: dt.date | None = None) -> Matter:
    """审核: the office confirms the matter is complete and ready to hand down."""
    return _move(actor=actor, scope=scope, matter=matter, action="review", note=note,
                 expected_version=expected_version, today=today)


@transaction.atomic
def matter_assign(*, actor: Actor, scope: Scope, matter: Matter, note: str = "", expected_version: int | None = None,
                  today: dt.date | None = None) -> Matter:
    """交办: hand the matter down to its units; the clock starts today."""
    today = today or clock.today()
    if matter.deadline < today:
        raise ServiceError(f"办结时限 {matter.deadline} 早于交办日期 {today}", field="deadline")
    early = matter.milestones.filter(due__lt=today).first()
    if early is not None:
        raise ServiceError(f"阶段节点“{early.title}”的时限 {early.due} 早于交办日期 {today}", field="milestones")
    return _move(actor=actor, scope=scope, matter=matter, action="assign", note=note,
                 expected_version=expected_version, today=today, assigned_on=today)


@transaction.atomic
def matter_sign(*, actor: Actor, scope: Scope, matter: Matter, note: str = "", expected_version: int | None = None,
                today: dt.date | None = None) -> Matter:
    """签收: the lead unit acknowledges the matter."""
    return _move(actor=actor, scope=scope, matter=matter, action="sign", note=note,
                 expected_version=expected_version, today=today)


def _attachments_check(uploads: Sequence[UploadedFile[bytes]]) -> list[tuple[UploadedFile[bytes], Checked]]:
    """Check every file (type, size, content) before anything is written: a refused one refuses
    the whole feedback, so nothing of it is stored, not even the files that passed."""
    out = []
    for upload in uploads:
        head = upload.read(2048)
        upload.seek(0)
        try:
            checked = check_evidence(upload.name or "", head, upload.size or 0,
                                     allowed=settings.JIXIAO_EVIDENCE_TYPES,
                                     max_bytes=settings.JIXIAO_EVIDENCE_MAX_BYTES)
        except UploadRefused as e:
            raise ServiceError(f"附件“{upload.name}”：{e}", field="files") from None
        out.append((upload, checked))
    return out


def _attach(feedback: Feedback, files: list[tuple[UploadedFile[bytes], Checked]]) -> list[Attachment]:
    out = []
    for upload, checked in files:
        sha = hashlib.sha256()
        for chunk in upload.chunks():
            sha.update(chunk)
        upload.seek(0)
        att = Attachment(feedback=feedback, name=(upload.name or "file")[:200], size=upload.size or 0,
                         sha256=sha.hexdigest())
        att.file.save(f"file.{checked.extension}", upload, save=False)
        att.save()
        out.append(att)
    return out


@transaction.atomic
def matter_feedback(*, actor: Actor, scope: Scope, matter: Matter, unit: Unit, text: str,
                    progress: int | None = None, milestone: Milestone | None = None, final: bool = False,
                    uploads: Sequence[UploadedFile[bytes]] = (), expected_version: int | None = None,
                    today: dt.date | None = None) -> Feedback:
    """反馈: a progress report by the lead unit or a co-unit, with attachments; ``final`` makes it
    the completion report (办结报告, lead unit only), which asks for the check."""
    today = today or clock.today()
    action = "report" if final else "feedback"
    locked = _lock(matter, expected_version)
    _require(scope, action, locked)
    parties = parties_of(locked)
    if unit.pk != parties.lead_unit and unit.pk not in parties.co_units:
        raise NotAllowed(f"{unit.name} 不是该事项的承办单位")
    if unit.pk not in scope.report_units and unit.pk not in scope.head_units:
        raise NotAllowed(f"无权以 {unit.name} 的名义反馈")
    if final and unit.pk != parties.lead_unit:
        raise NotAllowed("办结报告由主办单位报送")
    if not text.strip():
        raise ServiceError("请填写反馈内容", field="text")
    if progress is not None and not 0 <= progress <= 100:
        raise ServiceError("进度须在 0–100 之间", field="progress")
    if milestone is not None:
        if milestone.matter_id != locked.pk:
            raise ServiceError("阶段节点不属于该事项", field="milestone")
        if milestone.done_on is not None:
            raise ServiceError(f"阶段节点“{milestone.title}”已于 {milestone.done_on} 完成", field="milestone")
    if final and not uploads and locked.material_list:
        raise ServiceError("办结报告须附上报送资料：" + "、".join(locked.material_list), field="files")
    files = _attachments_check(uploads)
    # Everything is checked: the feedback, its files, the milestone and the matter are written together.
    fb = Feedback.objects.create(matter=locked, unit=unit, text=text.strip(), progress=progress, milestone=milestone,
                                 final=final, author=user_of(actor), on=today)
    atts = _attach(fb, files)
    if milestone is not None:
        milestone.done_on = today
        milestone.save(update_fields=["done_on"])
    before = locked.state
    if final:
        locked.state = State.REPORTED
        locked.completed_on = today
        # Everything is done once the report stands: open milestones are completed with it.
        locked.milestones.filter(done_on__isnull=True).update(done_on=today)
    elif locked.state != State.IN_PROGRESS:
        locked.state = State.IN_PROGRESS
    locked.last_feedback_on = today
    locked.version += 1
    locked.save()
    step_record(matter=locked, actor=actor, action=action, before=before, on=today,
                note=f"{unit.name}：{text.strip()}"[:500])
    audit_record(actor=actor, action=f"matter_{action}", instance=fb,
                 after={"matter": locked.number, "unit": unit.code, "text": text.strip()[:200], "progress": progress,
                        "milestone": milestone.pk if milestone else None, "final": final,
                        "attachments": [{"name": a.name, "sha256": a.sha256} for a in atts]})
    return fb


@transaction.atomic
def matter_check(*, actor: Actor, scope: Scope, matter: Matter, passed: bool, reason: str = "",
                 expected_version: int | None = None, today: dt.date | None = None) -> Matter:
    """核查: the office checks the completion report; it passes, or goes back for rework with a reason."""
    today = today or clock.today()
    if passed:
        out = _move(actor=actor, scope=scope, matter=matter, action="check_pass", note=reason,
                    expected_version=expected_version, today=today)
    else:
        if not reason.strip():
            raise ServiceError("退回须写明理由", field="reason")
        locked = _lock(matter, expected_version)  # the count below must be read under the lock
        out = _move(actor=actor, scope=scope, matter=locked, action="check_return", note=reason.strip(),
                    expected_version=None, today=today, completed_on=None,
                    return_count=locked.return_count + 1, return_reason=reason.strip()[:500])
    _refresh_scores(out, today)
    return out


@transaction.atomic
def matter_close(*, actor: Actor, scope: Scope, matter: Matter, note: str = "", expected_version: int | None = None,
                 today: dt.date | None = None) -> Matter:
    """办结销号: the office or the leader in charge closes a checked matter."""
    today = today or clock.today()
    out = _move(actor=actor, scope=scope, matter=matter, action="close", note=note,
                expected_version=expected_version, today=today, closed_on=today)
    _refresh_scores(out, today)
    return out
