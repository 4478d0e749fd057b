"""What is not a plain .xlsx is refused before anything parses it — a renamed .xls or .csv, a file
that is not a zip, a zip that is not a workbook, a macro workbook, a zip bomb, an oversized file —
with a message on the form, and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.supervision.importing import reader
from jixiao.supervision.models import Matter
from jixiao.supervision.tests.test_import_helpers import good_row, post, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the workbook reaches openpyxl."""
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")
    monkeypatch.setattr(reader, "load_workbook", refuse)


def with_extra(data: bytes, name: str, payload: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr(name, payload)
    return buf.getvalue()


def refused(client, name: str, data: bytes) -> str:
    matters, audits = Matter.objects.count(), AuditEntry.objects.count()
    r = post(client, data, name=name)
    assert r.status_code == 400
    page = r.content.decode()
    assert 'id="file-errors"' in page and 'id="import-errors"' not in page
    assert (Matter.objects.count(), AuditEntry.objects.count()) == (matters, audits)
    return page[page.index('id="file-errors"'):].split("</p>")[0]


@pytest.fixture
def office(sv, client):
    client.force_login(sv.cast.office)
    return client


XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
CSV = "事项名称,主办单位,办结时限\n整治河道,east,2026-04-30\n".encode()


@pytest.mark.parametrize("name,data,message", [
    ("事项.xls", XLS, "请上传 .xlsx 文件（收到 .xls）"),
    ("事项.csv", CSV, "请上传 .xlsx 文件（收到 .csv）"),
    ("事项.xlsx", XLS, "文件不是有效的 .xlsx 工作簿"),  # an old .xls renamed
    ("事项.xlsx", CSV, "文件不是有效的 .xlsx 工作簿"),  # a .csv renamed
    ("事项.xlsx", b"PK\x03\x04 not really a zip", "压缩包已损坏"),
    ("事项.xlsm", b"PK\x03\x04", "不接受含宏的工作簿"),
])
def test_wrong_files_are_refused_with_a_clear_message(office, no_parsing, name, data, message):
    assert message in refused(office, name, data)


def test_a_zip_that_is_not_a_workbook_is_refused(office, no_parsing):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not excel")
    assert "不是 Excel 工作簿" in refused(office, "事项.xlsx", buf.getvalue())


def test_macros_and_zip_bombs_are_refused(office, no_parsing):
    data = workbook([good_row()])
    assert "宏" in refused(office, "事项.xlsx", with_extra(data, "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0macro"))
    bomb = with_extra(data, "xl/worksheets/sheet9.xml", b" " * (40 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    assert "压缩" in refused(office, "事项.xlsx", bomb)


def test_an_oversized_file_is_refused(office, settings, no_parsing):
    settings.JIXIAO_IMPORT_MAX_BYTES = 1024
    assert "超过上限" in refused(office, "事项.xlsx", workbook([good_row()]))


def test_a_damaged_workbook_is_reported_not_crashed(office):
    data = workbook([good_row()])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<workbook><sheets>" if item.filename == "xl/workbook.xml" else src.read(item.filename))
    r = post(office, buf.getvalue())
    assert r.status_code == 400 and "损坏" in r.content.decode()
    assert not Matter.objects.filter(title="整治背街小巷").exists()
