"""The same seed builds the same year; ``demo_load`` builds it once and says so the next time."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from jixiao.collection.models import Ballot, Incident, Value
from jixiao.scoring.models import Result


def _snapshot() -> tuple[list, list, list, list]:
    values = sorted(Value.objects.values_list("object__code", "indicator", "variable", "period__code", "value",
                                              "status"))
    ballots = sorted(Ballot.objects.values_list("object__code", "indicator", "period__code", "rater", "rating",
                                                "count"))
    incidents = sorted(Incident.objects.values_list("object__code", "indicator", "period__code", "status"))
    results = sorted(Result.objects.values_list("object__code", "total", "rank", "grade", "eligible_top"))
    return values, ballots, incidents, results


@pytest.mark.django_db
def test_same_seed_same_data_and_the_command(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    with transaction.atomic():
        call_command("demo_load", stdout=out)
        first = _snapshot()
        transaction.set_rollback(True)
    text = out.getvalue()
    assert "演示数据已建立（seed 2024" in text
    for needle in ("office", "绩效办管理员", "tjj_tb", "数据来源单位填报员", "lyczj_zhangmin", "Jixiao-Demo-2024"):
        assert needle in text
    assert not Value.objects.exists()

    call_command("demo_load", "--seed", "2024", stdout=io.StringIO())
    second = _snapshot()
    assert first == second
    totals = [t for _, t, *_ in second[3]]
    assert len(set(totals)) > len(totals) // 2  # the draws vary: not everyone scores the same

    out = io.StringIO()
    call_command("demo_load", stdout=out)
    assert "演示数据已经加载（seed 2024），未做任何修改。" in out.getvalue()
    assert _snapshot() == second
