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
            "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn"}


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
