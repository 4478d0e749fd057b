"""Writes of incidents (加减分事项, 否决事项) and ballots (评价票)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.collection.models import Ballot, Incident
from jixiao.collection.services.ledger import ledger_touch
from jixiao.collection.services.values import evidence_add, leaf_for, parse_number
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.core.uploads import UploadRefused, check_evidence
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.schemes.services import period_require_open


def _uploads_check(uploads: Sequence[UploadedFile]) -> None:
    """Refuse a wrong file (type, size, content) before anything is written: the form's evidence
    comes with its incident or not at all. ``evidence_add`` checks each again as it stores it."""
    for upload in uploads:
        head = upload.read(2048)
        upload.seek(0)
        try:
            check_evidence(upload.name or "", head, upload.size or 0, allowed=settings.JIXIAO_EVIDENCE_TYPES,
                           max_bytes=settings.JIXIAO_EVIDENCE_MAX_BYTES)
        except UploadRefused as e:
            raise ServiceError(f"{upload.name}：{e}", field="file") from None


@transaction.atomic
def incident_create(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, indicator: str,
                    item: str = "", level: str = "", count: Decimal = Decimal(1), amount: Decimal | None = None,
                    document: str = "", note: str = "", uploads: Sequence[UploadedFile] = ()) -> Incident:
    """Register an incident with its evidence files (``uploads``), all or nothing; it waits for the
    office's approval before it counts."""
    period = period_require_open(period)
    require_org(scope, period.assessment.organisation_id)
    # The office, or the unit itself (its reporter or head) claiming a bonus or recording a deduction.
    if not (scope.office or obj.unit_id in scope.report_units or obj.unit_id in scope.head_units):
        raise NotAllowed(f"无权为 {obj.name} 登记加减分事项")
    catalog = catalog_of(period.assessment)
    category = catalog.category_of_group(obj.group) or ""
    vetoes = dict(catalog.categories[category].vetoes) if category in catalog.categories else {}
    if indicator in vetoes:
        if not document.strip() and not note.strip():
            raise ServiceError("否决事项需要写明依据（文号或说明）", field="document")
    else:
        leaf = leaf_for(catalog, obj, indicator, period, kind="incident")
        items = {i.code: i for i in leaf.items}
        spec = items.get(item)
        if spec is None:
            raise ServiceError(f"“{leaf.name}”没有事项 {item or '（空）'}；可选：{', '.join(items)}", field="item")
        if spec.levels and level not in spec.levels:
            raise ServiceError(f"“{spec.name}”的级别须为 {' / '.join(spec.levels)}", field="level")
        if spec.range is not None:
            if amount is None:
                raise ServiceError(f"“{spec.name}”每例分值须在 {spec.range[0]:g}–{spec.range[1]:g} 分之间填写",
                                   field="amount")
            if not (Decimal(str(spec.range[0])) <= amount <= Decimal(str(spec.range[1]))):
                raise ServiceError(f"每例分值 {amount} 超出 {spec.range[0]:g}–{spec.range[1]:g} 分", field="amount")
        if leaf.requires_evidence and not document.strip():
            raise ServiceError("该项目以正式文件为依据，请填写文号", field="document")
    if count <= 0 or count != count.to_integral_value():
        raise ServiceError("次数须为正整数", field="count")
    _uploads_check(uploads)
    inc = Incident.objects.create(
        assessment=period.assessment, period=period, object=obj, indicator=indicator, item=item, level=level,
        count=count, amount=amount, document=document.strip(), note=note.strip(), created_by=user_of(actor))
    audit_record(actor=actor, action="incident_create", instance=inc,
                 after={"object": obj.code, "indicator": indicator, "item": item, "level": level,
                        "count": str(count), "amount": None if amount is None else str(amount),
                        "document": document, "period": period.code})
    for upload in uploads:
        evidence_add(actor=actor, scope=scope, upload=upload, incident=inc)
    return inc


