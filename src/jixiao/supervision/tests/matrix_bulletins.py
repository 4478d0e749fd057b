"""Permission-matrix rows of the bulletin pages (urls_bulletins.py); see test_permission_matrix.py.

Drafts are the office's alone: anyone else gets 404 for a draft's page and downloads, as if it
did not exist. A published bulletin is read and downloaded by everyone signed in. Drafting and
publishing are the office's (403 for the others).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

LOGIN = 302
OFFICE_ONLY = {"anon": LOGIN, "office": 200, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}
DRAFT = {"anon": LOGIN, "office": 200, "reporter": 404, "leader": 404, "stats": 404, "outsider": 404}
EVERYONE = {"anon": LOGIN, "office": 200, "reporter": 200, "leader": 200, "stats": 200, "outsider": 200}
# A published bulletin is for everyone of its organisation; an account with no role belongs to none.
PUBLISHED = {**EVERYONE, "outsider": 404}


def _bulletin(ctx: dict[str, Any], *, published: bool) -> int:
    """A bulletin drawn by the office over this month up to today (made once per row)."""
    from jixiao.supervision.services.bulletins import bulletin_create, bulletin_publish

    key = "bulletin_published" if published else "bulletin_draft"
    if key not in ctx:
        office = ctx["cast"].office
        scope = ctx["sv"].scope(office)
        b = bulletin_create(actor=office, scope=scope, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 2))
        if published:
            b = bulletin_publish(actor=office, scope=scope, bulletin=b)
        ctx[key] = b.pk
    pk: int = ctx[key]
    return pk


def draft(ctx: dict[str, Any]) -> int:
    return _bulletin(ctx, published=False)


def published(ctx: dict[str, Any]) -> int:
    return _bulletin(ctx, published=True)


MATRIX: dict[str, Any] = {
    "bulletins": ("GET", lambda c: "/supervision/bulletins/", EVERYONE),
    "bulletin_create": ("GET", lambda c: "/supervision/bulletins/new", OFFICE_ONLY),
    # An empty POST: the office gets the form back with its errors, nothing is drawn.
    "bulletin_create#post": ("POST", lambda c: "/supervision/bulletins/new", OFFICE_ONLY),
    "bulletin": ("GET", lambda c: f"/supervision/bulletins/{published(c)}/", PUBLISHED),
    "bulletin#draft": ("GET", lambda c: f"/supervision/bulletins/{draft(c)}/", DRAFT),
    "bulletin#print": ("GET", lambda c: f"/supervision/bulletins/{published(c)}/?print=1", PUBLISHED),
    "bulletin_publish": ("POST", lambda c: f"/supervision/bulletins/{draft(c)}/publish",
                         {**OFFICE_ONLY, "office": 302}),
    "bulletin_xlsx": ("GET", lambda c: f"/supervision/bulletins/{published(c)}/bulletin.xlsx", PUBLISHED),
    "bulletin_xlsx#draft": ("GET", lambda c: f"/supervision/bulletins/{draft(c)}/bulletin.xlsx", DRAFT),
    "bulletin_pdf": ("GET", lambda c: f"/supervision/bulletins/{published(c)}/bulletin.pdf", PUBLISHED),
    "bulletin_pdf#draft": ("GET", lambda c: f"/supervision/bulletins/{draft(c)}/bulletin.pdf", DRAFT),
}
