"""Test helpers for the query-count tests: give the cast's county more towns, each with values,
approved incidents, ballots, evidence and reminders, all written through the services; and count
the queries of one page view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.collection.models import Value
from jixiao.collection.services import (
    ValueInput,
    ballot_add,
    evidence_add,
    incident_create,
    incident_decide,
    reminders_send,
    values_bulk_upsert,
)
from jixiao.org import services as org
from jixiao.org.models import AssessedObject, Category, Unit

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fill(cast: Any, scope: Any, codes: list[str], *, per_object: int = 1) -> None:
    """For each object: gdp and tax in Q1 and Q2 with a file each, ``per_object`` approved
    incidents (with a file) and ballots per period, and a reminder to its unit."""
    office = scope(cast.office)
    for period in (cast.q1, cast.q2):
        values_bulk_upsert(actor=cast.office, scope=office, period=period, via="api", rows=[
            ValueInput(object=code, indicator=ind, variable="value", value=Decimal(40 + 3 * k + (ind == "tax") * 200))
            for k, code in enumerate(codes) for ind in ("gdp", "tax")])
    objs = list(AssessedObject.objects.filter(code__in=codes).select_related("category"))
    for obj in objs:
        for period in (cast.q1, cast.q2):
            for n in range(per_object):
                inc = incident_create(actor=cast.office, scope=office, period=period, obj=obj, indicator="jianfen",
                                      item="tbpp", level="县", document=f"通报〔2024〕{n}号")
                evidence_add(actor=cast.office, scope=office, incident=inc,
                             upload=SimpleUploadedFile("通报.pdf", PDF))
                incident_decide(actor=cast.office, scope=office, incident=inc, approve=True)
                ballot_add(actor=cast.office, scope=office, period=period, obj=obj, indicator="ldpg",
                           rating=str(20 + n), rater=f"领导{n}")
        for v in Value.objects.filter(object=obj):
            for _ in range(per_object):
                evidence_add(actor=cast.office, scope=office, value=v, upload=SimpleUploadedFile("报表.pdf", PDF))
    # a pending one as well, so the register shows both states
    incident_create(actor=cast.office, scope=office, period=cast.q1, obj=objs[0], indicator="jianfen", item="tbpp",
                    level="市")
    reminders_send(actor=cast.office, scope=office, period=cast.q1, units=[o.unit for o in objs], message="")


def grow(cast: Any, scope: Any, n: int) -> list[str]:
    """``n`` more towns, each with a unit, a staff member and the data of :func:`fill`; the
    leader oversees every other one. East gets five times its data as well."""
    town = Category.objects.get(code="town")
    codes = []
    for i in range(n):
        unit = org.unit_create(actor=None, code=f"t{i:02d}", name=f"新镇{i:02d}", kind=Unit.Kind.TOWN,
                               parent=cast.county)
        org.person_create(actor=None, code=f"p{i:02d}", name=f"干部{i:02d}", unit=unit)
        org.object_create(actor=None, code=f"t{i:02d}", name=f"新镇{i:02d}", category=town, unit=unit)
        if i % 2 == 0:
            org.grant_add(actor=None, user=cast.leader, role="leader", unit=unit)
        codes.append(f"t{i:02d}")
    fill(cast, scope, codes)
    fill(cast, scope, ["east"], per_object=4)
    return codes


def queries(client: Any, url: str) -> int:
    """Queries of one GET of ``url`` after a first one (which may warm caches)."""
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx)
