"""申诉 (appeals): filed against one indicator's score of a publication during its notice window,
answered by the office by a deadline; an accepted appeal corrects the ledger through the
collection services (the value's history names the appeal), the results recompute as after any
write, and the corrected results are published again, superseding the old publication."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.services import value_correct
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.uploads import UploadRefused, check_evidence
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope, require_org
from jixiao.outcomes.models import Appeal
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Publication
from jixiao.scoring.selectors import results_pending
from jixiao.scoring.services import publication_create

REASON_MAX = 2000
REPLY_DAYS = 7


def reply_days() -> int:
    """How many days the office has to answer an appeal (``JIXIAO_APPEAL_REPLY_DAYS``, default 7)."""
    return int(getattr(settings, "JIXIAO_APPEAL_REPLY_DAYS", REPLY_DAYS))


def may_appeal_for(scope: Scope, obj: AssessedObject) -> bool:
    """The assessed unit's reporters and head, or the assessed person, appeal for an object."""
    units = scope.report_units | scope.head_units
    if obj.person_id is not None:
        return obj.person_id == scope.person_id
    return obj.unit_id in units


def window_check(publication: Publication, today: dt.date) -> None:
    if publication.withdrawn:
        raise ServiceError("该公示已撤回，不受理申诉")
    if publication.superseded_by.exists():
        raise ServiceError("该公示已被更正后的公示取代，请对最新公示提出申诉")
    starts, ends = publication.notice_starts, publication.notice_ends
    if starts is None or ends is None:
        raise ServiceError("本次公示未设公示期，不受理申诉")
    if today < starts:
        raise ServiceError(f"公示期自 {starts:%Y-%m-%d} 开始，尚不能提出申诉")
    if today > ends:
        raise ServiceError(f"公示期已于 {ends:%Y-%m-%d} 结束，不能再提出申诉")


def _evidence_check(upload: UploadedFile[Any]) -> str:
    head = upload.read(2048)
    upload.seek(0)
    try:
        checked = check_evidence(upload.name or "", head, upload.size or 0, allowed=settings.JIXIAO_EVIDENCE_TYPES,
                                 max_bytes=settings.JIXIAO_EVIDENCE_MAX_BYTES)
    except UploadRefused as e:
        raise ServiceError(f"{upload.name}：{e}", field="evidence") from None
    return checked.extension


@transaction.atomic
def appeal_file(*, actor: Actor, scope: Scope, publication: Publication, obj: AssessedObject, indicator: str,
                reason: str, evidence: UploadedFile[Any] | None = None, today: dt.date | None = None) -> Appeal:
    """提出申诉 against ``indicator``'s score of ``obj`` in ``publication``. Refused after (or
    before) the notice window, for an object not one's own, without a reason, or for an object or
    indicator the publication does not have."""
    require_org(scope, publication.assessment.organisation_id)
    if not may_appeal_for(scope, obj):
        raise NotAllowed(f"只能对本单位（本人）的考核结果提出申诉，{obj.name}不是")
    today = today or timezone.localdate()
    window_check(publication, today)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写申诉理由", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"申诉理由不能超过{REASON_MAX}字", field="reason")
    if obj.code not in {row["object"] for row in publication.snapshot.get("rows", [])}:
        raise ServiceError(f"本次公示没有{obj.name}的结果", field="object")
    leaf = catalog_of(publication.assessment).leaf(publication.category, indicator)
    if leaf is None:
        raise ServiceError("请选择要申诉的指标", field="indicator")
    appeal = Appeal(publication=publication, assessment=publication.assessment, object=obj, indicator=indicator,
                    indicator_name=leaf.name or indicator, reason=reason, filed_by=user_of(actor),
                    filed_at=timezone.now(), deadline=today + dt.timedelta(days=reply_days()))
    sha = ""
    if evidence is not None:
        ext = _evidence_check(evidence)
        digest = hashlib.sha256()
        for chunk in evidence.chunks():
            digest.update(chunk)
        evidence.seek(0)
        sha = digest.hexdigest()
        appeal.evidence_name = (evidence.name or "file")[:200]
        appeal.evidence.save(f"{sha[:16]}.{ext}", evidence, save=False)
    appeal.save()
    audit_record(actor=actor, action="appeal_file", instance=appeal, after={
        "publication": publication.token, "object": obj.code, "indicator": indicator, "reason": reason,
        "evidence": appeal.evidence_name, "evidence_sha256": sha, "deadline": appeal.deadline.isoformat()})
    return appeal


