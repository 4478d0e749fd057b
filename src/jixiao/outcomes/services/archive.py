"""年度归档 (closing a year): one ZIP of an assessment whose periods are all closed — its scheme
versions, the ledger (values with their history, incidents, ballots), the results, the
publications, the appeals, the official tables (XLSX and PDF), the evidence files and an extract
of the audit trail — with a manifest of every file's SHA-256 (:mod:`jixiao.outcomes.manifest`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from jixiao.audit.models import AuditEntry
from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.collection.models import Ballot, Evidence, Incident, Value, ValueChange
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.exports import FontMissing
from jixiao.org.scoping import Scope, require_org
from jixiao.outcomes.manifest import package, sha256
from jixiao.outcomes.models import Appeal, Archive, Feedback, ImprovementPlan
from jixiao.reports import pdf, xlsx
from jixiao.reports.selectors import categories_of, context_for, entries_for
from jixiao.reports.tables import rewards_table, summary_table
from jixiao.schemes.models import Assessment, Period, SchemeVersion
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.models import Approval, Publication, Result


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _files(scope: Scope, a: Assessment) -> Iterator[tuple[str, bytes]]:
    for v in SchemeVersion.objects.filter(scheme=a.version.scheme).order_by("number"):
        yield f"scheme/v{v.number}.yaml", v.text.encode("utf-8")
    values = Value.objects.filter(assessment=a).select_related("object", "period").order_by("id")
    yield "ledger/values.csv", _csv(
        ["id", "object", "period", "indicator", "variable", "value", "status", "note", "version", "updated_at"],
        ((v.pk, v.object.code, v.period.code, v.indicator, v.variable, v.value, v.status, v.note, v.version,
          v.updated_at.isoformat()) for v in values))
    changes = ValueChange.objects.filter(value__assessment=a).select_related("actor").order_by("id")
    yield "ledger/value_history.csv", _csv(
        ["value_id", "at", "actor", "via", "action", "before", "after", "status_before", "status_after", "note"],
        ((c.value_id, c.at.isoformat(), c.actor.get_username() if c.actor else "", c.via, c.action, c.before,
          c.after, c.status_before, c.status_after, c.note) for c in changes))
    incidents = Incident.objects.filter(assessment=a).select_related("object", "period").order_by("id")
    yield "ledger/incidents.csv", _csv(
        ["id", "object", "period", "indicator", "item", "level", "count", "amount", "document", "status", "reason"],
        ((i.pk, i.object.code, i.period.code, i.indicator, i.item, i.level, i.count, i.amount, i.document,
          i.status, i.decision_reason) for i in incidents))
    ballots = Ballot.objects.filter(assessment=a).select_related("object", "period").order_by("id")
    yield "ledger/ballots.csv", _csv(
        ["id", "object", "period", "indicator", "rater", "rating", "score", "count"],
        ((b.pk, b.object.code, b.period.code, b.indicator, b.rater, b.rating, b.score, b.count) for b in ballots))
    results = Result.objects.filter(assessment=a).select_related("object").order_by("category", "group", "rank")
    yield "results/results.csv", _csv(
        ["object", "name", "category", "group", "total", "rank", "group_size", "grade", "flags", "components"],
        ((r.object.code, r.object.name, r.category, r.group, r.total, r.rank, r.group_size, r.grade,
          json.dumps(r.flags, ensure_ascii=False), json.dumps(r.components, ensure_ascii=False)) for r in results))
    for p in Publication.objects.filter(assessment=a).order_by("category", "number"):
        yield f"publications/{p.category}-{p.number}.json", json.dumps({
            "title": p.title, "number": p.number, "token": p.token, "published_at": p.published_at.isoformat(),
            "withdrawn_at": p.withdrawn_at.isoformat() if p.withdrawn_at else None, "note": p.note,
            "notice": [str(p.notice_starts or ""), str(p.notice_ends or "")], "snapshot": p.snapshot},
            ensure_ascii=False, indent=1).encode("utf-8")
    appeals = Appeal.objects.filter(assessment=a).select_related("object").order_by("id")
    yield "appeals/appeals.csv", _csv(
        ["id", "object", "indicator", "reason", "filed_at", "deadline", "status", "decision_reason", "value_before",
         "value_after"],
        ((x.pk, x.object.code, x.indicator, x.reason, x.filed_at.isoformat(), x.deadline, x.status,
          x.decision_reason, x.value_before, x.value_after) for x in appeals))
    for x in appeals:
        if x.evidence:
            with x.evidence.open("rb") as fh:
                yield f"appeals/evidence/{x.pk}-{x.evidence_name}", fh.read()
    catalog = catalog_of(a)
    tables = []
    for ref in categories_of(catalog):
        entries = entries_for(scope=scope, assessment=a, catalog=catalog, category=ref.code)
        ctx = context_for(a, catalog, ref)
        tables += [summary_table(ctx, entries), rewards_table(ctx, entries)]
    if tables:
        yield "tables/official-tables.xlsx", xlsx.tables_xlsx(tables)
        try:
            yield "tables/official-tables.pdf", pdf.tables_pdf(tables, title=a.name)
        except FontMissing as e:
            raise ServiceError(f"无法生成PDF报表，未归档：{e}") from None
    for ev in Evidence.objects.filter(value__assessment=a).order_by("id"):
        with ev.file.open("rb") as fh:
            yield f"evidence/{ev.pk}-{ev.name}", fh.read()
    for ev in Evidence.objects.filter(incident__assessment=a).order_by("id"):
        with ev.file.open("rb") as fh:
            yield f"evidence/incident-{ev.pk}-{ev.name}", fh.read()
    yield "audit/audit.csv", _csv(
        ["at", "actor", "action", "target", "target_id", "summary", "before", "after"],
        ((e.at.isoformat(), e.actor_label, e.action, e.target, e.target_id, e.summary,
          json.dumps(e.before, ensure_ascii=False), json.dumps(e.after, ensure_ascii=False))
         for e in _audit_of(a)))


def _ids(qs: Any) -> Any:
    """A queryset's primary keys as text (the audit trail's ``target_id``), as a subquery."""
    return qs.annotate(key=Cast("pk", CharField())).values("key")


def _audit_of(a: Assessment) -> Any:
    """The audit entries of this assessment's records only (never another organisation's)."""
    targets = {
        "schemes.assessment": _ids(Assessment.objects.filter(pk=a.pk)),
        "schemes.period": _ids(Period.objects.filter(assessment=a)),
        "collection.value": _ids(Value.objects.filter(assessment=a)),
        "collection.incident": _ids(Incident.objects.filter(assessment=a)),
        "collection.evidence": _ids(Evidence.objects.filter(Q(value__assessment=a) | Q(incident__assessment=a))),
        "scoring.publication": _ids(Publication.objects.filter(assessment=a)),
        "scoring.approval": _ids(Approval.objects.filter(assessment=a)),
        "outcomes.appeal": _ids(Appeal.objects.filter(assessment=a)),
        "outcomes.feedback": _ids(Feedback.objects.filter(assessment=a)),
        "outcomes.improvementplan": _ids(ImprovementPlan.objects.filter(assessment=a)),
    }
    cond = Q()
    for target, ids in targets.items():
        cond |= Q(target=target, target_id__in=ids)
    return AuditEntry.objects.filter(cond).order_by("at", "id")


@transaction.atomic
def year_archive(*, actor: Actor, scope: Scope, assessment: Assessment) -> Archive:
    """归档: the office closes the year into one ZIP (stored, and its own SHA-256 recorded).
    Refused while a period is still open."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以归档")
    require_org(scope, assessment.organisation_id)
    open_periods = list(Period.objects.filter(assessment=assessment, status=Period.Status.OPEN)
                        .order_by("position").values_list("name", flat=True))
    if open_periods:
        raise ServiceError("以下考核期仍在填报中，请先关闭后再归档：" + "、".join(open_periods))
    files = list(_files(scope, assessment))
    data = package(files, {"assessment": assessment.code, "name": assessment.name, "year": assessment.year,
                           "created_at": timezone.now().isoformat()})
    archive = Archive(assessment=assessment, sha256=sha256(data), size=len(data), files=len(files),
                      created_by=user_of(actor))
    archive.file.save(f"{assessment.code}-{timezone.now():%Y%m%d%H%M%S}.zip", ContentFile(data), save=False)
    archive.save()
    audit_record(actor=actor, action="year_archive", instance=archive,
                 after={"assessment": assessment.code, "sha256": archive.sha256, "files": len(files),
                        "size": len(data)})
    return archive
