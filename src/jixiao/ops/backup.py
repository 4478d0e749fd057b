"""Backup and restore (checklist item 23), with a manifest of SM3 digests sealed by HMAC-SM3.

``backup(dir)`` writes a consistent copy of the database — SQLite through its online backup API
(a page-by-page snapshot while the site runs), PostgreSQL with ``pg_dump`` in custom format when
it is installed, else Django's ``dumpdata`` — and the uploaded files under ``MEDIA_ROOT`` (evidence,
attachments, imports), then ``manifest.json``: every file's size and SM3 digest, each table's row
count, and an HMAC-SM3 seal of the whole under ``JIXIAO_SEAL_KEY`` (so the manifest cannot be
rewritten to match altered files).

``restore(dir)`` refuses a database that is not empty, checks the manifest's seal and every
file's digest *before* touching anything, loads the database and the files, and then reports
success only when the restored data holds: the row counts equal the manifest's, the audit log's
SM3 hash chain is intact, and every result and publication seal verifies.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from jixiao.core.seals import Sealer, Verifier

MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """A refused backup or restore, in Chinese."""


def _digest(path: Path) -> str:
    from cryptography.hazmat.primitives import hashes

    h = hashes.Hash(hashes.SM3())
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.finalize().hex()


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (and auto-created many-to-many tables)."""
    out: dict[str, int] = {}
    with connection.cursor() as cur:
        existing = set(connection.introspection.table_names(cur))
        for model in apps.get_models(include_auto_created=True):
            t = model._meta.db_table
            if t in existing and t not in out and not model._meta.proxy and model._meta.managed:
                cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(t)}")
                out[t] = int(cur.fetchone()[0])
    return dict(sorted(out.items()))


def _manifest_bytes(data: dict[str, Any]) -> bytes:
    body = {k: v for k, v in data.items() if k != "seal"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432),
            "-U", str(db.get("USER") or "postgres")]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(target: Path) -> tuple[str, str]:
    """(format, file name) of the database copy written into ``target``."""
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        dst = sqlite3.connect(target / "db.sqlite3")
        try:
            connection.connection.backup(dst)  # the online backup API: a consistent snapshot
        finally:
            dst.close()
        return "sqlite", "db.sqlite3"
    if vendor == "postgresql" and shutil.which("pg_dump"):
        args, env = _pg_env()
        out = target / "db.dump"
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
                        "-f", str(out), str(connection.settings_dict["NAME"])], env=env, check=True,
                       capture_output=True)
        return "pg_dump", "db.dump"
    with gzip.open(target / "db.json.gz", "wt", encoding="utf-8") as f:
        call_command("dumpdata", "--natural-foreign", "--exclude=contenttypes", "--exclude=auth.permission",
                     "--exclude=sessions", stdout=f)
    return "dumpdata", "db.json.gz"


@dataclass
class Report:
    directory: Path
    database: str
    files: int
    bytes: int
    counts: dict[str, int] = field(default_factory=dict)


def backup(directory: Path, *, log: Callable[[str], None] = lambda s: None) -> Report:
    directory = directory.resolve()
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"备份目录 {directory} 不是空目录，请指定新目录")
    directory.mkdir(parents=True, exist_ok=True)
    counts = table_counts()
    fmt, db_name = _dump_database(directory)
    log(f"数据库已备份（{fmt}）")
    media_root = Path(settings.MEDIA_ROOT)
    media_kind = "filesystem" if "FileSystemStorage" in settings.STORAGES["default"]["BACKEND"] else "external"
    if media_kind == "filesystem" and media_root.is_dir():
        shutil.copytree(media_root, directory / MEDIA, dirs_exist_ok=True)
    files: dict[str, dict[str, Any]] = {}
    total = 0
    for p in sorted(directory.rglob("*")):
        if p.is_file() and p.name != MANIFEST:
            rel = p.relative_to(directory).as_posix()
            size = p.stat().st_size
            files[rel] = {"size": size, "sm3": _digest(p)}
            total += size
    data: dict[str, Any] = {
        "format": 1, "created_at": dt.datetime.now(dt.UTC).isoformat(), "vendor": connection.vendor,
        "database": {"format": fmt, "file": db_name}, "media": media_kind, "counts": counts, "files": files,
    }
    data["seal"] = Sealer().seal_bytes(_manifest_bytes(data))
    (directory / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True),
                                      encoding="utf-8")
    return Report(directory=directory, database=fmt, files=len(files), bytes=total, counts=counts)


