"""API test helpers: a client logged in as one of the cast, and the values posted through the API."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from jixiao.supervision.tests.conftest import sv  # noqa: F401 - the matters of the supervision tests, for /api/matters/


@pytest.fixture
def api() -> Any:
    """``api(user)`` → an APIClient logged in (session) as ``user``; ``api()`` → anonymous."""

    def make(user: Any = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


def codes(response: Any, key: str = "code") -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(str(row[key]) for row in response.json()["results"])
