"""The home page's evaluation panel: what the user still has to rate (我的测评)."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.evaluations.selectors import my_assignments
from jixiao.org.scoping import Scope

register = template.Library()


@register.inclusion_tag("evaluations/_home_panel.html", takes_context=True)
def evaluations_panel(context: template.Context) -> dict[str, Any]:
    """One query: the open campaigns' objects the user has not rated yet; nothing when none."""
    scope: Scope | None = context.get("scope")
    if scope is None or not scope.authenticated:
        return {"todo": 0}
    return {"todo": my_assignments(scope=scope).filter(submitted_at__isnull=True).count()}
