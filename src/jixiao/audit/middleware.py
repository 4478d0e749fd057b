"""Security events seen at the edge of a request: refusals (403, whatever refused: a service's
NotAllowed turned into the refusal page, Django's PermissionDenied, the API) and exports and
downloads (any response sent as an attachment). Each becomes an audit entry with the request's
actor, role, address and request id. Written after the response is made and before it is sent:
if the entry cannot be written the response fails too (the audit fails closed)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.http import HttpRequest, HttpResponse

from jixiao.audit.services import audit_event


def _filename(disposition: str) -> str:
    """The download's name: the UTF-8 one (RFC 5987) when given, else the plain one."""
    names: dict[str, str] = {}
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "filename*":
            names[key] = unquote(value.split("''", 1)[-1])
        elif key == "filename":
            names[key] = value.strip('"')
    return names.get("filename*") or names.get("filename", "")


class SecurityAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        user = getattr(request, "user", None)
        label = None if user is not None and user.is_authenticated else "anonymous"
        disposition = response.get("Content-Disposition", "")
        if status == 403:
            audit_event(actor=user, label=label, action="refusal", target="http",
                        target_id=request.path[:64], outcome="denied",
                        summary=f"{request.method} {request.get_full_path()[:250]}")
        elif 200 <= status < 300 and disposition.startswith("attachment"):
            audit_event(actor=user, label=label, action="export", target="http",
                        target_id=request.path[:64],
                        summary=f"{request.method} {request.get_full_path()[:150]} → {_filename(disposition)[:100]}")
        return response
