"""Checklist item 26 (the spreadsheet upload gate) and the evidence content check: an ELF binary
named .txt is refused, whatever its name claims."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from jixiao.core.uploads import UploadRefused, check_evidence, check_xlsx

ALLOWED = ["pdf", "txt", "png", "docx", "xlsx"]
LIMITS = {"max_bytes": 1 << 20, "max_uncompressed": 4 << 20}
SRC = Path(__file__).resolve().parents[2]


def _xlsx(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 8


@pytest.mark.parametrize("head", [ELF, PE, b"#!/bin/sh\nrm -rf /\n", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01"])
def test_executables_are_refused_whatever_their_extension(head: bytes) -> None:
    for name in ("说明.txt", "报告.pdf", "a.png"):
        with pytest.raises(UploadRefused):
            check_evidence(name, head, len(head), allowed=ALLOWED, max_bytes=1 << 20)


def test_binary_text_is_refused_and_plain_text_passes() -> None:
    with pytest.raises(UploadRefused):
        check_evidence("a.txt", bytes(range(1, 32)) * 4, 124, allowed=ALLOWED, max_bytes=1 << 20)
    text = "东镇 2024 年第一季度工作情况\r\n\t完成率 98%\n".encode()
    assert check_evidence("a.txt", text, len(text), allowed=ALLOWED, max_bytes=1 << 20).content_type == "text/plain"
    assert check_evidence("a.txt", "报告".encode("gbk"), 4, allowed=ALLOWED, max_bytes=1 << 20)


def test_item_26_spreadsheet_gate() -> None:
    good = _xlsx({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    check_xlsx("a.xlsx", good, **LIMITS)
    with pytest.raises(UploadRefused, match="有效"):  # not a zip
        check_xlsx("a.xlsx", b"<?xml version='1.0'?><x/>", **LIMITS)
    with pytest.raises(UploadRefused, match="上限"):  # size cap
        check_xlsx("a.xlsx", good + b"\x00" * (2 << 20), **LIMITS)
    bomb = _xlsx({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * (5 << 20)})
    with pytest.raises(UploadRefused):  # decompression cap
        check_xlsx("a.xlsx", bomb, **LIMITS)
    ratio = _xlsx({"xl/workbook.xml": b"<workbook/>", "xl/s.xml": b" " * (3 << 20)})
    with pytest.raises(UploadRefused, match="压缩"):  # ratio cap
        check_xlsx("a.xlsx", ratio, **LIMITS)
    with pytest.raises(UploadRefused, match="宏"):
        check_xlsx("a.xlsx", _xlsx({"xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"x"}), **LIMITS)
    with pytest.raises(UploadRefused, match="宏"):
        check_xlsx("a.xlsm", good, **LIMITS)


def test_item_26_xml_is_parsed_by_defusedxml_in_read_only_mode() -> None:
    import defusedxml  # noqa: F401 - installed (pyproject), so openpyxl parses through it
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    for reader in ("collection/importing/reader.py", "supervision/importing/reader.py"):
        text = (SRC / reader).read_text(encoding="utf-8")
        assert "load_workbook(" in text and "read_only=True" in text
