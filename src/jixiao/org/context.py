"""Template context: the request's scope, for menus that depend on the role, and the organisations
the user may work in, for the switcher in the top bar (``org/_switcher.html``; read only when a page
shows it, and only for a user of more than one organisation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jixiao.org.models import Organisation
from jixiao.org.scoping import Scope
from jixiao.org.selectors import organisations_of


def scope(request: HttpRequest) -> dict[str, Any]:
    current: Scope | None = getattr(request, "scope", None)

    def organisation_choices() -> list[tuple[Organisation, bool]]:
        # Only a user of several organisations has a choice: the others' pages (nearly everyone's)
        # cost no query for it.
        if current is None or not current.authenticated or len(current.organisations) < 2:
            return []
        return [(o, o.pk == current.organisation_id) for o in organisations_of(scope=current)]

    return {"scope": current, "organisation_choices": organisation_choices}
