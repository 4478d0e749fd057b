"""What the supervision pages share: finding a matter for a user, the reason of a light in words,
and the small reads a list adds to the selectors' rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from jixiao.org.scoping import Scope, for_org, scope_of
from jixiao.supervision import lights
from jixiao.supervision.models import Matter
from jixiao.supervision.rules import Parties, may
from jixiao.supervision.selectors import matter_detail, matters_visible
from jixiao.supervision.services.matters import parties_of

LIST_URL = {Matter.Kind.SUPERVISION: "supervision:index", Matter.Kind.RECTIFICATION: "supervision:rectification"}


def office_scope(request: HttpRequest) -> Scope:
    """The scope of an office user; 403 for anyone else (pages only the office opens)."""
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied
    return scope


def visible_matter(request: HttpRequest, pk: int) -> Matter:
    """A matter the user sees, with everything its page shows; 404 for one he does not see (its
    existence is nobody else's business)."""
    try:
        return matter_detail(scope=scope_of(request), pk=pk)
    except Matter.DoesNotExist:
        raise Http404 from None


def matter_for(request: HttpRequest, pk: int, action: str) -> tuple[Matter, Parties]:
    """A matter the user may take ``action`` on (states aside: the service tells those, with a
    message); 403 otherwise — including a matter he does not see, since he can do nothing to it."""
    try:
        matter = for_org(Matter.objects.select_related("lead_unit"), scope_of(request)).get(pk=pk)
    except Matter.DoesNotExist:
        raise Http404 from None
    parties = parties_of(matter)
    if not may(scope_of(request), action, parties):
        raise PermissionDenied
    return matter, parties


def may_register(scope: Scope) -> bool:
    # Who may register does not depend on the matter: office, or a leader.
    return may(scope, "register", Parties(lead_unit=0, co_units=frozenset(), leader=None))


def may_overview(scope: Scope) -> bool:
    return scope.office or bool(scope.leader_units) or "leader" in scope.roles


def warn_days(matter: Matter) -> int:
    return settings.JIXIAO_WARN_DAYS if matter.warn_days is None else matter.warn_days


def light_reason(matter: Matter, light: str, today: dt.date) -> str:
    """Why the matter shows its light, in the words an office clerk uses (逾期 3 天, 距办结时限 2 天,
    阶段节点“…”已滞后). Mirrors the rules of ``lights.compute`` for one matter."""
    if light == "done":
        return f"于 {matter.closed_on} 办结销号" if matter.closed_on else "核查通过，待办结销号"
    if light == "waiting":
        return "尚未交办，不计时"
    left = (matter.deadline - today).days
    pending = sorted((m for m in matter.milestones.all() if m.done_on is None), key=lambda m: m.due)
    if light == "red":
        if matter.state == Matter.State.RETURNED:
            return f"核查退回重办：{matter.return_reason}" if matter.return_reason else "核查退回重办"
        if matter.state == Matter.State.REPORTED and matter.completed_on:
            return f"逾期 {(matter.completed_on - matter.deadline).days} 天报送办结报告"
        return f"逾期 {-left} 天"
    parts = []
    if light == "yellow":
        behind = [m for m in pending if m.due < today]
        for m in behind:
            parts.append(f"阶段节点“{m.title}”已滞后 {(today - m.due).days} 天")
        if left <= warn_days(matter):
            parts.append("今天到期" if left == 0 else f"距办结时限 {left} 天")
        nxt = next((m for m in pending if m.due >= today), None)
        if nxt is not None and not behind and (nxt.due - today).days <= warn_days(matter):
            parts.append(f"距阶段节点“{nxt.title}”时限 {(nxt.due - today).days} 天")
        return "；".join(parts) or lights.LABELS["yellow"]
    if matter.state == Matter.State.REPORTED:
        return "已按期报送办结报告，待核查"
    return f"按期推进，距办结时限 {left} 天"


def milestone_rows(matter: Matter, today: dt.date) -> list[dict[str, Any]]:
    """Each milestone with its status: 已完成 / 已滞后 N 天 / 未到期."""
    out = []
    for m in matter.milestones.all():
        if m.done_on is not None:
            status, text = "done", f"已完成（{m.done_on}）"
        elif m.due < today:
            status, text = "behind", f"已滞后 {(today - m.due).days} 天"
        else:
            status, text = "pending", f"未到期（还有 {(m.due - today).days} 天）"
        out.append({"milestone": m, "status": status, "text": text})
    return out


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def visible_ids(scope: Scope) -> Any:
    return matters_visible(scope=scope).values("id")
