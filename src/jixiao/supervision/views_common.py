"""What the supervision pages share: finding a matter for a user, the reason of a light in words,
and the small reads a list adds to the selectors' rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from jixiao.org.scoping import Scope, scope_of
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
        matter = Matter.objects.select_related("lead_unit").get(pk=pk)
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
