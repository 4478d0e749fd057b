"""An incident and its evidence file are one service call: a refused file is named at the file
field and no incident is registered (so sending the form again makes no duplicate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Evidence, Incident
from jixiao.collection.services import incident_create
from jixiao.core.errors import ServiceError

from .test_evidence_checks import small_pdf

URL = "/ledger/incidents/?assessment=mini-2024"


def form(cast: Any, file: SimpleUploadedFile) -> dict[str, Any]:
    return {"object": cast.east_obj.code, "period": cast.q1.code, "indicator": "jianfen", "item": "tbpp",
            "level": "县", "count": "1", "document": "县政办通报〔2024〕3号", "note": "", "file": file}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_refused_file_registers_no_incident(cast: Any, client: Any) -> None:
    client.force_login(cast.reporter)
    audits = AuditEntry.objects.count()
    resp = client.post(URL, form(cast, SimpleUploadedFile("通报.exe", b"MZ\x90\x00" * 10)))
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert list(errors) == ["file"] and "通报.exe" in errors["file"][0] and "不允许" in errors["file"][0]
    assert 'id="incident-form"' in resp.content.decode()
    assert not Incident.objects.exists() and not Evidence.objects.exists()
    assert AuditEntry.objects.count() == audits and stored_files() == []
    # Sent again with a proper file: one incident, with its evidence.
    resp = client.post(URL, form(cast, SimpleUploadedFile("通报.pdf", small_pdf())))
    assert resp.status_code == 302
    inc = Incident.objects.get()
    assert [e.name for e in inc.evidence.all()] == ["通报.pdf"] and len(stored_files()) == 1


@pytest.mark.django_db
def test_the_service_checks_every_file_before_it_writes(cast: Any, scope: Any) -> None:
    audits = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as err:
        incident_create(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                        indicator="jianfen", item="tbpp", level="县",
                        uploads=[SimpleUploadedFile("a.pdf", small_pdf()), SimpleUploadedFile("b.pdf", b"not a pdf")])
    assert err.value.field == "file" and "b.pdf" in err.value.message
    assert not Incident.objects.exists() and not Evidence.objects.exists() and stored_files() == []
    assert AuditEntry.objects.count() == audits
    inc = incident_create(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                          indicator="jianfen", item="tbpp", level="县",
                          uploads=[SimpleUploadedFile("a.pdf", small_pdf()), SimpleUploadedFile("b.pdf", small_pdf())])
    assert sorted(e.name for e in inc.evidence.all()) == ["a.pdf", "b.pdf"]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[audits:]) == [
        "incident_create", "evidence_add", "evidence_add"]
