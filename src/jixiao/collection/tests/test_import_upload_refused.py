"""Wrong file types, macro workbooks, oversized uploads and zip bombs are refused before anything
parses them; a closed period refuses the import. No job, no value is written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.collection.importing import reader
from jixiao.collection.importing.jobs import import_job_create, import_job_run
from jixiao.collection.models import ImportJob, Value
from jixiao.collection.tests.test_import_helpers import (
    cell,
    fast_passwords,  # noqa: F401 (autouse)
    save,
    template,
)
from jixiao.core.errors import PeriodClosed, ServiceError
from jixiao.schemes.services import period_close


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the workbook reaches openpyxl."""
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")
    monkeypatch.setattr(reader, "load_workbook", refuse)


def filled(cast, tmp_path: Path) -> bytes:
    wb = template(cast.office, cast.q1)
    cell(wb["乡镇"], "east", "gdp:value").value = 80
    return save(wb, tmp_path).read_bytes()


def submit(cast, scope, name: str, data: bytes) -> ImportJob:
    return import_job_create(actor=cast.office, scope=scope(cast.office), period=cast.q1,
                             upload=SimpleUploadedFile(name, data))


def with_extra(data: bytes, name: str, payload: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, payload)
    return buf.getvalue()


def refused(cast, scope, name: str, data: bytes) -> str:
    with pytest.raises(ServiceError) as e:
        submit(cast, scope, name, data)
    assert e.value.field == "file"
    assert not ImportJob.objects.exists()
    assert not Value.objects.exists()
    return e.value.message


@pytest.mark.django_db
def test_macro_workbooks_are_refused(cast, scope, tmp_path, no_parsing):
    data = filled(cast, tmp_path)
    assert "宏" in refused(cast, scope, "data.xlsm", data)
    assert "宏" in refused(cast, scope, "renamed.xlsx", with_extra(data, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"))


@pytest.mark.django_db
def test_zip_bomb_is_refused_before_parsing(cast, scope, tmp_path, no_parsing):
    bomb = with_extra(filled(cast, tmp_path), "xl/worksheets/sheet9.xml", b" " * (40 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024  # small on the wire, 40 MB inflated
    assert "压缩" in refused(cast, scope, "bomb.xlsx", bomb)


@pytest.mark.django_db
def test_too_large_uncompressed_is_refused(cast, scope, tmp_path, settings, no_parsing):
    settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED = 10_000
    assert "解压后" in refused(cast, scope, "big.xlsx", filled(cast, tmp_path))


@pytest.mark.django_db
@pytest.mark.parametrize("name,data", [
    ("data.csv", "单位,数值\n东镇,80\n".encode()),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("picture.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
    ("noext", b"PK\x03\x04"),
])
def test_wrong_file_types_are_refused(cast, scope, name, data, no_parsing):
    assert refused(cast, scope, name, data)


@pytest.mark.django_db
def test_zip_that_is_not_a_workbook_is_refused(cast, scope, no_parsing):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not excel")
    assert "workbook" in refused(cast, scope, "fake.xlsx", buf.getvalue())


@pytest.mark.django_db
def test_oversized_upload_is_refused(cast, scope, tmp_path, settings, no_parsing):
    settings.JIXIAO_IMPORT_MAX_BYTES = 1024
    assert "超过上限" in refused(cast, scope, "data.xlsx", filled(cast, tmp_path))


@pytest.mark.django_db
def test_oversized_upload_through_the_page_keeps_the_form_with_the_message(cast, client, tmp_path, settings):
    settings.JIXIAO_IMPORT_MAX_BYTES = 1024
    client.force_login(cast.office)
    data = filled(cast, tmp_path)
    r = client.post(f"/ledger/import/{cast.assessment.code}/{cast.q1.code}/",
                    {"file": SimpleUploadedFile("data.xlsx", data)})
    assert r.status_code == 400
    assert "超过上限" in r.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_closed_period_refuses_the_upload(cast, scope, tmp_path, client):
    data = filled(cast, tmp_path)
    period_close(actor=cast.office, period=cast.q1)
    cast.q1.refresh_from_db()
    with pytest.raises(PeriodClosed):
        submit(cast, scope, "data.xlsx", data)
    client.force_login(cast.office)
    page = client.get(f"/ledger/import/{cast.assessment.code}/{cast.q1.code}/").content.decode()
    assert "已关闭，不能导入" in page and 'id="import-form"' not in page
    r = client.post(f"/ledger/import/{cast.assessment.code}/{cast.q1.code}/",
                    {"file": SimpleUploadedFile("data.xlsx", data)})
    assert r.status_code == 400 and "已关闭" in r.content.decode()
    assert not ImportJob.objects.exists() and not Value.objects.exists()


@pytest.mark.django_db
def test_period_closed_while_the_job_waited_fails_the_job(cast, scope, tmp_path):
    job = import_job_create(actor=cast.office, scope=scope(cast.office), period=cast.q1,
                            upload=SimpleUploadedFile("data.xlsx", filled(cast, tmp_path)), enqueue=False)
    period_close(actor=cast.office, period=cast.q1)
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportJob.Status.FAILED
    assert "已关闭" in job.errors[0]["message"]
    assert not Value.objects.exists()


def replaced(data: bytes, name: str, payload: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, payload if item.filename == name else src.read(item.filename))
    return buf.getvalue()


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
""" + b"".join(
    b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
) + b"""]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="6"><c r="A6" t="inlineStr"><is><t>east</t></is></c><c r="C6" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""


@pytest.mark.django_db
def test_entity_bomb_inside_a_sheet_fails_the_job_cleanly(cast, scope, tmp_path):
    """A billion-laughs sheet passes the size checks (it is tiny) but the XML parser stops it;
    the job fails with a message and nothing is written."""
    bomb = replaced(filled(cast, tmp_path), "xl/worksheets/sheet2.xml", LAUGHS)
    job = submit(cast, scope, "laughs.xlsx", bomb)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    # defusedxml (installed, so openpyxl parses through it) refuses the entities outright.
    assert "损坏" in job.errors[0]["message"] and "ValueError" in job.errors[0]["message"]
    assert not Value.objects.exists()


@pytest.mark.django_db
def test_damaged_workbook_fails_the_job_cleanly(cast, scope, tmp_path):
    broken = replaced(filled(cast, tmp_path), "xl/workbook.xml", b"<workbook><sheets>")
    job = submit(cast, scope, "broken.xlsx", broken)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "损坏" in job.errors[0]["message"]
    assert not Value.objects.exists()
