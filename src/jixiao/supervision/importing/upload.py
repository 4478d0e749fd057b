"""An uploaded workbook end to end: refuse what is not a plain .xlsx before parsing it, read and
check every row, then import all rows or none. Small enough (a few hundred rows) to run in the
request; the ledger's large imports run as background jobs instead."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from jixiao.audit.services import Actor
from jixiao.core import clock
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.uploads import UploadRefused, check_xlsx, extension
from jixiao.org.scoping import Scope
from jixiao.supervision.services.imports import ImportRefused, ImportSummary, matters_import

from .plan import lookups_load
from .reader import read_matters


def upload_read(upload: UploadedFile[bytes]) -> bytes:
    """The upload's bytes once the ledger import's checks pass (type, macros, size, zip bomb);
    a ServiceError on ``file`` otherwise. Nothing has parsed the workbook yet."""
    name, size = upload.name or "", upload.size or 0
    limit = settings.JIXIAO_IMPORT_MAX_BYTES
    is_xlsx = extension(name) == "xlsx"
    if is_xlsx and size > limit:  # refused before the upload is read into memory
        raise ServiceError(f"文件 {size / 1048576:.1f} MB，超过上限 {limit / 1048576:.0f} MB", field="file")
    try:
        data = upload.read() if is_xlsx else b""  # any other name is refused by its extension alone
        check_xlsx(name, data, max_bytes=limit, max_uncompressed=settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED)
    except UploadRefused as e:
        raise ServiceError(str(e), field="file") from None
    return data


def matters_import_upload(*, actor: Actor, scope: Scope, upload: UploadedFile[bytes], assign: bool | None = None,
                          today: dt.date | None = None) -> ImportSummary:
    """Import the matters of an uploaded workbook; :class:`ImportRefused` lists every problem."""
    if not scope.office:
        raise NotAllowed("只有绩效办（督查室）可以批量导入督办事项")
    today = today or clock.today()
    data = upload_read(upload)
    parsed = read_matters(data, today=today, lookups=lookups_load(scope), assign=assign)
    if parsed.problems:
        raise ImportRefused(parsed.problems, total=parsed.total)
    return matters_import(actor=actor, scope=scope, rows=parsed.rows, assign=assign, today=today,
                          source_name=upload.name or "")
