"""Reads of matters, scoped; lights computed column-wise for whole lists in one pass."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from jixiao.core import clock
from jixiao.org.models import RoleGrant, Unit
from jixiao.org.scoping import Scope, for_org
from jixiao.supervision import lights
from jixiao.supervision.models import Attachment, Bulletin, Delivery, Extension, Matter, Milestone, Notice

User = get_user_model()


def matters_visible(*, scope: Scope) -> QuerySet[Matter]:
    """The matters a user may see: all for the office; a leader those he is in charge of and those
    of the units he oversees; a unit's reporters and head those their unit leads or co-handles —
    within the scope's organisation."""
    qs = for_org(Matter.objects.all(), scope)
    if scope.office:
        return qs
    if not scope.authenticated:
        return qs.none()
    units = scope.leader_units | scope.head_units | scope.report_units
    cond = Q(leader_id=scope.user_id) | Q(lead_unit_id__in=units) | Q(co_units__in=units)
    ids = Matter.objects.filter(cond).values("id")
    return qs.filter(id__in=ids)


def lights_of(matters: QuerySet[Matter] | list[int], *, today: dt.date | None = None) -> dict[int, lights.Light]:
    """``{matter id: Light}`` (colour, reason, overdue days) for a query of matters, by the one rule
    ``lights.light_of``; one query whatever the number of matters."""
    today = today or clock.today()
    qs = Matter.objects.filter(id__in=matters) if isinstance(matters, list) else matters
    pending = Milestone.objects.filter(matter=OuterRef("pk"), done_on__isnull=True).order_by("due", "position")
    rows = (qs.order_by().annotate(next_ms=Min("milestones__due", filter=Q(milestones__done_on__isnull=True)),
                                   next_title=Subquery(pending.values("title")[:1]))
            .values_list("id", "state", "deadline", "next_ms", "next_title", "completed_on", "warn_days",
                         "return_reason", "closed_on"))
    default = settings.JIXIAO_WARN_DAYS
    return {pk: lights.light_of(lights.Facts(state=state, deadline=deadline,
                                             warn_days=default if warn is None else warn, completed_on=completed,
                                             next_milestone=next_ms, milestone_title=title or "",
                                             return_reason=why, closed_on=closed), today)
            for pk, state, deadline, next_ms, title, completed, warn, why, closed in rows}


def lights_for(matters: QuerySet[Matter] | list[int], *, today: dt.date | None = None) -> dict[int, str]:
    """``{matter id: light colour}`` (see :func:`lights_of`)."""
    return {k: v.colour for k, v in lights_of(matters, today=today).items()}


@dataclass
class Row:
    """A matter with its light, for lists."""

    matter: Matter
    light: str
    overdue_days: int = 0
    reason: str = ""  # why the light, in words (lights.Light.reason)
    co_units: list[str] = field(default_factory=list)


def matter_rows(*, scope: Scope, kind: str | None = None, light: str | None = None, state: str | None = None,
                unit_id: int | None = None, leader_id: int | None = None, q: str = "", open_only: bool = False,
                today: dt.date | None = None) -> list[Row]:
    """A filtered, scoped list of matters with lights, in deadline order (five queries, any length)."""
    today = today or clock.today()
    qs = matters_visible(scope=scope)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.filter(state__in=Matter.OPEN)
    if unit_id:
        qs = qs.filter(Q(lead_unit_id=unit_id) | Q(id__in=Matter.co_units.through.objects.filter(unit_id=unit_id)
                                                   .values("matter_id")))
    if leader_id:
        qs = qs.filter(leader_id=leader_id)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(content__icontains=q))
    got = lights_of(qs, today=today)
    if light:
        got = {k: v for k, v in got.items() if v.colour == light}
    matters = (Matter.objects.filter(id__in=list(got)).select_related("lead_unit", "leader")
               .prefetch_related("co_units").order_by("deadline", "number"))
    out = []
    for m in matters:
        lt = got[m.pk]
        out.append(Row(matter=m, light=lt.colour, overdue_days=lt.overdue_days, reason=lt.reason,
                       co_units=[u.name for u in m.co_units.all()]))
    return out


def attachment_counts(ids: list[int]) -> dict[int, int]:
    """Evidence files (attachments of feedback) per matter, for the rectification ledger — one
    grouped query whatever the length of the list."""
    rows = (Attachment.objects.filter(feedback__matter_id__in=ids).values("feedback__matter_id")
            .annotate(n=Count("id")).values_list("feedback__matter_id", "n"))
    return dict(rows)


def light_counts(rows: list[Row]) -> dict[str, int]:
    c = Counter(r.light for r in rows)
    return {k: c.get(k, 0) for k in lights.LIGHTS}


@dataclass
class Tally:
    """Counts of one unit's (or one leader's) matters by light."""

    key: Any
    name: str
    total: int = 0
    green: int = 0
    yellow: int = 0
    red: int = 0
    waiting: int = 0
    done: int = 0

    def add(self, light: str) -> None:
        self.total += 1
        setattr(self, light, getattr(self, light) + 1)


