"""结果审定: office review then the leadership group's approval before publishing; publishing
refused while a period is open or an incident pending, naming them; ties at a quota line decided
at approval with a recorded reason; every step audited, and a refusal writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEntry
from jixiao.collection.services import incident_create
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.scoring.approval import approval_approve, approval_review
from jixiao.scoring.models import Approval, Publication, Result
from jixiao.scoring.services import publication_create

from .approving import close_periods, leader_group_member, reopen_periods

pytestmark = pytest.mark.django_db


def _publish(cast: Any, scope: Any) -> Publication:
    return publication_create(actor=cast.office, scope=scope(cast.office), assessment=cast.assessment,
                              category="town")


def test_publishing_refused_while_periods_open_and_incidents_pending(ranked: Any, scope: Any) -> None:
    incident_create(actor=ranked.office, scope=scope(ranked.office), period=ranked.q1, obj=ranked.west_obj,
                    indicator="jianfen", item="tbpp", level="县", document="测政〔2024〕9号")
    with pytest.raises(ServiceError) as e:
        _publish(ranked, scope)
    for words in ("2024年第一季度", "2024年第四季度", "仍在填报中", "1 项加减分事项待审批", "西镇", "尚未经绩效办审核"):
        assert words in e.value.message, words
    with pytest.raises(ServiceError, match="不能提交审定：以下考核期仍在填报中"):
        approval_review(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                        category="town")
    assert not Publication.objects.exists() and not Approval.objects.exists()


def test_review_then_approval_then_publication_all_audited(ranked: Any, scope: Any, client: Any) -> None:
    close_periods(ranked)
    member = leader_group_member(ranked)
    approval_review(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment, category="town",
                    note="数据已核")
    with pytest.raises(ServiceError, match="尚待领导小组审定"):
        _publish(ranked, scope)
    for who in (ranked.office, ranked.leader, ranked.reporter):
        with pytest.raises(NotAllowed, match="只有考核领导小组成员可以审定"):
            approval_approve(actor=who, scope=scope(who), assessment=ranked.assessment, category="town", ties={})
    assert Approval.objects.get().status == Approval.Status.REVIEWED
    approval_approve(actor=member, scope=scope(member), assessment=ranked.assessment, category="town", ties={},
                     note="同意")
    pub = _publish(ranked, scope)
    assert pub.approval is not None and pub.snapshot["approval"]["note"] == "同意"
    actions = list(AuditEntry.objects.filter(action__in=["approval_review", "approval_approve", "publication_create"])
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["approval_review", "approval_approve", "publication_create"]
    # Reopening a period blocks publishing again, saying which.
    reopen_periods(ranked)
    with pytest.raises(ServiceError, match="2024年第一季度"):
        _publish(ranked, scope)
    # The pages: the office sees the review button, the member the approval form.
    client.force_login(ranked.office)
    html = client.get("/results/mini-2024/category/town/approval/").content.decode()
    assert "审核通过" in html and "仍在填报中" in html
    assert client.get("/results/mini-2024/category/town/approval/").status_code == 200
    client.force_login(ranked.leader)
    assert client.get("/results/mini-2024/category/town/approval/").status_code == 403


def test_quota_ties_are_decided_at_approval_with_a_reason(ranked: Any, scope: Any, client: Any) -> None:
    close_periods(ranked)
    Result.objects.filter(object=ranked.west_obj).update(flags=["quota_tie:先进"])
    member = leader_group_member(ranked)
    approval_review(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment, category="town")
    with pytest.raises(ServiceError, match=r"西镇.*须审定.*请填写审定结论和理由"):
        approval_approve(actor=member, scope=scope(member), assessment=ranked.assessment, category="town",
                         ties={"west": ("先进", " ")})
    assert Approval.objects.get().status == Approval.Status.REVIEWED
    client.force_login(member)
    page = client.get("/results/mini-2024/category/town/approval/").content.decode()
    assert 'name="reason_west"' in page
    resp = client.post("/results/mini-2024/category/town/approval/approve",
                       {"grade_west": "先进", "reason_west": "两镇得分并列，西镇重点工作获省通报表扬"})
    assert resp.status_code == 302
    approval = Approval.objects.get()
    assert approval.status == Approval.Status.APPROVED
    assert approval.ties == [{"object": "west", "name": "西镇", "flag": "名额线并列（先进），须审定", "grade": "先进",
                              "reason": "两镇得分并列，西镇重点工作获省通报表扬"}]
    pub = _publish(ranked, scope)
    client.force_login(ranked.office)
    assert client.get(f"/results/published/{pub.token}/notice.pdf").content.startswith(b"%PDF")


def test_public_page_only_for_a_public_publication(publication: Publication, ranked: Any, scope: Any,
                                                  client: Any) -> None:
    assert client.get(f"/results/public/{publication.token}/").status_code == 404
    import datetime as dt
    with pytest.raises(ServiceError, match="结束日期不能早于开始日期"):
        publication_create(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                           category="town", notice_starts=dt.date(2025, 1, 10), notice_ends=dt.date(2025, 1, 5))
    pub = publication_create(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                             category="town", notice_starts=dt.date(2025, 1, 6), notice_ends=dt.date(2025, 1, 10),
                             public=True)
    html = client.get(f"/results/public/{pub.token}/").content.decode()
    assert "公示期：2025年1月6日 至 2025年1月10日" in html and "申诉渠道" in html and "西镇" in html


def test_another_organisation_neither_sees_nor_approves(ranked: Any, scope: Any, other_org: Any,
                                                        client: Any) -> None:
    close_periods(ranked)
    client.force_login(other_org.office)
    assert client.get("/results/mini-2024/category/town/approval/").status_code == 404
    assert client.post("/results/mini-2024/category/town/approval/review").status_code == 404
    with pytest.raises(NotAllowed):
        approval_review(actor=other_org.office, scope=scope(other_org.office), assessment=ranked.assessment,
                        category="town")
    from jixiao.org import services as org
    from jixiao.org.models import RoleGrant

    city_member = org.account_create(actor=None, username="city_group", password="cast-password-1",
                                     display_name="市领导小组")
    org.grant_add(actor=None, user=city_member, role=RoleGrant.Role.LEADER_GROUP, organisation=other_org.organisation)
    approval_review(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment, category="town")
    with pytest.raises(NotAllowed):
        approval_approve(actor=city_member, scope=scope(city_member), assessment=ranked.assessment, category="town",
                         ties={})
    assert Approval.objects.get().status == Approval.Status.REVIEWED


def test_results_changed_after_approval_need_a_new_approval(ranked: Any, scope: Any) -> None:
    from .approving import make_publishable
    from .conftest import enter

    make_publishable(ranked, scope)
    reopen_periods(ranked)
    enter(ranked, scope, ranked.east_obj, "100")
    close_periods(ranked)
    with pytest.raises(ServiceError, match="审定后发生了变化"):
        _publish(ranked, scope)
    with pytest.raises(ServiceError, match="审定后发生了变化"):  # "correcting" needs an appeal's correction
        publication_create(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment,
                           category="town", supersedes=None)
    member = leader_group_member(ranked)
    approval_review(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment, category="town")
    approval_approve(actor=member, scope=scope(member), assessment=ranked.assessment, category="town", ties={})
    assert _publish(ranked, scope).number == 1


def test_the_leadership_group_finds_what_waits_for_it(ranked: Any, scope: Any, client: Any) -> None:
    close_periods(ranked)
    member = leader_group_member(ranked)
    approval_review(actor=ranked.office, scope=scope(ranked.office), assessment=ranked.assessment, category="town")
    client.force_login(member)
    html = client.get("/outcomes/").content.decode()
    assert "待领导小组审定" in html and "/results/mini-2024/category/town/approval/" in html and "乡镇" in html
    client.force_login(ranked.reporter)
    assert "待领导小组审定" not in client.get("/outcomes/").content.decode()
