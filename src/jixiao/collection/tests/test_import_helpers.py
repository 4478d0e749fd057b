"""Helpers shared by the import tests: templates as workbooks, filled files, running a job."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.collection.importing.jobs import import_job_create
from jixiao.collection.importing.layout import FIRST_DATA_ROW, FIRST_VALUE_COL, KEY_ROW
from jixiao.collection.importing.template import template_bytes
from jixiao.collection.models import ImportJob
from jixiao.org.selectors import scope_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template(user: Any, period: Any) -> Workbook:
    return load_workbook(io.BytesIO(template_bytes(scope=scope_for_user(user), period=period)))


def keys(ws: Worksheet) -> list[str]:
    """The machine keys of the value columns (hidden row 2)."""
    return [c.value for c in ws[KEY_ROW][FIRST_VALUE_COL - 1:] if c.value]


def codes(ws: Worksheet) -> list[str]:
    return [ws.cell(r, 1).value for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value]


def cell(ws: Worksheet, code: str, key: str) -> Any:
    """The cell of an object's row and a value column."""
    row = next(r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value == code)
    col = FIRST_VALUE_COL + keys(ws).index(key)
    return ws.cell(row, col)


def save(wb: Workbook, tmp_path: Path, name: str = "import.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type=XLSX)


def run_import(user: Any, period: Any, path: Path) -> ImportJob:
    """Create the job through the service; the immediate task backend runs it at once."""
    job = import_job_create(actor=user, scope=scope_for_user(user), period=period, upload=upload(path))
    job.refresh_from_db()
    return job


def where(job: ImportJob) -> set[tuple[str, int | None, str]]:
    return {(e["sheet"], e["row"], e["column"]) for e in job.errors}


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The cast's accounts hashed with a fast hasher (imported by every import test module)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