def tallies(rows: list[Row]) -> tuple[list[Tally], list[Tally]]:
    """Counts per lead unit and per leader in charge, most red first (the leader's overview)."""
    units: dict[int, Tally] = {}
    leaders: dict[int | None, Tally] = {}
    for r in rows:
        m = r.matter
        units.setdefault(m.lead_unit_id, Tally(key=m.lead_unit_id, name=m.lead_unit.name)).add(r.light)
        name = (m.leader.get_full_name() or m.leader.get_username()) if m.leader else "（未指定）"
        leaders.setdefault(m.leader_id, Tally(key=m.leader_id, name=name)).add(r.light)

    def order(t: Tally) -> tuple[int, int, str]:
        return (-t.red, -t.yellow, t.name)

    return sorted(units.values(), key=order), sorted(leaders.values(), key=order)


def matter_detail(*, scope: Scope, pk: int) -> Matter:
    """One visible matter with what its page shows, prefetched."""
    return (matters_visible(scope=scope).select_related("lead_unit", "leader", "created_by")
            .prefetch_related("co_units", "milestones", "steps__actor", "feedback__unit", "feedback__author",
                              "feedback__attachments", "extensions__requested_by", "extensions__decided_by",
                              "notices__unit")
            .get(pk=pk))


def _signing_grants(scope: Scope) -> QuerySet[RoleGrant]:
    return for_org(RoleGrant.objects.filter(user_id=scope.user_id or 0, unit__isnull=False,
                                            role__in=(RoleGrant.Role.UNIT_REPORTER, RoleGrant.Role.UNIT_HEAD)),
                   scope)


def signing_units(*, scope: Scope) -> frozenset[int]:
    """The units whose reminder notices the user is expected to sign: those he reports for or heads
    by a grant on exactly that unit — the people the reminder run sends them to. A head of the
    county (his grant's subtree covers every town) or a leader signs none of the towns' notices."""
    if scope.user_id is None:
        return frozenset()
    return frozenset(_signing_grants(scope).values_list("unit_id", flat=True))


def notices_for(*, scope: Scope, unread_only: bool = False) -> QuerySet[Notice]:
    """Reminder notices the user receives (and signs): his own units' notices and those escalated to
    him; the office sees them all. Newest first."""
    qs = for_org(Notice.objects.select_related("matter", "unit", "leader"), scope, "matter__organisation").order_by(
        "-issued_on", "-id")
    if not scope.office:
        if scope.user_id is None:
            return qs.none()
        # A subquery, not a list: one query for the notices, however many units.
        qs = qs.filter(Q(unit_id__in=_signing_grants(scope).values("unit_id")) | Q(leader_id=scope.user_id))
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def may_sign_notice(scope: Scope, notice: Notice, units: frozenset[int] | None = None) -> bool:
    """Whether the user is expected to sign the notice (the office may sign for anyone)."""
    if scope.office or (notice.leader_id is not None and notice.leader_id == scope.user_id):
        return True
    return notice.unit_id in (signing_units(scope=scope) if units is None else units)


def is_overseer(scope: Scope) -> bool:
    """A leader, or the head of a unit above others (a county head): one who follows matters by
    their lights rather than working on them."""
    return bool(scope.leader_units) or "leader" in scope.roles or len(scope.head_units) > 1


def _registers(scope: Scope) -> bool:
    # Who may register matters (office or a leader) hands them to any unit (rules.may "register").
    return scope.office or bool(scope.leader_units) or "leader" in scope.roles


def unit_choices(*, scope: Scope) -> QuerySet[Unit]:
    """The units the user may pick on a supervision form (主办、协办、责任单位), in the unit tree's
    order: every unit of his organisation for those who register matters (the office, a leader),
    the units he may see otherwise. The one place where the choice of units is narrowed."""
    qs = for_org(Unit.objects.all(), scope).order_by("level", "position", "code")
    units = scope.view_units
    if units is None or _registers(scope):
        return qs
    return qs.filter(id__in=units)


def leader_choices(*, scope: Scope) -> QuerySet[Any]:
    """The accounts that can be a matter's leader in charge (责任领导): holders of the leader role in
    the user's organisation — all of them for those who register matters, those over the user's
    units otherwise."""
    grants = for_org(RoleGrant.objects.filter(role=RoleGrant.Role.LEADER), scope)
    units = scope.view_units
    if units is not None and not _registers(scope):
        grants = grants.filter(unit_id__in=units)
    return User.objects.filter(pk__in=grants.values("user_id")).order_by("first_name", "username")


def list_filter_choices(*, scope: Scope, kind: str) -> tuple[QuerySet[Unit], QuerySet[Any]]:
    """The units and leaders a list of matters can be filtered by: those of the matters he sees."""
    visible = matters_visible(scope=scope).values("id")
    units = for_org(Unit.objects.all(), scope).filter(led_matters__id__in=visible, led_matters__kind=kind) \
        .distinct().order_by("level", "position", "code")
    leaders = User.objects.filter(led_matters__id__in=visible, led_matters__kind=kind).distinct().order_by(
        "first_name", "username")
    return units, leaders


