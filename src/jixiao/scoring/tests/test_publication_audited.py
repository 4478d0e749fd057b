"""Publishing and withdrawing each leave one audit entry, with who, what and before/after."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.scoring.models import Publication
from jixiao.scoring.services import publication_withdraw

pytestmark = pytest.mark.django_db


def test_audit_entries(publication: Publication, ranked: Any, scope: Any) -> None:
    created = AuditEntry.objects.get(action="publication_create")
    assert created.actor == ranked.office and created.actor_label == "office"
    assert (created.target, created.target_id) == ("scoring.publication", str(publication.pk))
    assert created.before is None
    assert created.after == {
        "assessment": "mini-2024", "category": "town", "number": 1, "token": "******",  # a credential: masked
        "title": "测试县2024年度考核 乡镇 考核结果公示", "note": "公示期5个工作日，如有异议请向绩效办反映。",
        "rows": 2, "results_at": publication.results_at.isoformat(), "public": False, "notice": ["", ""],
        "supersedes": None}

    publication_withdraw(actor=ranked.office, scope=scope(ranked.office), publication=publication, reason="数据有误")
    publication.refresh_from_db()
    withdrawn = AuditEntry.objects.get(action="publication_withdraw")
    assert withdrawn.target_id == str(publication.pk) and withdrawn.actor == ranked.office
    assert withdrawn.before == {"withdrawn": False}
    assert withdrawn.after == {"withdrawn": True, "withdrawn_at": publication.withdrawn_at.isoformat(),
                               "reason": "数据有误"}
    assert AuditEntry.objects.filter(target="scoring.publication").count() == 2
