"""What the supervision pages share: finding a matter for a user, the reason of a light in words,
and the small reads a list adds to the selectors' rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from jixiao.org.scoping import Scope, scope_of
from jixiao.supervision.models import Matter
from jixiao.supervision.rules import ACTION_LABELS, Parties, may
from jixiao.supervision.selectors import matter_detail, matter_of_org
from jixiao.supervision.services.matters import parties_of

LIST_URL = {Matter.Kind.SUPERVISION: "supervision:index", Matter.Kind.RECTIFICATION: "supervision:rectification"}


def office_scope(request: HttpRequest) -> Scope:
    """The scope of an office user; 403 for anyone else (pages only the office opens)."""
    scope = scope_of(request)
    if not scope.office:
        raise PermissionDenied(_("此页面仅供绩效办（督查室）使用"))
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
    message); 403 with the reason otherwise — including a matter he does not see, since he can do
    nothing to it."""
    matter = matter_of_org(scope=scope_of(request), pk=pk)
    parties = parties_of(matter)
    if not may(scope_of(request), action, parties):
        raise PermissionDenied(refusal_reason(action))
    return matter, parties


def refusal_reason(action: str) -> str:
    """Why a user may not take a step, in the words of who may."""
    who = {
        "review": _("绩效办（督查室）"), "assign": _("绩效办（督查室）"), "update": _("绩效办（督查室）"),
        "check_pass": _("绩效办（督查室）"), "check_return": _("绩效办（督查室）"),
        "close": _("绩效办（督查室）或责任领导"), "sign": _("主办单位"), "report": _("主办单位"),
        "extension_request": _("主办单位"), "feedback": _("主办单位或协办单位"),
        "extension_decide": _("责任领导或分管该单位的领导"), "register": _("绩效办（督查室）或领导"),
    }.get(action, _("有权限的用户"))
    label = ACTION_LABELS.get(action, action)
    return _("只有%(who)s才能对该事项进行“%(action)s”") % {"who": who, "action": label}


class FormErrors:
    """A form as ``form_refusals`` sees it, with a service's field names mapped to the page's:
    ``aliases`` renames a field (``files`` → ``attachments``), ``sinks`` collects the messages of a
    field shown outside the form (the milestones' formset)."""

    def __init__(self, form: Any, *, aliases: dict[str, str] | None = None,
                 sinks: dict[str, list[str]] | None = None):
        self.form, self.aliases, self.sinks = form, aliases or {}, sinks or {}
        self.fields = {**form.fields, **{k: None for k in (*self.aliases, *self.sinks)}}

    def add_error(self, field: str | None, message: str) -> None:
        if field in self.sinks:
            self.sinks[field].append(message)
            return
        field = self.aliases.get(field, field) if field else None
        self.form.add_error(field if field in self.form.fields else None, message)


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
