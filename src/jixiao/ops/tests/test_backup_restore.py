"""The restore drill (item 23): the test database with a little data (values, results, a
publication, audit entries in the SM3 chain, an uploaded file) is backed up, then restored by a
separate process into a fresh empty database — a new SQLite file, or on PostgreSQL a scratch
database created and dropped here — which reports success only after its own checks (manifest
seal and digests, row counts, audit chain, seals); the restored rows are compared here too. A
manifest or file changed after the backup, or a database that is not empty, is refused."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from jixiao.audit.chain import audit_seal
from jixiao.ops.backup import BackupError, manifest_check, restore
from jixiao.scoring.tests.conftest import publication, ranked  # noqa: F401  (fixtures)

MANAGE = Path(__file__).resolve().parents[4] / "manage.py"
TABLES = ("collection_value", "scoring_result", "scoring_publication", "audit_auditseal", "schemes_period",
          "auth_user")


def _rows(cur: Any, table: str) -> list[tuple[Any, ...]]:
    cur.execute(f"SELECT * FROM {table} ORDER BY 1")
    return [tuple(r) for r in cur.fetchall()]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JIXIAO_DATA_DIR", "JIXIAO_MEDIA_DIR")}
    env["PYTHONPATH"] = str(MANAGE.parent / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


@pytest.mark.django_db(transaction=True)
def test_item_23_backup_then_restore_into_a_fresh_database_verifies_chain_and_seals(
        publication: Any, tmp_path: Path, settings: Any) -> None:  # noqa: F811
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "report.pdf").write_bytes(b"%PDF-1.4 evidence\n")
    audit_seal()
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))
    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seal"] and "media/evidence/report.pdf" in manifest["files"]
    assert manifest["counts"]["scoring_result"] == 2
    with connection.cursor() as cur:
        before = {t: _rows(cur, t) for t in TABLES}

    with pytest.raises(BackupError, match="不是空库"):  # never over a database that has data
        restore(backup_dir)

    fresh = tmp_path / "fresh"
    fresh_media = tmp_path / "fresh-media"
    if connection.vendor == "sqlite":
        env = _env(JIXIAO_DATA_DIR=str(fresh), JIXIAO_MEDIA_DIR=str(fresh_media))
        fresh.mkdir()
        scratch = None
    else:
        scratch = f"jixiao_drill_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cur:
            cur.execute(f"CREATE DATABASE {scratch}")
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{scratch}"
        env = _env(DATABASE_URL=url, JIXIAO_MEDIA_DIR=str(fresh_media))
    try:
        run = subprocess.run([sys.executable, str(MANAGE), "restore", str(backup_dir)], env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "恢复完成并通过校验" in run.stdout
        assert (fresh_media / "evidence" / "report.pdf").read_bytes() == b"%PDF-1.4 evidence\n"
        if scratch is None:
            with sqlite3.connect(fresh / "jixiao.sqlite3") as db3:
                cur3 = db3.cursor()
                after = {t: _rows(cur3, t) for t in TABLES}
        else:
            import psycopg

            with psycopg.connect(env["DATABASE_URL"]) as pg:
                after = {t: _rows(pg.cursor(), t) for t in TABLES}
        for t in TABLES:
            assert len(after[t]) == len(before[t]), t
        assert [r[0] for r in after["scoring_result"]] == [r[0] for r in before["scoring_result"]]
        assert [r[-1] for r in after["scoring_result"]] == [r[-1] for r in before["scoring_result"]]  # seals
        assert after["audit_auditseal"] == before["audit_auditseal"]
    finally:
        if scratch is not None:
            with connection.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")

    # A file or the manifest changed after the backup is refused before anything is written.
    changed = tmp_path / "changed"
    shutil.copytree(backup_dir, changed)
    (changed / "media" / "evidence" / "report.pdf").write_bytes(b"%PDF-1.4 forged!!\n")
    with pytest.raises(BackupError, match="SM3"):
        manifest_check(changed)
    data = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    data["counts"]["scoring_result"] = 3
    (changed / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BackupError, match="封印"):
        manifest_check(changed)
