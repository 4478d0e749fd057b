"""One mechanism turning a service's refusal into the user's answer.

Services raise :class:`~jixiao.core.errors.ServiceError` and its kinds. A view never copies an
``except`` ladder; it wraps the service call in one of the two context managers here, and
:class:`RefusalMiddleware` answers what they let through:

- not allowed (:class:`NotAllowed`, Django's ``PermissionDenied``) → the Chinese refusal page
  inside the site's layout, with the service's reason and a way back (status 403);
- a stale edit, a closed period or any other refusal of a form's write → the message at its
  field (or at the top of the form when it names no field of the form): :func:`form_refusals`;
- the same refusal of a button (no form to show it in) → a message on the next page:
  :func:`message_refusals`;
- a refusal no view caught → the refusal page with the reason and the service's status.

Usage::

    with form_refusals(form) as outcome:
        incident_create(actor=request.user, ...)
    if outcome.ok:
        return redirect(...)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jixiao.core.errors import NotAllowed, ServiceError


@dataclass
class Outcome:
    """What a wrapped service call came to: ``ok`` unless it was refused (``error`` says why)."""

    ok: bool = True
    error: ServiceError | None = None


@contextmanager
def _refusals(answer: Callable[[ServiceError], None]) -> Iterator[Outcome]:
    """Run the wrapped write; a refusal is handed to ``answer``; "not allowed" propagates."""
    outcome = Outcome()
    try:
        yield outcome
    except NotAllowed:
        raise
    except ServiceError as e:
        outcome.ok, outcome.error = False, e
        answer(e)


def form_refusals(form: Any) -> AbstractContextManager[Outcome]:
    """A refusal of the wrapped write goes to the form, at its field; "not allowed" propagates."""
    return _refusals(lambda e: form.add_error(e.field if e.field in form.fields else None, e.message))


def message_refusals(request: HttpRequest) -> AbstractContextManager[Outcome]:
    """A refusal of the wrapped write becomes an error message; "not allowed" propagates."""
    return _refusals(lambda e: messages.error(request, e.message))


def refusal_page(request: HttpRequest, *, reason: str | None, status: int = 403,
                 title: str | None = None) -> HttpResponse:
    """The refusal page inside the site's layout: what was refused, why, and a way back."""
    return render(request, "403.html", {
        "title": title or (_("没有权限") if status == 403 else _("操作未完成")),
        "reason": reason, "status": status, "back": _safe_referer(request)}, status=status)


def _safe_referer(request: HttpRequest) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    ref = request.META.get("HTTP_REFERER")
    if ref and url_has_allowed_host_and_scheme(ref, allowed_hosts={request.get_host()}):
        return ref
    return None


def _reason_of(exception: PermissionDenied) -> str | None:
    """Django's PermissionDenied carries a reason only when a view gave one (in Chinese)."""
    text = str(exception).strip()
    return text or None


class RefusalMiddleware:
    """Answers a refusal that reached the top of a page view (the API answers its own, in JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotAllowed):
            return refusal_page(request, reason=exception.message, status=403)
        if isinstance(exception, PermissionDenied):
            return refusal_page(request, reason=_reason_of(exception), status=403)
        if isinstance(exception, ServiceError):
            return refusal_page(request, reason=exception.message, status=exception.status)
        return None
