"""Template helpers of the supervision pages: a light as a coloured dot with its name (never the
colour alone), and the small supervision panel of the home page."""

from __future__ import annotations

import re
from typing import Any

from django import template

from jixiao.org.scoping import Scope
from jixiao.supervision import lights
from jixiao.supervision.selectors import is_overseer, light_counts, matter_rows, notices_for

register = template.Library()


@register.inclusion_tag("supervision/_light.html")
def light(name: str, reason: str = "") -> dict[str, Any]:
    """``{% light row.light row.reason %}``: the dot and the word (红灯, 黄灯…); a yellow or red
    light says why in words after it (红灯：已逾期4天), any light has its reason as a tooltip."""
    return {"name": name, "label": lights.LABELS.get(name, name), "reason": reason,
            "show_reason": name in ("yellow", "red")}


@register.filter
def light_label(name: str) -> str:
    return lights.LABELS.get(name, name)


# The notice's text carries its light with the reason, as of the day issued (services.reminders.notice_message).
_NOTICE_REASON = re.compile(r"为(?:红灯|黄灯)：([^。]*)。")


@register.filter
def notice_reason(notice: Any) -> str:
    """Why a notice's light was yellow or red the day it was issued (from its own text)."""
    m = _NOTICE_REASON.search(getattr(notice, "message", "") or "")
    return m.group(1) if m else ""


@register.inclusion_tag("supervision/_home_panel.html", takes_context=True)
def supervision_panel(context: template.Context) -> dict[str, Any]:
    """The home page's supervision panel (a few queries, whatever the number of matters).

    Everyone sees the open matters of his scope by light, each count linking to those matters. A
    reporting unit also gets its reminder notices to sign; a leader or a county head — who signs
    none of the units' notices — gets only the summary (and the notices escalated to him, if any)."""
    scope: Scope | None = context.get("scope")
    if scope is None or not scope.authenticated:
        return {"show": False}
    rows = matter_rows(scope=scope, open_only=True)
    unread = notices_for(scope=scope, unread_only=True).count() if not scope.office else 0
    # A unit's reporter or head signs its notices; an overseer only those escalated to him.
    unit_member = bool(scope.report_units | scope.head_units) and not is_overseer(scope)
    return {"show": True, "counts": light_counts(rows), "open": len(rows), "unread": unread,
            "signs": unit_member or unread > 0, "summary": scope.office or not unit_member,
            "overview": scope.office or bool(scope.leader_units) or "leader" in scope.roles}
