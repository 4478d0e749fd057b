"""Settings read from a clean environment in a fresh interpreter: DEBUG is off unless JIXIAO_DEBUG=1
(in development too, so `make run` never shows Django's debug pages), PostgreSQL connections are
bounded and health-checked, pgbouncer turns server-side cursors off, and JIXIAO_STORAGE=s3 without a
bucket stops at start-up naming the variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"debug": settings.DEBUG, "engine": db["ENGINE"], "max_age": db.get("CONN_MAX_AGE"),
                  "health": db.get("CONN_HEALTH_CHECKS"), "no_cursors": db.get("DISABLE_SERVER_SIDE_CURSORS"),
                  "storage": settings.STORAGES["default"]}))
"""


def _settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_") and k != "DATABASE_URL"}
    clean |= {"DJANGO_SETTINGS_MODULE": "jixiao.project.settings", "JIXIAO_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, timeout=60)


def _read(tmp_path: Path, **env: str) -> dict:
    done = _settings(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_debug_is_off_unless_asked_for(tmp_path: Path) -> None:
    assert _read(tmp_path)["debug"] is False
    assert _read(tmp_path, JIXIAO_ENV="production", JIXIAO_SECRET_KEY="k" * 50, JIXIAO_SM4_KEYS="p1:" + "ab" * 16,
                 JIXIAO_SEAL_KEY="s1:" + "cd" * 32)["debug"] is False
    assert _read(tmp_path, JIXIAO_DEBUG="1")["debug"] is True


def test_production_still_requires_a_secret_key(tmp_path: Path) -> None:
    done = _settings(tmp_path, JIXIAO_ENV="production")
    assert done.returncode != 0 and "JIXIAO_SECRET_KEY" in done.stderr


def test_postgres_connections_are_bounded_and_checked(tmp_path: Path) -> None:
    url = "postgres://postgres@127.0.0.1:5432/test"
    db = _read(tmp_path, DATABASE_URL=url)
    assert (db["max_age"], db["health"], db["no_cursors"]) == (60, True, False)
    db = _read(tmp_path, DATABASE_URL=url, JIXIAO_DB_CONN_MAX_AGE="0", JIXIAO_DB_PGBOUNCER="1")
    assert (db["max_age"], db["health"], db["no_cursors"]) == (0, True, True)


def test_storage_is_the_filesystem_unless_s3_with_a_bucket(tmp_path: Path) -> None:
    assert _read(tmp_path)["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = _read(tmp_path, JIXIAO_STORAGE="s3", JIXIAO_S3_BUCKET="ev", JIXIAO_S3_ENDPOINT_URL="http://minio:9000",
               JIXIAO_S3_PREFIX="/jixiao/")["storage"]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == ("ev", "http://minio:9000")
    assert options["location"] == "jixiao"  # the prefix, without its slashes
    assert options["default_acl"] is None and options["addressing_style"] == "path"
    done = _settings(tmp_path, JIXIAO_STORAGE="s3")
    assert done.returncode != 0 and "JIXIAO_S3_BUCKET" in done.stderr


@pytest.mark.parametrize("name", ["JIXIAO_DEBUG", "JIXIAO_DB_PGBOUNCER", "JIXIAO_STORAGE"])
def test_a_misspelt_switch_names_the_variable(tmp_path: Path, name: str) -> None:
    done = _settings(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/test", **{name: "maybe"})
    assert done.returncode != 0 and name in done.stderr
