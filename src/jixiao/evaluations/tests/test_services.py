"""Campaign services: set-up, ballots by every path, the refusals in Chinese (nothing written),
closing into the ledger."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Ballot as LedgerBallot
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.evaluations.models import Assignment, Ballot, BallotScore, Campaign, PaperTally, Result, Token
from jixiao.evaluations.services import (
    assignment_ballot_save,
    assignments_generate,
    campaign_close,
    paper_tally_enter,
    token_redeem,
    tokens_issue,
)

from .conftest import opened

pytestmark = pytest.mark.django_db


def _tokens(ev: Any, n: int) -> list[str]:
    return [t for _, t in tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign,
                                       group=ev.public, count=n)]


def test_tokens_keep_only_a_hash(ev: Any) -> None:
    tokens = _tokens(ev, 3)
    stored = set(Token.objects.values_list("digest", flat=True))
    assert len(stored) == 3 and not (set(tokens) & stored)
    assert all(len(t) >= 22 for t in tokens)  # 16 random bytes, url-safe


def test_token_before_opening_refused(ev: Any) -> None:
    [t] = _tokens(ev, 1)
    with pytest.raises(ServiceError, match="尚未开始"):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
    assert not Ballot.objects.exists() and not Token.objects.filter(used=True).exists()


def test_token_redeems_once(ev: Any) -> None:
    opened(ev)
    [t] = _tokens(ev, 1)
    assert token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"},
                                          ev.cast.west_obj.pk: {"总体评价": "称职"}}) == 2
    with pytest.raises(ServiceError, match="已使用"):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
    with pytest.raises(ServiceError, match="无效"):
        token_redeem(token="forged-" + t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
    assert Ballot.objects.count() == 2


def test_rating_outside_the_scale_writes_nothing(ev: Any) -> None:
    opened(ev)
    [t] = _tokens(ev, 1)
    with pytest.raises(ServiceError, match="评价须为 优秀 / 称职 / 基本称职 / 不称职"):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "良好"}})
    assert not Ballot.objects.exists() and not Token.objects.filter(used=True).exists()


def test_expired_token_refused(ev: Any) -> None:
    opened(ev)
    [t] = _tokens(ev, 1)
    from django.utils import timezone
    Token.objects.update(expires_at=timezone.now())
    with pytest.raises(ServiceError, match="已过期"):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})


def test_account_rater_draft_submit_once_and_only_his_own(ev: Any) -> None:
    assert assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign) > 0
    mine = Assignment.objects.filter(rater=ev.staff1, object=ev.cast.east_obj).get()
    opened(ev)
    s1 = ev.scope(ev.staff1)
    assignment_ballot_save(actor=ev.staff1, scope=s1, assignment_id=mine.pk, ratings={"总体评价": "称职"},
                           submit=False)
    assert not Ballot.objects.exists()
    with pytest.raises(NotAllowed, match="不在该对象的测评名单中"):
        assignment_ballot_save(actor=ev.staff2, scope=ev.scope(ev.staff2), assignment_id=mine.pk,
                               ratings={"总体评价": "优秀"}, submit=True)
    assignment_ballot_save(actor=ev.staff1, scope=s1, assignment_id=mine.pk, ratings={"总体评价": "称职"},
                           submit=True)
    with pytest.raises(ServiceError, match="不能重复提交"):
        assignment_ballot_save(actor=ev.staff1, scope=s1, assignment_id=mine.pk, ratings={"总体评价": "优秀"},
                               submit=True)
    assert Ballot.objects.count() == 1 and BallotScore.objects.get().rating == "称职"
    mine.refresh_from_db()
    assert mine.submitted_at is not None and mine.draft == {}


def test_paper_tallies_never_above_issued(ev: Any) -> None:
    opened(ev)
    with pytest.raises(ServiceError, match="超过发放的 10 张"):
        paper_tally_enter(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                          obj=ev.cast.east_obj, counts={"优秀": 8, "称职": 3})
    assert not PaperTally.objects.exists()
    paper_tally_enter(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                      obj=ev.cast.east_obj, counts={"优秀": 7, "称职": 3})
    with pytest.raises(NotAllowed):
        paper_tally_enter(actor=ev.cast.reporter, scope=ev.scope(ev.cast.reporter), campaign=ev.campaign,
                          group=ev.public, obj=ev.cast.east_obj, counts={"优秀": 1})


def test_closing_writes_the_scores_into_the_indicator(ev: Any) -> None:
    opened(ev)
    [late] = _tokens(ev, 1)
    for t in _tokens(ev, 5):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"},
                                       ev.cast.west_obj.pk: {"总体评价": "基本称职"}})
    paper_tally_enter(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                      obj=ev.cast.west_obj, counts={"不称职": 5})
    campaign_close(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    assert Campaign.objects.get().status == "closed"
    east = Result.objects.get(object=ev.cast.east_obj)
    west = Result.objects.get(object=ev.cast.west_obj)
    assert east.score == Decimal("100.0000") and west.score == Decimal("70.0000")
    rows = {b.object_id: b for b in LedgerBallot.objects.filter(indicator="ldpg")}
    assert rows[ev.cast.east_obj.pk].rating == "30" and rows[ev.cast.west_obj.pk].rating == "21"
    assert rows[ev.cast.east_obj.pk].rater == "测评活动「2024年一季度领导评估测评」"
    with pytest.raises(ServiceError, match="已结束"):
        token_redeem(token=late, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
    with pytest.raises(ServiceError, match="已结束"):
        _tokens(ev, 1)


def test_a_group_under_the_minimum_shows_no_result_and_nothing_is_written(ev: Any) -> None:
    opened(ev)
    for t in _tokens(ev, 4):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
    campaign_close(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    r = Result.objects.get(object=ev.cast.east_obj)
    assert r.score is None and r.groups[str(ev.public.pk)] == {"n": 4, "mean": None}
    assert not LedgerBallot.objects.exists()


def test_the_set_up_is_fixed_once_open(ev: Any) -> None:
    from jixiao.evaluations.services import assignment_remove, rater_group_add

    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    with pytest.raises(ServiceError, match="设置不能再修改"):
        rater_group_add(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, kind="peer", name="同级",
                        weight=Decimal(1))
    with pytest.raises(ServiceError, match="设置不能再修改"):
        assignment_remove(actor=ev.cast.office, scope=ev.office_scope,
                          assignment=Assignment.objects.select_related("campaign").first())
    with pytest.raises(ServiceError, match="设置不能再修改"):
        assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
