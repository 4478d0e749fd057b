"""Supervision pages for lists: the matters (督办事项), the rectification ledger (整改台账), a
unit's inbox (待办), the leaders' overview, reminder notices (催办通知单) and attachment downloads.
One matter's page and its forms are in ``views_matter``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.core import clock
from jixiao.org.scoping import scope_of
from jixiao.supervision import lights
from jixiao.supervision.models import Matter
from jixiao.supervision.rules import Parties, may
from jixiao.supervision.selectors import (
    attachment_counts,
    attachment_get,
    light_counts,
    list_filter_choices,
    matter_rows,
    notice_get,
    notices_for,
    tallies,
)
from jixiao.supervision.selectors import inbox as inbox_of
from jixiao.supervision.services.notices import notice_read as notice_read_service
from jixiao.supervision.views_common import (
    LIST_URL,
    int_or_none,
    may_overview,
    may_register,
)

PER_PAGE = 50  # matters or notices a page
CARD_ORDER = ("red", "yellow", "green", "waiting", "done")


def _kind(value: str | None) -> str:
    return Matter.Kind.RECTIFICATION if value == Matter.Kind.RECTIFICATION else Matter.Kind.SUPERVISION


def _list(request: HttpRequest, kind: str) -> HttpResponse:
    """A scoped, filtered list with its counts by light. The counts ignore the light filter, so
    they say how the filtered list splits; every query is per page, none per matter."""
    scope = scope_of(request)
    today = clock.today()
    g = request.GET
    light = g.get("light", "") if g.get("light", "") in lights.LIGHTS else ""
    state = g.get("state", "") if g.get("state", "") in Matter.State.values else ""
    unit_id, leader_id = int_or_none(g.get("unit")), int_or_none(g.get("leader"))
    q = g.get("q", "").strip()[:100]
    lead_only = bool(unit_id) and g.get("lead") == "1"
    rows = matter_rows(scope=scope, kind=kind, state=state or None, unit_id=unit_id, leader_id=leader_id, q=q,
                       today=today)
    if lead_only:
        # The overview counts by lead unit; its links ask for exactly those (not the co-handled ones).
        rows = [r for r in rows if r.matter.lead_unit_id == unit_id]
    counts = light_counts(rows)
    if light:
        rows = [r for r in rows if r.light == light]
    units, leaders = list_filter_choices(scope=scope, kind=kind)
    keep = {k: v for k, v in (("state", state), ("unit", unit_id or ""), ("lead", "1" if lead_only else ""),
                              ("leader", leader_id or ""), ("q", q)) if v}
    page = Paginator(rows, PER_PAGE).get_page(g.get("page"))
    evidence = attachment_counts([r.matter.pk for r in page]) if kind == Matter.Kind.RECTIFICATION else {}
    pager_query = urlencode({**({"light": light} if light else {}), **keep})
    return render(request, "supervision/list.html", {
        "kind": kind, "rectification": kind == Matter.Kind.RECTIFICATION, "rows": page, "page": page,
        "pager_query": pager_query, "counts": counts,
        "light": light, "lead_only": lead_only, "state": state, "unit_id": unit_id, "leader_id": leader_id, "q": q,
        "units": units, "leaders": leaders, "states": Matter.State.choices,
        "cards": [(k, counts[k]) for k in CARD_ORDER], "total": sum(counts.values()),
        "keep": urlencode(keep), "evidence": evidence, "today": today, "may_register": may_register(scope),
        "nav": "rectification" if kind == Matter.Kind.RECTIFICATION else "index"})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """督办事项 list."""
    return _list(request, Matter.Kind.SUPERVISION)


@login_required
def rectification(request: HttpRequest) -> HttpResponse:
    """整改台账: problem, responsible unit, measures, deadline, evidence, verification, closure."""
    return _list(request, Matter.Kind.RECTIFICATION)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """待办: matters to sign, red and yellow ones, everything open; unread notices; extensions to
    decide (leaders)."""
    scope = scope_of(request)
    data = inbox_of(scope=scope)
    decidable = {e.pk for e in data["extensions"] if may(scope, "extension_decide", Parties(
        lead_unit=e.matter.lead_unit_id, co_units=frozenset(), leader=e.matter.leader_id))}
    return render(request, "supervision/inbox.html", {**data, "decidable": decidable, "nav": "inbox",
                                                      "today": clock.today()})


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """领导总览: counts by light per lead unit and per leader in charge, linking to the filtered list."""
    scope = scope_of(request)
    if not may_overview(scope):
        raise PermissionDenied(_("督办总览仅供绩效办（督查室）和领导查看"))
    kind = _kind(request.GET.get("kind"))
    rows = matter_rows(scope=scope, kind=kind)
    per_unit, per_leader = tallies(rows)
    return render(request, "supervision/overview.html", {
        "kind": kind, "list_url": LIST_URL[Matter.Kind(kind)], "counts": light_counts(rows),
        "kinds": Matter.Kind.choices,
        "sections": [(_("按主办单位"), per_unit, "unit", "per-unit"),
                     (_("按责任领导"), per_leader, "leader", "per-leader")],
        "nav": "overview"})


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """催办通知单 the user receives (his units', and those escalated to him), read or not."""
    scope = scope_of(request)
    unread = request.GET.get("unread") == "1"
    page = Paginator(notices_for(scope=scope, unread_only=unread), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "supervision/notices.html", {"notices": page, "page": page, "unread": unread,
                                                        "pager_query": "unread=1" if unread else "",
                                                        "nav": "notices"})


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    """签收催办通知单; under htmx the row comes back, read."""
    notice = notice_get(scope=scope_of(request), pk=pk)
    notice_read_service(actor=request.user, scope=scope_of(request), notice=notice)  # 无权 → the refusal page
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "supervision/_notice_row.html", {"n": notice})
    messages.success(request, f"已签收催办通知单（{notice.matter.number} 第 {notice.sequence} 次）")
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/supervision/") else "supervision:notices")


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A feedback attachment, served only to those who see its matter."""
    att = attachment_get(scope=scope_of(request), pk=pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)
