"""Checklist item 7 and the production hardening: `check --deploy` clean in production mode,
demo data refused there, settings that fail early."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
PROD_ENV = {"JIXIAO_ENV": "production", "JIXIAO_SECRET_KEY": "k7#Qz9!vT2@pL5$wX8^mN3&bR6*cY1(dF4)gH0_jK-eA+uS=iO",
            "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn",
            "JIXIAO_SM4_KEYS": "p1:" + "3f" * 16, "JIXIAO_SEAL_KEY": "s1:" + "a5" * 32}


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_"))}
    base["PYTHONPATH"] = str(REPO / "src")
    base["JIXIAO_DATA_DIR"] = os.environ.get("JIXIAO_DATA_DIR", str(REPO / "var"))
    return subprocess.run([sys.executable, *args], cwd=REPO, env={**base, **(env or {})}, capture_output=True,
                          text=True, timeout=120)


def production_settings(*names: str) -> list[str]:
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='jixiao.project.settings'; django.setup(); "
            "from django.conf import settings as s; print('\\n'.join(str(getattr(s, n)) for n in "
            f"{list(names)!r}))")
    out = _run(["-c", code], PROD_ENV)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_item_07_check_deploy_is_clean_in_production() -> None:
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PROD_ENV)
    assert out.returncode == 0, out.stdout + out.stderr
    assert production_settings("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DEBUG") == ["True", "31536000",
                                                                                          "False"]


def test_item_07_check_deploy_fails_on_a_weak_secret_key() -> None:
    weak = {**PROD_ENV, "JIXIAO_SECRET_KEY": "short"}
    out = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], weak)
    assert out.returncode != 0 and "SECRET_KEY" in out.stdout + out.stderr


@pytest.mark.django_db
def test_demo_load_is_refused_in_production(settings: object) -> None:
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="生产模式"):
        call_command("demo_load")


SRC_DIR = REPO / "src" / "jixiao"
INLINE = ("<script>", "onclick=", "onchange=", "onsubmit=", "oninput=", "onload=", "hx-on", "javascript:")


def _templates() -> list[Path]:
    return [p for p in SRC_DIR.rglob("*.html") if "node_modules" not in p.parts]


def test_item_29_no_template_carries_inline_script() -> None:
    import re

    found = [f"{p.relative_to(SRC_DIR)}: {m}" for p in _templates()
             for m in re.findall(r"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=\"|hx-on|javascript:", p.read_text("utf-8"))]
    assert not found, found


@pytest.mark.django_db
def test_item_29_debug_off_csp_nosniff_and_csrf(cast: object, settings: object) -> None:
    from django.conf import settings as dj
    from django.test import Client

    assert dj.DEBUG is False and dj.JIXIAO_CSP_SCRIPT_INLINE is False
    client = Client(enforce_csrf_checks=True)
    for url in ("/login/", "/healthz"):
        r = client.get(url)
        csp = r["Content-Security-Policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert script.split() == ["script-src", "'self'"] and "frame-ancestors 'none'" in csp
        assert r["X-Content-Type-Options"] == "nosniff"
    client.force_login(cast.leader)  # type: ignore[attr-defined]
    r = client.post("/account/password/", {"old_password": "x", "new_password1": "y", "new_password2": "y"})
    assert r.status_code == 403  # no CSRF token: refused


@pytest.mark.django_db
def test_item_24_residual_information(cast: object, tmp_path: Path, settings: object) -> None:
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.utils import timezone

    from jixiao.org.services import sessions_expired_clear

    client = Client()
    client.force_login(cast.leader)  # type: ignore[attr-defined]
    # Pages of a signed-in user are not kept by any cache.
    assert client.get("/").headers["Cache-Control"] == "no-store"
    # Sessions: deleted at logout (item 4) and, once expired, by the scheduler's sweep.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert sessions_expired_clear() >= 1 and not Session.objects.exists()
    # Uploads spooled to disk are removed when the request ends.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)  # type: ignore[attr-defined]
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # type: ignore[attr-defined]
    client.force_login(cast.leader)  # type: ignore[attr-defined]
    big = SimpleUploadedFile("a.txt", b"x" * 50_000, content_type="text/plain")
    r = client.post("/account/password/", {"old_password": "x", "file": big})
    r.close()
    assert r.status_code == 200
    assert list(tmp_path.iterdir()) == []
