"""Template helpers of the supervision pages: a light as a coloured dot with its name (never the
colour alone), and the small supervision panel of the home page."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.org.scoping import Scope
from jixiao.supervision import lights
from jixiao.supervision.selectors import light_counts, matter_rows, notices_for

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


@register.inclusion_tag("supervision/_home_panel.html", takes_context=True)
def supervision_panel(context: template.Context) -> dict[str, Any]:
    """Open matters of the user's scope by light, and his unread reminder notices (a few queries,
    whatever the number of matters)."""
    scope: Scope | None = context.get("scope")
    if scope is None or not scope.authenticated:
        return {"show": False}
    rows = matter_rows(scope=scope, open_only=True)
    return {"show": True, "counts": light_counts(rows), "open": len(rows),
            "unread": notices_for(scope=scope, unread_only=True).count()}
