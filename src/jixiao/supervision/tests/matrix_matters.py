"""Permission-matrix rows of the matter pages (urls_matters.py); see test_permission_matrix.py.

A key is a URL name, or ``name#variant`` for a second row of the same URL. Each row is
``(method, url builder, {role: expected status})``. The cast: ``reporter`` reports for 东镇,
``leader`` oversees 东镇 and is in charge of ``east_task`` (东镇 leads, 西镇 co-handles);
``west_task`` is 西镇's alone; ``stats`` (县统计局) and ``outsider`` have no part in any matter.
An invisible matter's page is 404 (its existence is not told); a step on a matter the user cannot
take is 403; a POST that is allowed but empty comes back as the page with its errors (200) or as
a redirect with a message (302).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

Row = tuple[str, Callable[[dict[str, Any]], str], dict[str, int]]

EVERYONE = {"anon": 302, "office": 200, "reporter": 200, "leader": 200, "stats": 200, "outsider": 200}
EAST_VIEWERS = {"anon": 302, "office": 200, "reporter": 200, "leader": 200, "stats": 404, "outsider": 404}
OFFICE_ONLY = {"anon": 302, "office": 200, "reporter": 403, "leader": 403, "stats": 403, "outsider": 403}
# Acting on one matter: an account with no role belongs to no organisation, so the matter is not found.
NO_ORG = {"outsider": 404}


def _signed_east(ctx: dict[str, Any]) -> Any:
    """east_task signed by 东镇, so feedback is open."""
    from jixiao.supervision.models import Matter
    from jixiao.supervision.services import matter_sign

    sv = ctx["sv"]
    return matter_sign(actor=sv.cast.reporter, scope=sv.scope(sv.cast.reporter),
                       matter=Matter.objects.get(pk=ctx["east_task"]))


def _attachment(ctx: dict[str, Any]) -> str:
    from jixiao.supervision.services import matter_feedback

    sv = ctx["sv"]
    m = _signed_east(ctx)
    fb = matter_feedback(actor=sv.cast.reporter, scope=sv.scope(sv.cast.reporter), matter=m, unit=sv.cast.east,
                         text="摸底完成", uploads=[SimpleUploadedFile("摸底.pdf", b"%PDF-1.4\n%matrix\n")])
    return f"/supervision/attachments/{fb.attachments.get().pk}/"


def _extension(ctx: dict[str, Any]) -> str:
    from jixiao.supervision.models import Matter
    from jixiao.supervision.services import extension_request

    sv = ctx["sv"]
    ext = extension_request(actor=sv.cast.reporter, scope=sv.scope(sv.cast.reporter),
                            matter=Matter.objects.get(pk=ctx["east_task"]), new_deadline=dt.date(2026, 4, 30),
                            reason="雨季施工")
    return f"/supervision/extensions/{ext.pk}/decide"


def _notice(ctx: dict[str, Any]) -> str:
    # Notices are issued by the reminder job; the matrix needs one of 东镇's, whatever issued it.
    from jixiao.supervision.models import Matter, Notice

    m = Matter.objects.get(pk=ctx["east_task"])
    n = Notice.objects.create(matter=m, sequence=1, unit=m.lead_unit, light="yellow", issued_on=dt.date(2026, 3, 2),
                              deadline=m.deadline, message="请抓紧办理")
    return f"/supervision/notices/{n.pk}/read"


def _led_in_west(ctx: dict[str, Any]) -> str:
    """A 西镇 matter with ``leader`` in charge: he sees it although he does not oversee 西镇."""
    from .conftest import assigned, make_input

    c = ctx["cast"]
    m = assigned(c, make_input(c, title="西镇污水管网", lead=c.west, leader=c.leader, deadline=dt.date(2026, 4, 30)))
    return f"/supervision/{m.pk}/"


def _feedback(ctx: dict[str, Any]) -> str:
    return f"/supervision/{_signed_east(ctx).pk}/feedback"


MATRIX: dict[str, Row] = {
    "index": ("GET", lambda c: "/supervision/", EVERYONE),
    "rectification": ("GET", lambda c: "/supervision/rectification/", EVERYONE),
    "inbox": ("GET", lambda c: "/supervision/inbox/", EVERYONE),
    "notices": ("GET", lambda c: "/supervision/notices/", EVERYONE),
    "overview": ("GET", lambda c: "/supervision/overview/",
                 {**OFFICE_ONLY, "leader": 200}),
    "create": ("GET", lambda c: "/supervision/new/", {**OFFICE_ONLY, "leader": 200}),
    "matter": ("GET", lambda c: f"/supervision/{c['east_task']}/", EAST_VIEWERS),
    "matter#draft": ("GET", lambda c: f"/supervision/{c['draft']}/", EAST_VIEWERS),
    "matter#west": ("GET", lambda c: f"/supervision/{c['west_task']}/",
                    {**EAST_VIEWERS, "reporter": 404, "leader": 404}),
    "matter#led": ("GET", _led_in_west, {**EAST_VIEWERS, "reporter": 404}),
    "edit": ("GET", lambda c: f"/supervision/{c['east_task']}/edit/", OFFICE_ONLY),
    # Steps: the office reviews; 东镇 signs; nobody else does either.
    "action": ("POST", lambda c: f"/supervision/{c['draft']}/do/review", {**OFFICE_ONLY, "office": 302, **NO_ORG}),
    "action#sign": ("POST", lambda c: f"/supervision/{c['east_task']}/do/sign",
                    {**OFFICE_ONLY, "office": 403, "reporter": 302, **NO_ORG}),
    "action#west": ("POST", lambda c: f"/supervision/{c['west_task']}/do/sign",
                    {**OFFICE_ONLY, "office": 403, **NO_ORG}),
    "action#unknown": ("POST", lambda c: f"/supervision/{c['east_task']}/do/explode",
                       {"anon": 302, "office": 404, "reporter": 404, "leader": 404, "stats": 404, "outsider": 404}),
    # An empty feedback / extension form comes back with its errors for 东镇; others may not post.
    "feedback": ("POST", _feedback, {**OFFICE_ONLY, "office": 403, "reporter": 200, **NO_ORG}),
    "extension_request": ("POST", lambda c: f"/supervision/{c['east_task']}/extension",
                          {**OFFICE_ONLY, "office": 403, "reporter": 200, **NO_ORG}),
    # The leader in charge decides (rules.may): not the office, not the unit.
    "extension_decide": ("POST", _extension, {**OFFICE_ONLY, "office": 403, "leader": 302, **NO_ORG}),
    # The unit it was sent to signs it (or the office for it); a leader overseeing the unit does not.
    "notice_read": ("POST", _notice, {**OFFICE_ONLY, "office": 302, "reporter": 302, **NO_ORG}),
    "attachment": ("GET", _attachment, EAST_VIEWERS),
}
