"""年度归档: closing a year gives one ZIP whose manifest lists every file with its SHA-256;
``archive_verify`` passes it, and fails it when one byte changed; an open period refuses."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from jixiao.core.errors import ServiceError
from jixiao.outcomes.manifest import MANIFEST, package, verify
from jixiao.outcomes.services import year_archive
from jixiao.scoring.models import Publication
from jixiao.scoring.tests.approving import reopen_period


def _data_offset(path: Path, name: str) -> tuple[int, int]:
    """Where a member's (compressed) bytes start in the ZIP, and how many there are."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    raw = path.read_bytes()
    at = info.header_offset
    name_len = int.from_bytes(raw[at + 26:at + 28], "little")
    extra_len = int.from_bytes(raw[at + 28:at + 30], "little")
    return at + 30 + name_len + extra_len, info.compress_size


@pytest.mark.parametrize("member", ["a.txt", "b/c.csv", MANIFEST])
def test_a_changed_byte_is_detected_without_the_database(member: str, tmp_path: Path) -> None:
    data = package([("a.txt", b"hello world " * 50), ("b/c.csv", "名称\n东镇\n".encode())], {"year": 2024})
    path = tmp_path / "x.zip"
    path.write_bytes(data)
    assert verify(path) == []
    start, size = _data_offset(path, member)
    for k in range(size):
        raw = bytearray(data)
        raw[start + k] ^= 0x01
        path.write_bytes(bytes(raw))
        assert verify(path), f"{member}: byte {k} changed unnoticed"


def test_a_member_that_disagrees_with_the_manifest(tmp_path: Path) -> None:
    data = package([("a.txt", b"hello")], {"year": 2024})
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        manifest = src.read(MANIFEST)
    with zipfile.ZipFile(tmp_path / "y.zip", "w") as zf:
        zf.writestr("a.txt", b"hellO")
        zf.writestr("extra.txt", b"x")
        zf.writestr(MANIFEST, manifest)
    assert verify(tmp_path / "y.zip") == ["文件内容与清单不符：a.txt", "清单中没有的文件：extra.txt"]


@pytest.mark.django_db
def test_closing_the_year_archives_and_verifies(cast: Any, scope: Any, published: Publication, tmp_path: Path,
                                                capsys: Any, other_org: Any) -> None:
    archive = year_archive(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment)
    path = tmp_path / "year.zip"
    with archive.file.open("rb") as fh:
        path.write_bytes(fh.read())
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read(MANIFEST))
    for name in ("scheme/v1.yaml", "ledger/values.csv", "ledger/value_history.csv", "results/results.csv",
                 "tables/official-tables.xlsx", "tables/official-tables.pdf", "audit/audit.csv",
                 "publications/town-1.json", "appeals/appeals.csv"):
        assert name in names, name
    assert {f["path"] for f in manifest["files"]} == names - {MANIFEST}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    with zipfile.ZipFile(path) as zf:
        audit = zf.read("audit/audit.csv").decode("utf-8-sig")
    assert "publication_create" in audit and "approval_approve" in audit and "value_save" in audit
    assert "测试市财政局" not in audit and "city" not in audit  # another organisation's trail stays out
    call_command("archive_verify", str(path), "--sha256", archive.sha256)
    assert "归档完整" in capsys.readouterr().out
    start, size = _data_offset(path, "results/results.csv")
    raw = bytearray(path.read_bytes())
    raw[start + size // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(CommandError, match="归档校验未通过"):
        call_command("archive_verify", str(path))
    # Any byte at all (a header's too) against the checksum recorded when the archive was made.
    raw = bytearray(path.read_bytes())
    raw[start + size // 2] ^= 0x01
    raw[10] ^= 0x01
    path.write_bytes(bytes(raw))
    call_command("archive_verify", str(path))
    with pytest.raises(CommandError, match="整体校验值"):
        call_command("archive_verify", str(path), "--sha256", archive.sha256)


@pytest.mark.django_db
def test_an_open_period_refuses_the_archive(cast: Any, scope: Any, published: Publication) -> None:
    reopen_period(cast, cast.q2, "补录")
    with pytest.raises(ServiceError, match="2024年第二季度"):
        year_archive(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment)
