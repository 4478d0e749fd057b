"""A category without results cannot be published, and an unknown category neither; nothing is
written and the office is told why."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import ServiceError
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_create

pytestmark = pytest.mark.django_db


def test_no_results_no_publication(cast: Any, scope: Any, client: Any) -> None:
    with pytest.raises(ServiceError, match="尚无考核结果"):
        publication_create(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment, category="town")
    with pytest.raises(ServiceError, match="没有类别") as err:
        publication_create(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment,
                           category="nosuch")
    assert err.value.field == "category"
    client.force_login(cast.office)
    resp = client.post("/results/mini-2024/category/town/publish", {"note": ""}, follow=True)
    assert resp.redirect_chain[-1][0] == "/results/mini-2024/category/town/"
    assert "尚无考核结果" in resp.content.decode()
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.filter(action="publication_create").exists()
