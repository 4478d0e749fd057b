"""Evidence uploads are checked before they are stored: extension, content (magic bytes) and size;
a real small PDF is stored with its hash, and the refusals store nothing."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Evidence, Value
from jixiao.collection.services import evidence_add, incident_create, value_save
from jixiao.core.errors import NotAllowed, ServiceError


def small_pdf(text: str = "jixiao") -> bytes:
    """A well-formed one-page PDF 1.4 with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def value(cast: Any, scope: Any) -> Value:
    return value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                      indicator="gdp", variable="value", value=Decimal("80"))


def _refused(cast: Any, scope: Any, value: Value, name: str, data: bytes) -> ServiceError:
    audits = AuditEntry.objects.count()
    with pytest.raises(ServiceError) as err:
        evidence_add(actor=cast.reporter, scope=scope(cast.reporter), value=value,
                     upload=SimpleUploadedFile(name, data))
    assert err.value.field == "file"
    assert not Evidence.objects.exists() and AuditEntry.objects.count() == audits
    return err.value


@pytest.mark.django_db
def test_a_real_small_pdf_is_stored(cast: Any, scope: Any, value: Value) -> None:
    data = small_pdf()
    ev = evidence_add(actor=cast.reporter, scope=scope(cast.reporter), value=value,
                      upload=SimpleUploadedFile("统计报表.pdf", data, content_type="application/pdf"))
    ev.refresh_from_db()
    assert (ev.value_id, ev.name, ev.content_type, ev.size) == (value.pk, "统计报表.pdf", "application/pdf", len(data))
    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.uploaded_by_id == cast.reporter.pk
    assert Path(ev.file.path).read_bytes() == data
    stored = str(ev.file.name)
    assert stored.endswith(".pdf") and "统计报表" not in stored  # stored under a safe name
    entry = AuditEntry.objects.get(action="evidence_add")
    assert entry.actor_id == cast.reporter.pk and entry.after == {
        "name": "统计报表.pdf", "size": len(data), "sha256": ev.sha256, "value": value.pk, "incident": None}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tool.exe", "run.bat", "page.html", "script.js", "noextension", "x.pdf.exe"])
def test_a_wrong_extension_is_refused(cast: Any, scope: Any, value: Value, name: str) -> None:
    err = _refused(cast, scope, value, name, small_pdf())
    assert "不允许" in err.message


@pytest.mark.django_db
def test_a_renamed_executable_is_refused(cast: Any, scope: Any, value: Value) -> None:
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
    err = _refused(cast, scope, value, "报告.pdf", exe)
    assert "不符" in err.message
    err = _refused(cast, scope, value, "照片.png", exe)
    assert "不符" in err.message


@pytest.mark.django_db
def test_an_oversized_file_is_refused(cast: Any, scope: Any, value: Value, settings: Any) -> None:
    data = small_pdf()
    settings.JIXIAO_EVIDENCE_MAX_BYTES = len(data) - 1
    err = _refused(cast, scope, value, "大文件.pdf", data)
    assert "超过上限" in err.message
    settings.JIXIAO_EVIDENCE_MAX_BYTES = len(data)  # exactly at the limit is fine
    assert evidence_add(actor=cast.reporter, scope=scope(cast.reporter), value=value,
                        upload=SimpleUploadedFile("大文件.pdf", data)).size == len(data)


@pytest.mark.django_db
def test_an_empty_file_is_refused(cast: Any, scope: Any, value: Value) -> None:
    _refused(cast, scope, value, "空.pdf", b"")


@pytest.mark.django_db
def test_only_who_may_report_the_value_uploads(cast: Any, scope: Any, value: Value) -> None:
    for who in (cast.leader, cast.stats, cast.outsider):
        with pytest.raises(NotAllowed):
            evidence_add(actor=who, scope=scope(who), value=value, upload=SimpleUploadedFile("a.pdf", small_pdf()))
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_evidence_for_an_incident(cast: Any, scope: Any) -> None:
    inc = incident_create(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=cast.east_obj,
                          indicator="jianfen", item="tbpp", level="县")
    ev = evidence_add(actor=cast.reporter, scope=scope(cast.reporter), incident=inc,
                      upload=SimpleUploadedFile("通报.pdf", small_pdf("tbpp")))
    assert ev.incident_id == inc.pk and ev.value_id is None
    with pytest.raises(ServiceError):
        evidence_add(actor=cast.reporter, scope=scope(cast.reporter), incident=inc,
                     upload=SimpleUploadedFile("通报.pdf", b"MZ\x90\x00"))
    assert Evidence.objects.count() == 1