def manifest_check(directory: Path) -> dict[str, Any]:
    """The manifest, once its seal and every file's size and SM3 digest hold (else BackupError)."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} 中没有备份清单 {MANIFEST}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if not Verifier().ok_bytes(str(data.get("seal", "")), _manifest_bytes(data)):
        raise BackupError("备份清单的 HMAC-SM3 封印不符：清单被改动，或封印密钥（JIXIAO_SEAL_KEY）不同")
    for rel, info in data["files"].items():
        p = directory / rel
        if not p.is_file() or p.stat().st_size != info["size"] or _digest(p) != info["sm3"]:
            raise BackupError(f"备份文件 {rel} 缺失或与清单的 SM3 摘要不符")
    return data


def _database_empty() -> bool:
    with connection.cursor() as cur:
        return not [t for t in connection.introspection.table_names(cur) if not t.startswith("sqlite_")]


def _load_database(directory: Path, db: dict[str, Any]) -> None:
    fmt, src = db["format"], directory / db["file"]
    if fmt == "sqlite":
        if connection.vendor != "sqlite":
            raise BackupError("这是 SQLite 备份，只能恢复到 SQLite 数据库")
        connection.ensure_connection()
        source = sqlite3.connect(src)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()  # the next query opens the restored file afresh
        return
    if fmt == "pg_dump":
        if connection.vendor != "postgresql" or not shutil.which("pg_restore"):
            raise BackupError("这是 pg_dump 备份，需恢复到 PostgreSQL 且已安装 pg_restore")
        args, env = _pg_env()
        connection.close()
        # Schema, then data (COPY), then indexes, constraints and triggers: the append-only and
        # closed-period triggers come back after the rows, as they were.
        run = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
                              "-d", str(connection.settings_dict["NAME"]), str(src)], env=env, capture_output=True,
                             text=True)
        if run.returncode != 0:
            raise BackupError(f"pg_restore 失败：{run.stderr.strip()[:500]}")
        return
    # dumpdata: the schema from the migrations, then the rows with the guarding triggers set aside.
    from jixiao.audit import triggers
    from jixiao.collection import closed_triggers

    call_command("migrate", verbosity=0)
    for t in (triggers, closed_triggers):
        t.run(connection, t.drop_sql(connection.vendor))
    try:
        call_command("loaddata", str(src), verbosity=0)
    finally:
        for t in (triggers, closed_triggers):
            t.run(connection, t.create_sql(connection.vendor))


def _restore_media(directory: Path) -> int:
    src = directory / MEDIA
    if not src.is_dir():
        return 0
    root = Path(settings.MEDIA_ROOT)
    n = 0
    for p in sorted(src.rglob("*")):
        if p.is_file():
            dst = root / p.relative_to(src)
            if dst.exists() and _digest(dst) != _digest(p):
                raise BackupError(f"上传文件目录中已有不同的 {dst.relative_to(root)}，不覆盖")
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, dst)
            n += 1
    return n


def restore(directory: Path, *, log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    from jixiao.audit.chain import audit_verify
    from jixiao.scoring.seals import broken_everywhere

    directory = directory.resolve()
    data = manifest_check(directory)
    log(f"备份清单封印完好，{len(data['files'])} 个文件的 SM3 摘要一致")
    if not _database_empty():
        raise BackupError("目标数据库不是空库：恢复只写入新建的空数据库，不覆盖现有数据")
    _load_database(directory, data["database"])
    files = _restore_media(directory)
    log(f"数据库已载入，上传文件 {files} 个")
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in data["counts"].items()
             if counts.get(t) != n and t not in ("django_content_type", "auth_permission", "django_session")}
    if wrong:
        raise BackupError("恢复后的行数与备份清单不符：" + "、".join(f"{t} {a}≠{b}" for t, (a, b) in
                                                                 list(wrong.items())[:5]))
    verdict = audit_verify()
    if not verdict.ok:
        raise BackupError(f"恢复后的审计日志哈希链断裂：第一个断点为审计记录 #{verdict.broken_entry}"
                          f"（{verdict.reason}）")
    broken = list(broken_everywhere())
    if broken:
        raise BackupError(f"恢复后有 {len(broken)} 条考核结果或公示的 HMAC-SM3 封印不符")
    return {"counts": counts, "audit_checked": verdict.checked, "files": files,
            "rows": sum(counts.values()), "created_at": data["created_at"]}
