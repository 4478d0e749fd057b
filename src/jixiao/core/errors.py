"""Errors raised by services; views turn them into messages, the API into 4xx answers.

Each carries a user-facing message in Chinese (translatable) and, where it applies, the field
it concerns, so a form can show it next to what the user typed.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A write was refused; nothing was changed."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    """The user's scope does not cover this object, indicator or action."""

    status = 403


class StaleEdit(ServiceError):
    """Someone else saved first; the edit was based on an older version."""

    status = 409


class PeriodClosed(ServiceError):
    """The period is closed: every write path refuses changes."""

    status = 409


class Frozen(ServiceError):
    """An adopted scheme version is frozen and cannot change."""

    status = 409


class SealBroken(ServiceError):
    """A stored result, publication or amount fails its HMAC-SM3 seal: it was changed outside the
    application. Refused rather than shown; the security audit log records it."""

    status = 409
