"""The demo built once per test module inside a transaction that is rolled back at the module's
end; each test runs in its own savepoint on top (pytest-django's ``db``), so tests that only read
the demo do not pay for a build each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Where the module's build stores its files (the matters' attachments); a test reading them
    points ``settings.MEDIA_ROOT`` here (each test otherwise gets a media directory of its own)."""
    return str(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any, demo_media: str) -> Iterator[Any]:
    from jixiao.demo.builder import build_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=demo_media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
