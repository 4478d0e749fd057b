"""Bulletins (督办通报): draw a dated snapshot of every unit's matters, then publish it unchanged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.scoping import Scope, for_org, in_org
from jixiao.supervision import bulletin_data
from jixiao.supervision.models import Bulletin, Feedback, Matter, Notice
from jixiao.supervision.selectors import lights_of

KINDS = ("", Matter.Kind.SUPERVISION.value, Matter.Kind.RECTIFICATION.value)
SOURCE_LABELS = dict(Matter.Source.choices)


def bulletin_rows(*, scope: Scope, kind: str, date_to: dt.date
                  ) -> tuple[list[bulletin_data.MatterRow], dict[int, dt.date]]:
    """Every matter of the scope's organisation assigned on or before ``date_to`` (of one kind, or
    both) with its light on ``date_to``, and each lead unit's latest feedback on its own matters by
    then. Five queries whatever the number of matters."""
    qs = for_org(Matter.objects.filter(assigned_on__isnull=False, assigned_on__lte=date_to), scope)
    if kind:
        qs = qs.filter(kind=kind)
    got = lights_of(qs, today=date_to)
    notices = dict(Notice.objects.filter(matter__in=qs, issued_on__lte=date_to).order_by()
                   .values("matter_id").annotate(n=Count("id")).values_list("matter_id", "n"))
    last = dict(Feedback.objects.filter(matter__in=qs, unit_id=F("matter__lead_unit_id"), on__lte=date_to)
                .order_by().values("unit_id").annotate(last=Max("on")).values_list("unit_id", "last"))
    rows = []
    for m in qs.select_related("lead_unit", "leader").order_by():
        leader = (m.leader.get_full_name() or m.leader.get_username()) if m.leader else ""
        u = m.lead_unit
        rows.append(bulletin_data.MatterRow(
            id=m.pk, number=m.number, title=m.title, kind=m.kind, state=m.state, light=got[m.pk].colour, unit_id=u.pk,
            unit_code=u.code, unit_name=u.name, unit_order=(u.level, u.position, u.code), leader=leader,
            deadline=m.deadline, completed_on=m.completed_on, return_count=m.return_count,
            notices=notices.get(m.pk, 0), source=SOURCE_LABELS.get(m.source, m.source), measures=m.measures,
            reason=got[m.pk].reason))
    return rows, last


def default_title(date_to: dt.date) -> str:
    return f"督办通报（{date_to:%Y年%m月%d日}）"


def next_issue_number(year: int, organisation_id: int) -> str:
    """期号: the organisation's bulletins of the year so far, plus one."""
    n = Bulletin.objects.filter(date_to__year=year, organisation_id=organisation_id).count() + 1
    return f"{year}年第{n}期"


@transaction.atomic
def bulletin_create(*, actor: Actor, scope: Scope, date_from: dt.date, date_to: dt.date, kind: str = "",
                    title: str = "", number: str = "", today: dt.date | None = None) -> Bulletin:
    """起草通报: the office draws a bulletin as of ``date_to`` over the window ``[date_from, date_to]``;
    it stays a draft (seen by the office only) until published."""
    today = today or clock.today()
    if not scope.office or scope.organisation_id is None:
        raise NotAllowed("只有绩效办（督查室）可以起草督办通报")
    org_id = scope.organisation_id
    if kind not in KINDS:
        raise ServiceError("类别须为 督办事项、整改事项 或全部", field="kind")
    if date_from > date_to:
        raise ServiceError(f"开始日期 {date_from} 晚于截止日期 {date_to}", field="date_from")
    if date_to > today:
        raise ServiceError(f"截止日期 {date_to} 晚于今天 {today}：通报只能反映已经发生的情况", field="date_to")
    title = title.strip() or default_title(date_to)
    number = number.strip() or next_issue_number(date_to.year, org_id)
    if len(title) > 200:
        raise ServiceError("标题不能超过200字", field="title")
    if len(number) > 40:
        raise ServiceError("期号不能超过40字", field="number")
    rows, last = bulletin_rows(scope=scope, kind=kind, date_to=date_to)
    data = bulletin_data.compute(rows, last, date_from=date_from, date_to=date_to, kind=kind)
    data["drawn_on"] = today.isoformat()
    bulletin = Bulletin.objects.create(organisation_id=org_id, kind=kind, title=title, number=number,
                                       date_from=date_from, date_to=date_to, data=data, created_by=user_of(actor))
    audit_record(actor=actor, action="bulletin_create", instance=bulletin, after={
        "title": title, "number": number, "kind": kind, "date_from": str(date_from), "date_to": str(date_to),
        "units": len(data["units"]), "matters": data["totals"]["total"], "overdue": len(data["overdue"])})
    return bulletin


@transaction.atomic
def bulletin_publish(*, actor: Actor, scope: Scope, bulletin: Bulletin) -> Bulletin:
    """发布通报: the draft becomes visible to everyone signed in; from now on it never changes."""
    if not scope.office:
        raise NotAllowed("只有绩效办（督查室）可以发布督办通报")
    if not in_org(scope, bulletin.organisation_id):
        raise NotAllowed("该通报属于另一个组织")
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.status == Bulletin.Status.PUBLISHED:
        when = timezone.localtime(locked.published_at).strftime("%Y-%m-%d %H:%M") if locked.published_at else ""
        raise ServiceError(f"该通报已于 {when} 发布，不能重复发布或修改")
    locked.status = Bulletin.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = user_of(actor)
    locked.save(update_fields=["status", "published_at", "published_by"])
    audit_record(actor=actor, action="bulletin_publish", instance=locked, before={"status": "draft"},
                 after={"status": "published", "published_at": locked.published_at.isoformat(),
                        "number": locked.number})
    return locked
