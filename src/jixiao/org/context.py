"""Template context: the request's scope, for menus that depend on the role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def scope(request: HttpRequest) -> dict[str, Any]:
    return {"scope": getattr(request, "scope", None)}