def extensions_pending(*, scope: Scope) -> QuerySet[Extension]:
    """Extension requests waiting for this user's decision (a leader's inbox)."""
    pending = Extension.objects.filter(status=Extension.Status.PENDING)
    qs = for_org(pending.select_related("matter", "matter__lead_unit"), scope, "matter__organisation")
    if scope.office:
        return qs
    return qs.filter(Q(matter__leader_id=scope.user_id) |
                     Q(matter__leader__isnull=True, matter__lead_unit_id__in=scope.leader_units))


def inbox(*, scope: Scope, today: dt.date | None = None) -> dict[str, Any]:
    """A unit's (or leader's) supervision inbox: its open matters by light, to sign, unread notices,
    extensions to decide."""
    rows = matter_rows(scope=scope, open_only=True, today=today)
    to_sign = [r for r in rows if r.matter.state == Matter.State.ASSIGNED]
    by_light: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_light[r.light].append(r)
    return {"rows": rows, "counts": light_counts(rows), "to_sign": to_sign, "by_light": by_light,
            "notices": list(notices_for(scope=scope, unread_only=True)[:50]),
            "extensions": list(extensions_pending(scope=scope))}


def bulletins_visible(*, scope: Scope) -> QuerySet[Bulletin]:
    """The office sees drafts; everyone signed in sees published bulletins."""
    qs = for_org(Bulletin.objects.select_related("created_by", "published_by"), scope)
    if scope.office:
        return qs
    if not scope.authenticated:
        return qs.none()
    return qs.filter(status=Bulletin.Status.PUBLISHED)


# --- single records for the pages (another organisation's is absent: 404) --------------------------


def bulletin_get(*, scope: Scope, pk: int) -> Bulletin:
    """A bulletin the scope may read: a draft is the office's alone (others get 404, as if absent)."""
    return get_object_or_404(bulletins_visible(scope=scope), pk=pk)


def notice_get(*, scope: Scope, pk: int) -> Notice:
    """A notice of the scope's organisation with its matter, unit and leader (whether he may sign
    it is the service's rule)."""
    return get_object_or_404(for_org(Notice.objects.select_related("matter", "unit", "leader"), scope,
                                     "matter__organisation"), pk=pk)


def attachment_get(*, scope: Scope, pk: int) -> Attachment:
    """A feedback attachment of a matter the scope sees; ``Http404`` otherwise."""
    att = get_object_or_404(Attachment.objects.select_related("feedback"), pk=pk)
    if not matters_visible(scope=scope).filter(pk=att.feedback.matter_id).exists():
        raise Http404
    return att


def matter_of_org(*, scope: Scope, pk: int) -> Matter:
    """A matter of the scope's organisation with its lead unit, seen or not (what he may do to it
    is the caller's rule); ``Http404`` for another's."""
    return get_object_or_404(for_org(Matter.objects.select_related("lead_unit"), scope), pk=pk)


def matter_for_edit(*, scope: Scope, pk: int) -> Matter:
    """A matter of the scope's organisation with its co-units and milestones (the edit form)."""
    return get_object_or_404(for_org(Matter.objects.prefetch_related("co_units", "milestones"), scope), pk=pk)


def extension_get(*, scope: Scope, pk: int) -> Extension:
    """An extension request of the scope's organisation with its matter."""
    return get_object_or_404(for_org(Extension.objects.select_related("matter"), scope, "matter__organisation"),
                             pk=pk)


# Failed first (they need someone's attention), then those still waiting, then the sent ones.
DELIVERY_ORDER = Case(When(status=Delivery.Status.FAILED, then=Value(0)),
                      When(status=Delivery.Status.PENDING, then=Value(1)),
                      default=Value(2), output_field=IntegerField())


def deliveries_of(*, scope: Scope, status: str = "") -> QuerySet[Delivery]:
    """The deliveries of the scope's organisation's notices (of one status if given), failed first,
    newest notice first, with notice, matter, unit and recipient."""
    qs = for_org(Delivery.objects.select_related("notice__matter", "notice__unit", "recipient"), scope,
                 "notice__matter__organisation")
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(rank=DELIVERY_ORDER).order_by("rank", "-notice__issued_on", "-id")


def delivery_counts(*, scope: Scope) -> dict[str, int]:
    """How many deliveries of the scope's organisation are in each status (one query)."""
    return dict(for_org(Delivery.objects.all(), scope, "notice__matter__organisation").order_by()
                .values_list("status").annotate(n=Count("id")))


def delivery_get(*, scope: Scope, pk: int) -> Delivery:
    return get_object_or_404(for_org(Delivery.objects.all(), scope, "notice__matter__organisation"), pk=pk)
