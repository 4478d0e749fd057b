"""Each publication of a category gets the next number (第1次、第2次公示) and its own stable,
unguessable link; the title names the assessment and the category."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.scoring.models import Publication
from jixiao.scoring.services import TOKEN_ALPHABET, TOKEN_LENGTH, publication_create

pytestmark = pytest.mark.django_db


def test_numbers_and_tokens(publication: Publication, ranked: Any, scope: Any, client: Any) -> None:
    second = publication_create(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                                category="town")
    assert (publication.number, second.number) == (1, 2)
    assert publication.token != second.token
    for pub in (publication, second):
        assert len(pub.token) == TOKEN_LENGTH and set(pub.token) <= set(TOKEN_ALPHABET)
    assert second.title == "测试县2024年度考核 乡镇 考核结果公示"
    assert second.note == ""
    assert publication.note == "公示期5个工作日，如有异议请向绩效办反映。"
    assert publication.published_by == ranked.office and publication.results_at is not None
    client.force_login(ranked.leader)
    html = client.get(f"/results/published/{second.token}/").content.decode()
    assert "第2次公示" in html
    assert f"http://testserver/results/published/{second.token}/" in html  # the link, as text to copy
