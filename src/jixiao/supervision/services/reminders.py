"""Reminder notices (催办通知单) and their deliveries (送达记录).

:func:`reminders_run` is the daily job's body (and the office's 「立即催办」): it computes the lights
of every open matter in one pass, issues a notice for each yellow or red matter that is due one,
records the deliveries, and then sends them. A matter is due a notice when it has none yet, when
its last one is ``JIXIAO_REMIND_EVERY_DAYS`` days old or older, or when its light worsened from
yellow to red since — but never twice on one day, so a second run the same day issues nothing
(the unique ``(matter, sequence)`` constraint enforces it against concurrent runs too).

After ``JIXIAO_ESCALATE_AFTER`` notices the next ones are escalated (升级催办) to the leader in
charge — or, for a matter without one, to the leader overseeing the lead unit nearest to it in
the unit tree — who receives them as well.

Everything is column-wise: a handful of queries and bulk inserts whatever the number of matters.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.core import clock
from jixiao.core.bulk import now_for_db, rows_insert
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.org.models import RoleGrant, Unit
from jixiao.org.scoping import Scope
from jixiao.supervision import lights
from jixiao.supervision.channels import (
    Channel,
    DeliveryFailed,
    DeliveryMessage,
    Recipient,
    channel_get,
    channels_configured,
)
from jixiao.supervision.models import Delivery, Matter, Notice, Step
from jixiao.supervision.selectors import lights_of

logger = logging.getLogger(__name__)

SYSTEM_LABEL = "催办任务"
UNIT_ROLES = (RoleGrant.Role.UNIT_REPORTER, RoleGrant.Role.UNIT_HEAD)
SEND_BATCH = 500  # deliveries claimed (and their outcomes recorded) per short transaction


@dataclass
class RunSummary:
    """What one reminder run did (stored on the day's ``JobRun``)."""

    day: dt.date
    open: int = 0  # open matters looked at
    yellow: int = 0
    red: int = 0
    issued: int = 0  # notices issued
    escalated: int = 0  # of which escalated to a leader
    deliveries: int = 0  # deliveries recorded
    no_email: int = 0  # recipients reached in-app only, having no e-mail address
    sent: int = 0  # deliveries sent by the send step after the run (old retries included)
    failed: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return data


@dataclass(frozen=True)
class _Matter:
    id: int
    number: str
    title: str
    state: str
    deadline: dt.date
    unit_id: int
    unit_name: str
    leader_id: int | None


@dataclass
class _Notice:
    matter: _Matter
    sequence: int
    light: str
    leader_id: int | None
    message: str
    light_text: str = ""  # the light with its reason: 红灯：已逾期4天
    pk: int = 0

    @property
    def escalated(self) -> bool:
        return self.leader_id is not None


def reminders_run(*, today: dt.date | None = None, actor: Actor = None,
                  organisation_id: int | None = None) -> RunSummary:
    """Issue the notices due today (one transaction), then, once that has committed, send every
    delivery waiting to go out (in short transactions, so a slow mail server holds no lock).

    ``organisation_id``: only that organisation's matters and deliveries (the office's 立即催办
    acts in the organisation it works in); None for the daily job, which covers every one."""
    started = timezone.now()
    summary = notices_issue(today=today, actor=actor, organisation_id=organisation_id)
    summary.sent, summary.failed = deliveries_send(organisation_id=organisation_id)
    summary.seconds = round((timezone.now() - started).total_seconds(), 3)
    return summary


@transaction.atomic
def notices_issue(*, today: dt.date | None = None, actor: Actor = None,
                  organisation_id: int | None = None) -> RunSummary:
    """催办: a notice (with its step, audit entry and deliveries) for every yellow or red open
    matter that is due one today (of one organisation, when given). Nothing is sent here; see
    :func:`deliveries_send`."""
    today = today or clock.today()
    channels = channels_configured()  # an unknown channel fails before anything is written
    summary = RunSummary(day=today)
    open_qs = Matter.objects.filter(state__in=Matter.OPEN)
    if organisation_id is not None:
        open_qs = open_qs.filter(organisation_id=organisation_id)
    got = lights_of(open_qs, today=today)
    summary.open = len(got)
    flagged = {k: v for k, v in got.items() if v.colour in ("yellow", "red")}
    summary.yellow = sum(1 for v in flagged.values() if v.colour == "yellow")
    summary.red = len(flagged) - summary.yellow
    if not flagged:
        return summary

    # The last notice of every open matter, in one aggregate: its sequence, its date and whether
    # it was a red one (sequence and date rise together, so the maxima belong to the same notice).
    last: dict[int, tuple[int, dt.date, bool]] = {
        m: (seq, on, red_seq == seq) for m, seq, on, red_seq in
        Notice.objects.filter(matter__state__in=Matter.OPEN).order_by().values("matter_id")
        .annotate(last_seq=Max("sequence"), last_on=Max("issued_on"),
                  red_seq=Max("sequence", filter=Q(light="red")))
        .values_list("matter_id", "last_seq", "last_on", "red_seq")}
    every = settings.JIXIAO_REMIND_EVERY_DAYS
    due: list[tuple[int, int]] = []  # (matter id, sequence)
    for mid, lt in flagged.items():
        prev = last.get(mid)
        if prev is None:
            due.append((mid, 1))
            continue
        seq, on, was_red = prev
        if on >= today:
            continue  # issued today already: one notice a day at most, whatever else changed
        if (today - on).days >= every or (lt.colour == "red" and not was_red):
            due.append((mid, seq + 1))
    if not due:
        return summary

    info = {r[0]: _Matter(*r) for r in open_qs.values_list("id", "number", "title", "state", "deadline",
                                                           "lead_unit_id", "lead_unit__name", "leader_id")}
    unit_people, users = _unit_recipients()
    overseer = _overseers()
    escalate_after = settings.JIXIAO_ESCALATE_AFTER
    leaders: dict[int, int | None] = {}
    for mid, seq in due:
        m = info[mid]
        leaders[mid] = (m.leader_id or overseer(m.unit_id)) if seq > escalate_after else None
    users.update(_users({x for x in leaders.values() if x is not None} - set(users)))

    issuer = user_of(actor)
    uid = issuer.pk if issuer else None
    notices = []
    for mid, seq in due:
        m = info[mid]
        lid = leaders[mid]
        leader = users.get(lid) if lid is not None else None
        notices.append(_Notice(matter=m, sequence=seq, light=flagged[mid].colour, leader_id=leaders[mid],
                               message=notice_message(m, flagged[mid], seq, today, leader.name if leader else ""),
                               light_text=flagged[mid].text))
    now = now_for_db()
    on_db = connection.ops.adapt_datefield_value(today)
    try:
        with transaction.atomic():
            rows_insert(Notice, ["matter_id", "sequence", "unit_id", "light", "escalated", "leader_id", "issued_on",
                                 "deadline", "message", "issued_by_id", "created_at"],
                        [(n.matter.id, n.sequence, n.matter.unit_id, n.light, n.escalated, n.leader_id, on_db,
                          connection.ops.adapt_datefield_value(n.matter.deadline), n.message, uid, now)
                         for n in notices])
    except IntegrityError:
        raise ServiceError("另一次催办正在进行或刚刚完成，请稍后刷新查看") from None
    # rows_insert returns no ids: read them back by (matter, sequence), unique, among today's notices.
    ids = {(m, s): pk for m, s, pk in Notice.objects.filter(issued_on=today).order_by()
           .values_list("matter_id", "sequence", "id")}
    for n in notices:
        n.pk = ids[(n.matter.id, n.sequence)]

    label = issuer.get_username() if issuer else SYSTEM_LABEL
    rows_insert(Step, ["matter_id", "action", "state_before", "state_after", "note", "actor_id", "actor_label", "on",
                       "at"],
                [(n.matter.id, "remind", n.matter.state, n.matter.state,
                  f"第{n.sequence}次催办（{n.light_text}）" + ("，已升级报告责任领导" if n.escalated else ""),
                  uid, label, on_db, now) for n in notices])

    deliveries: list[tuple[Any, ...]] = []
    audit_rows: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = []
    for n in notices:
        people = list(unit_people.get(n.matter.unit_id, ()))
        if n.leader_id is not None and n.leader_id in users and n.leader_id not in people:
            people.append(n.leader_id)
        no_email = []
        for ch in channels:
            if not ch.per_recipient:
                deliveries.append(_delivery_row(n.pk, ch, None, ch.group_address(), now))
                continue
            for user_id in people:
                address = ch.address_for(users[user_id])
                if address is None:
                    no_email.append(users[user_id].name)
                    continue
                deliveries.append(_delivery_row(n.pk, ch, user_id, address, now))
        summary.no_email += len(no_email)
        summary.escalated += n.escalated
        audit_rows.append((str(n.pk), None, {
            "matter": n.matter.number, "sequence": n.sequence, "light": n.light, "escalated": n.escalated,
            "leader": n.leader_id, "recipients": [users[u].name for u in people],
            **({"no_address": no_email} if no_email else {})}))
    rows_insert(Delivery, ["notice_id", "channel", "recipient_id", "address", "status", "attempts", "last_error",
                           "last_attempt_at", "sent_at"], deliveries)
    audit_record_many(actor=actor, action="notice_issue", target="supervision.notice", rows=audit_rows,
                      summary=f"{today} 催办", system=SYSTEM_LABEL)
    summary.issued = len(notices)
    summary.deliveries = len(deliveries)
    return summary


def _delivery_row(notice_id: int, ch: Channel, user_id: int | None, address: str, now: Any) -> tuple[Any, ...]:
    if ch.immediate:  # nothing to transmit: recorded as delivered with the notice
        return (notice_id, ch.name, user_id, address, Delivery.Status.SENT.value, 1, "", now, now)
    return (notice_id, ch.name, user_id, address, Delivery.Status.PENDING.value, 0, "", None, None)


def notice_message(m: _Matter, light: lights.Light, sequence: int, today: dt.date, leader_name: str = "") -> str:
    """The notice's text: which matter, its deadline, its light with the reason (the one rule,
    ``lights.light_of``, as of the day issued) and which reminder this is."""
    tail = f"已报告责任领导{leader_name}督促办理。" if leader_name else ""
    title = m.title if len(m.title) <= 120 else m.title[:119] + "…"
    text = (f"第{sequence}次催办：{m.unit_name}承办的“{title}”（{m.number}），办结时限 {m.deadline:%Y-%m-%d}，"
            f"截至 {today:%Y-%m-%d} 为{light.text}。请抓紧办理并及时反馈进展。{tail}")
    return text[:500]


def _unit_recipients() -> tuple[dict[int, list[int]], dict[int, Recipient]]:
    """Active reporters and heads of each unit (their grant on exactly that unit), and the users."""
    people: dict[int, list[int]] = defaultdict(list)
    users: dict[int, Recipient] = {}
    rows = (RoleGrant.objects.filter(role__in=UNIT_ROLES, unit__isnull=False, user__is_active=True)
            .order_by("unit_id", "user_id")
            .values_list("unit_id", "user_id", "user__first_name", "user__username", "user__email"))
    for unit_id, user_id, first, username, email in rows:
        if user_id not in people[unit_id]:
            people[unit_id].append(user_id)
        users[user_id] = Recipient(user_id=user_id, name=first or username, email=email or "")
    return people, users


def _users(ids: set[int]) -> dict[int, Recipient]:
    if not ids:
        return {}
    return {uid: Recipient(user_id=uid, name=first or username, email=email or "") for uid, first, username, email in
            User.objects.filter(id__in=ids, is_active=True).values_list("id", "first_name", "username", "email")}


def _overseers() -> Callable[[int], int | None]:
    """``overseer(unit_id)``: the leader overseeing a unit — a leader grant on it or, failing that,
    on the nearest unit above it (the lowest user id when several share a unit)."""
    parents = dict(Unit.objects.values_list("id", "parent_id"))
    by_unit: dict[int, int] = {}
    for unit_id, user_id in (RoleGrant.objects.filter(role=RoleGrant.Role.LEADER, unit__isnull=False,
                                                      user__is_active=True)
                             .order_by("user_id").values_list("unit_id", "user_id")):
        by_unit.setdefault(unit_id, user_id)
    cache: dict[int, int | None] = {}

    def overseer(unit_id: int) -> int | None:
        if unit_id not in cache:
            node: int | None = unit_id
            seen = set()
            while node is not None and node not in by_unit and node not in seen:
                seen.add(node)
                node = parents.get(node)
            cache[unit_id] = by_unit.get(node) if node is not None else None
        return cache[unit_id]

    return overseer


# --- Sending ------------------------------------------------------------------------------------------

_SEND_COLUMNS = ("id", "channel", "status", "attempts", "address", "recipient_id", "recipient__first_name",
                 "recipient__username", "notice__message", "notice__sequence", "notice__escalated",
                 "notice__issued_on", "notice__matter__number", "notice__matter__title",
                 "notice__matter__deadline", "notice__unit__name")


def _details(row: dict[str, Any]) -> list[str]:
    escalated = "（已升级报告责任领导）" if row["notice__escalated"] else ""
    return [f"事项编号：{row['notice__matter__number']}", f"事项名称：{row['notice__matter__title']}",
            f"主办单位：{row['notice__unit__name']}", f"办结时限：{row['notice__matter__deadline']:%Y-%m-%d}",
            f"催办次序：第{row['notice__sequence']}次{escalated}", f"签发日期：{row['notice__issued_on']:%Y-%m-%d}"]


def delivery_message(rows: list[dict[str, Any]]) -> DeliveryMessage:
    """The subject and body of one message carrying one delivery — or several (a digest: one
    e-mail per recipient with his notices, not one each), from their notices."""
    first = rows[0]
    name = first["recipient__first_name"] or first["recipient__username"] or ""
    greeting = [f"{name}：", ""] if name else []
    footer = ["", "请登录绩效考核督办系统查看事项、反馈进展并签收通知单。"]
    if len(rows) == 1:
        subject = (f"催办通知单（第{first['notice__sequence']}次）：{first['notice__matter__number']} "
                   f"{first['notice__matter__title']}")
        lines = [*greeting, first["notice__message"], "", *_details(first), *footer]
    else:
        days = sorted({r["notice__issued_on"] for r in rows})
        subject = (f"催办通知单 {len(rows)} 份（{days[-1]:%Y-%m-%d}）：{first['notice__matter__number']} "
                   f"{first['notice__matter__title']} 等")
        lines = [*greeting, f"共有 {len(rows)} 份催办通知单：", ""]
        for i, r in enumerate(rows, start=1):
            lines += [f"{i}. {r['notice__message']}", *(f"   {x}" for x in _details(r)), ""]
        lines += footer[1:]
    return DeliveryMessage(subject=subject[:150], body="\n".join(lines), address=first["address"], recipient=name)


def deliveries_send(*, now: dt.datetime | None = None, ids: Collection[int] | None = None,
                    organisation_id: int | None = None) -> tuple[int, int]:
    """发送: every pending or failed delivery with attempts left goes out through its channel.

    The deliveries of one recipient (one address) on one channel go out together, up to the
    channel's ``digest_max`` per message, so a unit with forty overdue matters gets one e-mail a
    morning, not forty. Runs outside any long transaction, a few hundred deliveries at a time:
    they are claimed in one short transaction (a conditional update per delivery, counting the
    attempt, so a concurrent run never sends them twice), sent with no transaction open, and their
    outcomes recorded in another short one — sent, or failed with the error, to be retried by the
    next run until ``JIXIAO_NOTIFY_ATTEMPTS`` attempts are spent; a delivery out of attempts stays
    failed on the deliveries page. A process killed between a send and its record leaves those
    deliveries claimed but unrecorded: they go again next run (at least once, never lost).
    Returns ``(sent, failed)`` counted in deliveries.
    """
    at = connection.ops.adapt_datetimefield_value(now or timezone.now())
    limit = settings.JIXIAO_NOTIFY_ATTEMPTS
    qs = Delivery.objects.filter(status__in=(Delivery.Status.PENDING, Delivery.Status.FAILED), attempts__lt=limit)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    if organisation_id is not None:  # only one organisation's notices (the office's 立即催办)
        qs = qs.filter(notice__matter__organisation_id=organisation_id)
    groups: dict[tuple[str, int | None, str], list[dict[str, Any]]] = defaultdict(list)
    for row in qs.order_by("id").values(*_SEND_COLUMNS):
        groups[(row["channel"], row["recipient_id"], row["address"])].append(row)
    table = connection.ops.quote_name(Delivery._meta.db_table)
    claim = (f"UPDATE {table} SET attempts = %s, last_attempt_at = %s "
             "WHERE id = %s AND status = %s AND attempts = %s")
    record = f"UPDATE {table} SET status = %s, last_error = %s, sent_at = %s WHERE id = %s"
    channels: dict[str, Channel | DeliveryFailed] = {}
    messages: list[tuple[Channel | DeliveryFailed, list[dict[str, Any]]]] = []
    for (name, _user, _address), rows in groups.items():
        if name not in channels:
            try:
                channels[name] = channel_get(name)
            except DeliveryFailed as e:
                channels[name] = e  # recorded on each of its deliveries below
        ch = channels[name]
        size = ch.digest_max if isinstance(ch, Channel) else 1
        messages += [(ch, rows[i:i + size]) for i in range(0, len(rows), size)]
    sent = failed = 0
    try:
        # A few hundred deliveries per claim and per record: few commits, no long transaction.
        start = 0
        while start < len(messages):
            end, count = start, 0
            while end < len(messages) and (count == 0 or count + len(messages[end][1]) <= SEND_BATCH):
                count += len(messages[end][1])
                end += 1
            with transaction.atomic(), connection.cursor() as cur:
                batch = []
                for ch, rows in messages[start:end]:
                    claimed = []
                    for row in rows:
                        cur.execute(claim, [row["attempts"] + 1, at, row["id"], row["status"], row["attempts"]])
                        if cur.rowcount == 1:
                            claimed.append(row)  # else another run took it
                    if claimed:
                        batch.append((ch, claimed))
            start = end
            outcomes: list[tuple[Any, ...]] = []
            for ch, claimed in batch:
                error = str(ch) if isinstance(ch, DeliveryFailed) else _send_one(ch, claimed)
                if error:
                    failed += len(claimed)
                    outcomes += [(Delivery.Status.FAILED.value, error[:500], None, r["id"]) for r in claimed]
                else:
                    sent += len(claimed)
                    outcomes += [(Delivery.Status.SENT.value, "", at, r["id"]) for r in claimed]
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(record, outcomes)
    finally:
        for opened in channels.values():
            if isinstance(opened, Channel):
                opened.close()
    return sent, failed


def _send_one(channel: Channel, rows: list[dict[str, Any]]) -> str:
    """Send one message; the error, or ``""`` when it went out."""
    try:
        channel.send(delivery_message(rows))
    except DeliveryFailed as e:
        return str(e) or "发送失败"
    except Exception as e:  # a channel's own bug: recorded on its deliveries, the others still go out
        logger.exception("deliveries %s through %s", [r["id"] for r in rows], channel.name)
        return f"内部错误：{type(e).__name__}: {e}"
    return ""


@transaction.atomic
def delivery_retry(*, actor: Actor, scope: Scope, delivery: Delivery) -> Delivery:
    """重试: the office gives a failed delivery a fresh set of attempts; the next send (which the
    view starts at once) tries it again."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以重发催办通知")
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.status != Delivery.Status.FAILED:
        raise ServiceError(f"该送达记录为“{locked.get_status_display()}”，无须重试")
    before = {"status": locked.status, "attempts": locked.attempts, "last_error": locked.last_error}
    locked.status = Delivery.Status.PENDING
    locked.attempts = 0
    locked.save(update_fields=["status", "attempts"])
    audit_record(actor=actor, action="delivery_retry", instance=locked, before=before,
                 after={"status": locked.status, "attempts": 0})
    return locked
