"""反馈意见书: scores by indicator beside the category average, the weakest ones, the rank's
moves, the office's suggestions; as a page and a PDF. The letter's arithmetic without Django."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.core.errors import NotAllowed
from jixiao.outcomes import letter
from jixiao.outcomes.services import feedback_save
from jixiao.scoring.models import Publication


def test_weakest_and_moves_pure() -> None:
    avg = letter.averages([{"a": 10.0, "b": 5.0, "c": None}, {"a": 20.0, "b": 15.0, "c": 3.0}], ["a", "b", "c"])
    assert avg == {"a": 15.0, "b": 10.0, "c": 3.0}
    items = letter.lines([("a", "甲", 20), ("b", "乙", 20), ("c", "丙", 5)], {"a": 10.0, "b": 5.0, "c": 3.0}, avg)
    # Both 5 below the average: the lower share of the points (乙 5/20) comes first.
    assert [x.code for x in letter.weakest(items)] == ["b", "a"]
    assert [x.gap for x in items] == [-5.0, -5.0, 0.0]
    moves = letter.rank_moves([("2023年度", 3), ("一季度", None), ("二季度", 1), ("三季度", 2)])
    assert [(m.label, m.rank, m.change) for m in moves] == [("2023年度", 3, None), ("二季度", 1, 2), ("三季度", 2, -1)]


@pytest.mark.django_db
def test_letter_page_and_pdf(cast: Any, scope: Any, published: Publication, client: Any) -> None:
    for who in (cast.reporter, cast.leader):
        with pytest.raises(NotAllowed):
            feedback_save(actor=who, scope=scope(who), assessment=cast.assessment, obj=cast.east_obj,
                          suggestions="x")
    feedback_save(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment, obj=cast.east_obj,
                  suggestions="加强经济运行监测，提高地区生产总值完成率")
    assert AuditEntry.objects.filter(action="feedback_save").count() == 1
    client.force_login(cast.reporter)
    html = client.get("/outcomes/feedback/mini-2024/east/").content.decode()
    for words in ("地区生产总值", "类别平均", "相对薄弱的指标", "低于类别平均", "排名变化", "加强经济运行监测"):
        assert words in html, words
    assert 'id="suggestions-form"' not in html
    assert client.get("/outcomes/feedback/mini-2024/east/letter.pdf").content.startswith(b"%PDF")
    assert client.get("/outcomes/feedback/mini-2024/west/").status_code == 404
