"""结果审定 (approval) and the checks before publishing (发布前检查).

A category's results go from the office's review (绩效办审核) to the leadership group's approval
(考核领导小组审定); only approved results may be published. Ties at a quota line (the engine's
``quota_tie`` flags, shown as "名额线并列，须审定") are decided at approval, one recorded reason per
tied object. Publishing is refused while any period of the assessment is still open or any
incident (加减分事项) still waits for a decision, and the refusal names them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.models import Incident, ValueChange
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import RoleGrant
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.flags import flag_label
from jixiao.scoring.models import Approval, Result

NOTE_MAX = 2000
LEADER_GROUP = RoleGrant.Role.LEADER_GROUP.value


def in_leader_group(scope: Scope) -> bool:
    """Whether the user is a member of the assessment leadership group (考核领导小组)."""
    return LEADER_GROUP in scope.roles


@dataclass(frozen=True)
class Tie:
    """An object tied at a quota line (名额线并列): its code, name, grade and the flag in words."""

    object: str
    name: str
    grade: str
    flag: str
    words: str


def ties_of(*, assessment: Assessment, category: str) -> list[Tie]:
    """The category's objects flagged 须审定 (quota ties), in ranking order."""
    out = []
    rows = (Result.objects.filter(assessment=assessment, category=category).select_related("object")
            .order_by("group", "rank", "object__code"))
    for r in rows:
        for f in r.flags:
            if f.startswith("quota_tie"):
                out.append(Tie(r.object.code, r.object.name, r.grade, f, flag_label(f)[1]))
    return out


def approval_of(*, assessment: Assessment, category: str) -> Approval | None:
    return (Approval.objects.select_related("reviewed_by", "approved_by")
            .filter(assessment=assessment, category=category).first())


def blockers(*, assessment: Assessment) -> list[str]:
    """Why results of the assessment cannot be published yet, in words (empty: nothing blocks):
    the periods still open and the incidents still pending, by name."""
    out = []
    open_periods = list(Period.objects.filter(assessment=assessment, status=Period.Status.OPEN)
                        .order_by("position").values_list("name", flat=True))
    if open_periods:
        out.append("以下考核期仍在填报中，请先关闭：" + "、".join(open_periods))
    waiting = Incident.objects.filter(assessment=assessment, status=Incident.Status.PENDING)
    pending = list(waiting.select_related("object").order_by("object__code", "id")[:6])
    if pending:
        total = waiting.count()
        names = "、".join(f"{i.object.name}（{i.indicator}）" for i in pending[:5])
        out.append(f"尚有 {total} 项加减分事项待审批：{names}" + ("等" if total > 5 else ""))
    return out


def results_digest(*, assessment: Assessment, category: str) -> str:
    """What was approved, as a checksum: every object's total, rank and grade of the category."""
    rows = sorted(Result.objects.filter(assessment=assessment, category=category)
                  .values_list("object__code", "total", "rank", "grade"))
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def publication_gate(*, assessment: Assessment, category: str, correcting: bool = False) -> Approval:
    """The approval a publication rests on; refused (ServiceError, in words) while a period is
    open, an incident pending, or the results not approved by the leadership group — or changed
    since, unless ``correcting`` a publication after the ledger was corrected on an appeal."""
    problems = blockers(assessment=assessment)
    approval = approval_of(assessment=assessment, category=category)
    if approval is None:
        problems.append("结果尚未经绩效办审核和领导小组审定")
    elif approval.status != Approval.Status.APPROVED:
        problems.append("结果已经绩效办审核，尚待领导小组审定")
    elif approval.digest and approval.digest != results_digest(assessment=assessment, category=category):
        appealed = correcting and ValueChange.objects.filter(
            via="appeal", value__assessment=assessment, at__gt=approval.approved_at).exists()
        if not appealed:
            problems.append("考核结果在审定后发生了变化，请绩效办重新审核、领导小组重新审定")
    if problems:
        raise ServiceError("不能发布：" + "；".join(problems))
    assert approval is not None
    return approval


def _category_name(assessment: Assessment, category: str) -> str:
    info = catalog_of(assessment).categories.get(category)
    if info is None:
        raise ServiceError(f"考核“{assessment.name}”没有类别 {category}", field="category")
    return info.name or category


