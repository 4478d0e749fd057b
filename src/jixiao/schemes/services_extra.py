"""Scheme files in and out (YAML and the engine's Excel template). Switching an assessment's
version with its recompute is scoring's (:func:`jixiao.scoring.services.assessment_version_apply`)."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from jixiao.audit.services import Actor
from jixiao.core.errors import ServiceError
from jixiao.core.uploads import UploadRefused, check_xlsx
from jixiao.engine.scheme.excel import read_scheme_workbook, write_scheme_workbook
from jixiao.engine.scheme.loader import Problem, SchemeError
from jixiao.engine.scheme.model import Scheme as EngineScheme
from jixiao.org.models import Organisation
from jixiao.schemes.catalog import catalog_for
from jixiao.schemes.editor import dump_yaml
from jixiao.schemes.models import Scheme, SchemeVersion
from jixiao.schemes.services import (
    SchemeInvalid,
    scheme_create,
    scheme_data,
    scheme_version_create,
)

YAML_SUFFIXES = (".yaml", ".yml")


def _tidy(value: Any) -> Any:
    """Whole floats as integers (40.0 → 40), so the written YAML reads like a hand-written one."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value


def scheme_yaml(scheme: EngineScheme) -> str:
    """An engine scheme model as scheme YAML (defaults left out); parsing it gives the same model."""
    data = scheme.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return dump_yaml(_tidy(data))


def workbook_bytes(text: str | None) -> bytes:
    """The engine's Excel template of a scheme text (an empty template for ``None``)."""
    scheme = catalog_for(text).scheme if text is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scheme.xlsx"
        write_scheme_workbook(scheme, path)
        return path.read_bytes()


def _renamed(err: SchemeError, path: Path, name: str) -> SchemeError:
    return SchemeError([Problem(p.file.replace(str(path), name), p.line, p.path, p.message) for p in err.problems])


def scheme_text_from_upload(filename: str, content: bytes) -> str:
    """The scheme YAML of an uploaded ``.yaml`` file or Excel template; the scheme is checked.

    Raises ``SchemeInvalid`` (with the located problems) or ``ServiceError`` (a refused file).
    """
    name = Path(filename or "").name or "scheme"
    lower = name.lower()
    max_bytes = settings.JIXIAO_IMPORT_MAX_BYTES
    if lower.endswith(YAML_SUFFIXES):
        if len(content) > max_bytes:
            raise ServiceError(f"文件超过上限 {max_bytes / 1048576:.0f} MB", field="file")
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError("YAML 文件须为 UTF-8 编码", field="file") from None
        try:
            catalog_for(text)
        except SchemeError as e:
            raise SchemeInvalid(e, scheme_data(text), field="file") from None
        return text
    try:
        check_xlsx(name, content, max_bytes=max_bytes, max_uncompressed=settings.JIXIAO_IMPORT_MAX_UNCOMPRESSED)
    except UploadRefused as e:
        raise ServiceError(f"{e}（方案文件请上传 .yaml 或 Excel 模板 .xlsx）", field="file") from None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(content)
        try:
            scheme = read_scheme_workbook(path)
        except SchemeError as e:
            raise SchemeInvalid(_renamed(e, path, name), field="file") from None
    text = scheme_yaml(scheme)
    try:
        catalog_for(text)
    except SchemeError as e:  # the engine's own writer and reader disagree: report, do not store
        raise SchemeInvalid(e, scheme_data(text), field="file") from None
    return text


@transaction.atomic
def scheme_import(*, actor: Actor, filename: str, content: bytes, scheme: Scheme | None = None, code: str = "",
                  name: str = "", note: str = "", organisation: Organisation | None = None) -> SchemeVersion:
    """Import a scheme file as a new scheme (``scheme`` None) or as a new draft of ``scheme``.

    A new scheme takes ``code`` and ``name`` from the arguments, else from the file.
    """
    text = scheme_text_from_upload(filename, content)
    note = note or f"导入 {Path(filename).name}"
    if scheme is not None:
        latest = scheme.versions.order_by("-number").first()
        if latest is None:
            raise ServiceError("该方案没有版本", field="scheme")
        return scheme_version_create(actor=actor, based_on=latest, text=text, note=note)
    parsed = catalog_for(text).scheme
    code = (code or parsed.code).strip()
    name = (name or parsed.name).strip()
    field = Scheme._meta.get_field("code")
    try:
        field.run_validators(code)
    except ValidationError:
        raise ServiceError(f"方案编码 {code} 只能用英文字母、数字、- 和 _（最长 60 个字符）", field="code") from None
    return scheme_create(actor=actor, code=code, name=name[:200], text=text, note=note, organisation=organisation)