@transaction.atomic
def incident_decide(*, actor: Actor, scope: Scope, incident: Incident, approve: bool, reason: str = "",
                    expected_version: int | None = None) -> Incident:
    """The office approves an incident (it counts from now) or rejects it with a reason."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以审批加减分事项")
    incident = Incident.objects.select_for_update().select_related("period", "object__category").get(pk=incident.pk)
    period_require_open(incident.period)
    require_org(scope, incident.assessment.organisation_id)
    if expected_version is not None and incident.version != expected_version:
        raise StaleEdit("该事项已被他人处理，请刷新")
    if not approve and not reason.strip():
        raise ServiceError("驳回需要填写理由", field="reason")
    if incident.status != Incident.Status.PENDING:
        raise ServiceError(f"该事项已{incident.get_status_display()}，不能重复审批")
    before = incident.status
    incident.status = Incident.Status.APPROVED if approve else Incident.Status.REJECTED
    incident.decision_reason = reason.strip()
    incident.decided_by, incident.decided_at = user_of(actor), timezone.now()
    incident.version += 1
    incident.save()
    audit_record(actor=actor, action="incident_decide", instance=incident, before={"status": before},
                 after={"status": incident.status, "reason": incident.decision_reason})
    if before == Incident.Status.APPROVED or approve:
        ledger_touch(assessment_id=incident.assessment_id,
                     objects=[(incident.object.category.code, incident.object_id)])
    return incident


@transaction.atomic
def ballot_add(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, indicator: str, rating: str,
               rater: str = "", count: int = 1, score: Decimal | None = None) -> Ballot:
    """Record a rater's rating label or score (领导评估, 互评); counts at once."""
    period = period_require_open(period)
    require_org(scope, period.assessment.organisation_id)
    # Typed tallies are the office's entry of paper ballots; raters rate online (jixiao.evaluations).
    if not scope.office:
        raise NotAllowed(f"评价票由绩效办录入，无权对 {obj.name} 录入评价")
    leaf = leaf_for(catalog_of(period.assessment), obj, indicator, period, kind="ballot")
    if leaf.method == "manual":
        number = parse_number(rating)
        if number is None:
            raise ServiceError("请填写分数", field="rating")
        rating = format(number.normalize(), "f")
    elif rating not in leaf.labels:
        raise ServiceError(f"评价须为 {' / '.join(leaf.labels)}", field="rating")
    if count < 1:
        raise ServiceError("票数须为正整数", field="count")
    ballot = Ballot.objects.create(assessment=period.assessment, period=period, object=obj, indicator=indicator,
                                   rater=rater, rating=rating, count=count, score=score, created_by=user_of(actor))
    audit_record(actor=actor, action="ballot_add", instance=ballot,
                 after={"object": obj.code, "indicator": indicator, "rating": rating, "rater": rater,
                        "count": count, "period": period.code})
    ledger_touch(assessment_id=period.assessment_id, objects=[(obj.category.code, obj.pk)])
    return ballot


@transaction.atomic
def ballots_replace(*, actor: Actor, scope: Scope, period: Period, indicator: str, source: str,
                    rows: Sequence[tuple[AssessedObject, str, int]]) -> int:
    """The results of an evaluation campaign (测评活动) as ballots of an indicator: what ``source``
    (the campaign's name) wrote before for this period and indicator is replaced by ``rows``
    (object, label or score, count). Office only; every row is checked like a typed ballot."""
    period = period_require_open(period)
    require_org(scope, period.assessment.organisation_id)
    if not scope.office:
        raise NotAllowed("测评结果由绩效办写入")
    catalog = catalog_of(period.assessment)
    new: list[Ballot] = []
    user = user_of(actor)
    for obj, rating, count in rows:
        if obj.unit.organisation_id != period.assessment.organisation_id:
            raise NotAllowed("该记录属于另一个组织，您当前的组织无权操作")
        leaf = leaf_for(catalog, obj, indicator, period, kind="ballot")
        if leaf.method != "manual" and rating not in leaf.labels:
            raise ServiceError(f"评价须为 {' / '.join(leaf.labels)}", field="rating")
        if count < 1:
            raise ServiceError("票数须为正整数", field="count")
        new.append(Ballot(assessment=period.assessment, period=period, object=obj, indicator=indicator, rater=source,
                          rating=rating, count=count, created_by=user))
    old = Ballot.objects.filter(period=period, indicator=indicator, rater=source)
    touched = {(o.category.code, o.pk) for o, _, _ in rows}
    touched |= {(c, pk) for c, pk in old.values_list("object__category__code", "object_id")}
    removed, _ = old.delete()
    Ballot.objects.bulk_create(new)
    audit_record_many(actor=actor, action="ballots_replace", target="collection.ballot", rows=[
        (str(b.pk), None, {"object": b.object.code, "indicator": indicator, "rating": b.rating, "count": b.count})
        for b in new], summary=f"{source} {period.assessment.code}@{period.code} 替换 {removed} 条")
    if touched:
        ledger_touch(assessment_id=period.assessment_id, objects=sorted(touched))
    return len(new)