@transaction.atomic
def approval_review(*, actor: Actor, scope: Scope, assessment: Assessment, category: str,
                    note: str = "") -> Approval:
    """绩效办审核: the office has checked the category's results and sends them to the leadership
    group. Starts over any earlier review or approval of the category."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以审核考核结果")
    require_org(scope, assessment.organisation_id)
    name = _category_name(assessment, category)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(f"审核意见不能超过{NOTE_MAX}字", field="note")
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    results = Result.objects.filter(assessment=locked, category=category)
    if not results.exists():
        raise ServiceError(f"“{name}”尚无考核结果，不能提交审定")
    problems = blockers(assessment=locked)
    if problems:
        raise ServiceError("不能提交审定：" + "；".join(problems))
    computed = max(r.computed_at for r in results.only("computed_at"))
    approval, _ = Approval.objects.update_or_create(
        assessment=locked, category=category,
        defaults={"status": Approval.Status.REVIEWED, "results_at": computed,
                  "digest": results_digest(assessment=locked, category=category), "reviewed_by": user_of(actor),
                  "reviewed_at": timezone.now(), "review_note": note, "approved_by": None, "approved_at": None,
                  "approve_note": "", "ties": []})
    audit_record(actor=actor, action="approval_review", instance=approval,
                 after={"assessment": locked.code, "category": category, "note": note,
                        "results_at": computed.isoformat()})
    return approval


@transaction.atomic
def approval_approve(*, actor: Actor, scope: Scope, assessment: Assessment, category: str,
                     ties: Mapping[str, tuple[str, str]], note: str = "") -> Approval:
    """考核领导小组审定: a member of the leadership group approves the reviewed results. Every
    object tied at a quota line needs a decision: ``ties`` maps its code to (grade decided,
    reason). Nothing is written when one is missing or has no reason."""
    if not in_leader_group(scope):
        raise NotAllowed("只有考核领导小组成员可以审定考核结果")
    require_org(scope, assessment.organisation_id)
    _category_name(assessment, category)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(f"审定意见不能超过{NOTE_MAX}字", field="note")
    approval = Approval.objects.select_for_update().filter(assessment=assessment, category=category).first()
    if approval is None:
        raise ServiceError("结果尚未经绩效办审核，不能审定")
    if approval.status == Approval.Status.APPROVED:
        raise ServiceError("该类别结果已审定；如需重新审定，请绩效办重新审核")
    if approval.digest and approval.digest != results_digest(assessment=assessment, category=category):
        raise ServiceError("考核结果在绩效办审核后发生了变化，请绩效办重新审核")
    decided = []
    for t in ties_of(assessment=assessment, category=category):
        grade, reason = ties.get(t.object, ("", ""))
        grade, reason = grade.strip(), reason.strip()
        if not reason:
            raise ServiceError(f"{t.name}：{t.words}，请填写审定结论和理由", field="ties")
        decided.append({"object": t.object, "name": t.name, "flag": t.words, "grade": grade or t.grade,
                        "reason": reason})
    approval.status = Approval.Status.APPROVED
    approval.approved_by = user_of(actor)
    approval.approved_at = timezone.now()
    approval.approve_note = note
    approval.ties = decided
    approval.save(update_fields=["status", "approved_by", "approved_at", "approve_note", "ties"])
    audit_record(actor=actor, action="approval_approve", instance=approval,
                 before={"status": Approval.Status.REVIEWED.value},
                 after={"status": approval.status, "note": note, "ties": decided})
    return approval


def approval_words(approval: Approval) -> dict[str, object]:
    """What a publication's snapshot keeps of its approval (who approved when, the tie decisions)."""
    who = approval.approved_by
    return {"approved_by": (who.get_full_name() or who.get_username()) if who else "",
            "approved_at": approval.approved_at.isoformat() if approval.approved_at else None,
            "note": approval.approve_note, "ties": list(approval.ties)}


NOTICE_MAX_DAYS = 60


def notice_check(starts: dt.date | None, ends: dt.date | None) -> None:
    """A public notice window (公示期): both dates or neither, the end not before the start."""
    if (starts is None) != (ends is None):
        raise ServiceError("公示期需同时填写开始和结束日期", field="notice_ends")
    if starts is not None and ends is not None:
        if ends < starts:
            raise ServiceError("公示期结束日期不能早于开始日期", field="notice_ends")
        if (ends - starts).days > NOTICE_MAX_DAYS:
            raise ServiceError(f"公示期不能超过{NOTICE_MAX_DAYS}天", field="notice_ends")
