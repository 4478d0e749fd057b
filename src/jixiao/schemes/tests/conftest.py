"""Helpers for the scheme page tests: the tree editor's form as posted, with fields changed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import yaml

from jixiao.schemes import editor
from jixiao.schemes.models import SchemeVersion


def edited_post(version: SchemeVersion, changes: dict[str, dict[str, str]], note: str = "") -> dict[str, str]:
    """The editor's POST for ``version`` with ``{indicator code: {field: typed text}}`` applied."""
    form = editor.form_from_scheme(yaml.safe_load(version.text))
    rows = []
    for row in form.rows:
        rows.append(replace(row, **changes.get(row.code or "", {})))
    post = editor.form_to_post(replace(form, rows=tuple(rows)))
    post["note"] = note
    return post


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """The cast's accounts are hashed with a fast hasher (these tests are not about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def v1(cast: Any) -> SchemeVersion:
    return cast.assessment.version


@pytest.fixture
def office_client(client: Any, cast: Any) -> Any:
    client.force_login(cast.office)
    return client