@transaction.atomic
def appeal_decide(*, actor: Actor, scope: Scope, appeal: Appeal, accept: bool, reason: str,
                  period: Period | None = None, variable: str = "value", value: Decimal | None = None) -> Appeal:
    """答复申诉: reject with reasons, or accept with reasons and the corrected value of the
    indicator in ``period`` (written through the ledger's correction path, its history line
    naming this appeal). The office only; an appeal is answered once."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以答复申诉")
    require_org(scope, appeal.assessment.organisation_id)
    locked = Appeal.objects.select_for_update().select_related("object", "assessment").get(pk=appeal.pk)
    if locked.status != Appeal.Status.FILED:
        raise ServiceError(f"该申诉已答复（{locked.get_status_display()}）")
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写答复理由", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"答复理由不能超过{REASON_MAX}字", field="reason")
    before = {"status": locked.status}
    if accept:
        if period is None or period.assessment_id != locked.assessment_id:
            raise ServiceError("请选择要更正的考核期", field="period")
        if value is None:
            raise ServiceError("请填写更正后的数值", field="value")
        leaf = catalog_of(locked.assessment).leaf(locked.publication.category, locked.indicator)
        if leaf is None or leaf.kind != "value":
            raise ServiceError("该指标不是填报指标，不能在此直接更正：请先在加减分事项或评价中处理",
                               field="value")
        old = (locked.object.values.filter(period=period, indicator=locked.indicator, variable=variable)
               .values_list("value", flat=True).first())
        value_correct(actor=actor, scope=scope, period=period, obj=locked.object, indicator=locked.indicator,
                      variable=variable, value=value, note=f"申诉 #{locked.pk}：{reason}"[:300])
        locked.period, locked.variable, locked.value_before, locked.value_after = period, variable, old, value
        locked.status = Appeal.Status.ACCEPTED
    else:
        locked.status = Appeal.Status.REJECTED
    locked.decision_reason = reason
    locked.decided_by = user_of(actor)
    locked.decided_at = timezone.now()
    locked.save()
    audit_record(actor=actor, action="appeal_decide", instance=locked, before=before, after={
        "status": locked.status, "reason": reason, "late": timezone.localdate() > locked.deadline,
        "period": period.code if accept and period else None, "variable": variable if accept else None,
        "before": str(locked.value_before) if locked.value_before is not None else None,
        "after": str(value) if accept and value is not None else None})
    return locked


@transaction.atomic
def appeal_republish(*, actor: Actor, scope: Scope, appeal: Appeal) -> Publication:
    """发布更正结果: publish the category's corrected results again, superseding the appeal's
    publication (same notice window and audience); every accepted appeal of that publication
    points to the new one. Refused while the results still recompute."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以发布更正结果")
    old = appeal.publication
    if appeal.status != Appeal.Status.ACCEPTED:
        raise ServiceError("只有成立的申诉才需要更正发布")
    if appeal.republished_id is not None:
        raise ServiceError("该申诉的更正结果已发布")
    if results_pending(assessment=old.assessment, category=old.category):
        raise ServiceError("更正后的结果正在重新计算，请稍后再发布")
    numbers = sorted(Appeal.objects.filter(publication=old, status=Appeal.Status.ACCEPTED, republished=None)
                     .values_list("pk", flat=True))
    note = f"根据申诉（{'、'.join(f'#{n}' for n in numbers)}）更正第{old.number}次公示。" + (
        f"\n{old.note}" if old.note else "")
    pub = publication_create(actor=actor, scope=scope, assessment=old.assessment, category=old.category,
                             note=note[:2000],
                             notice_starts=old.notice_starts, notice_ends=old.notice_ends, public=old.public,
                             supersedes=old)
    Appeal.objects.filter(pk__in=numbers).update(republished=pub)
    audit_record(actor=actor, action="appeal_republish", instance=appeal,
                 after={"publication": pub.token, "supersedes": old.token, "appeals": numbers})
    return pub
