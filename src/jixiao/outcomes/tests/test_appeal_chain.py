"""申诉: filed in the window by the assessed unit, accepted by the office, the ledger corrected
through the collection services (its history names the appeal), the results recomputed and a
new publication superseding the old; the appellant sees every step. And the refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.audit.models import AuditEntry
from jixiao.collection.models import Value, ValueChange
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.outcomes.models import Appeal
from jixiao.outcomes.services import appeal_decide, appeal_file, appeal_republish
from jixiao.scoring.models import Publication, Result

pytestmark = pytest.mark.django_db


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("统计快报.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def _file(cast: Any, scope: Any, pub: Publication, **kw: Any) -> Appeal:
    args: dict[str, Any] = {"obj": cast.east_obj, "indicator": "gdp", "evidence": _pdf(),
                            "reason": "一季度生产总值应为100亿元，统计快报为证"}
    args.update(kw)
    return appeal_file(actor=cast.reporter, scope=scope(cast.reporter), publication=pub, **args)


def test_an_upheld_appeal_changes_the_ledger_the_result_and_the_publication(cast: Any, scope: Any,
                                                                            published: Publication,
                                                                            client: Any) -> None:
    east_before = Result.objects.get(object=cast.east_obj).total
    appeal = _file(cast, scope, published)
    assert appeal.status == Appeal.Status.FILED and appeal.evidence_name == "统计快报.pdf"

    decided = appeal_decide(actor=cast.office, scope=scope(cast.office), appeal=appeal, accept=True,
                            reason="核实统计快报，数据录入有误", period=cast.q1, value=Decimal("100"))
    assert decided.status == Appeal.Status.ACCEPTED and decided.value_before == Decimal("60")
    value = Value.objects.get(object=cast.east_obj, period=cast.q1, indicator="gdp")
    assert value.value == Decimal("100")
    change = ValueChange.objects.filter(value=value).order_by("-id").first()
    assert change is not None and change.via == "appeal" and f"申诉 #{appeal.pk}" in change.note
    east_after = Result.objects.get(object=cast.east_obj).total
    assert east_after is not None and east_before is not None and east_after > east_before

    new = appeal_republish(actor=cast.office, scope=scope(cast.office), appeal=decided)
    assert new.supersedes == published and new.number == 2
    assert new.notice_ends == published.notice_ends and new.public
    east_row = next(r for r in new.snapshot["rows"] if r["object"] == "east")
    old_row = next(r for r in published.snapshot["rows"] if r["object"] == "east")
    assert east_row["total"] == east_after and old_row["total"] == east_before
    assert Appeal.objects.get(pk=appeal.pk).republished == new
    actions = set(AuditEntry.objects.filter(target="outcomes.appeal").values_list("action", flat=True))
    assert actions == {"appeal_file", "appeal_decide", "appeal_republish"}

    client.force_login(cast.reporter)
    html = client.get(f"/outcomes/appeals/{appeal.pk}/").content.decode()
    for words in ("提出申诉", "申诉成立，已更正", "核实统计快报", "台帐已更正", "由 60 改为 100", "第2次公示"):
        assert words in html, words
    old_page = client.get(f"/results/published/{published.token}/").content.decode()
    assert "本公示已被更正" in old_page
    assert client.get(f"/outcomes/appeals/{appeal.pk}/evidence").status_code == 200


def test_a_rejected_appeal_changes_nothing(cast: Any, scope: Any, published: Publication) -> None:
    appeal = _file(cast, scope, published)
    appeal_decide(actor=cast.office, scope=scope(cast.office), appeal=appeal, accept=False, reason="数据与台帐一致")
    assert Value.objects.get(object=cast.east_obj, period=cast.q1, indicator="gdp").value == Decimal("60")
    with pytest.raises(ServiceError, match="已答复"):
        appeal_decide(actor=cast.office, scope=scope(cast.office), appeal=appeal, accept=False, reason="再次")


@pytest.mark.parametrize("case", ["after_window", "not_own", "no_reason", "no_window"])
def test_refusals_write_nothing(case: str, cast: Any, scope: Any, published: Publication) -> None:
    if case == "after_window":
        assert published.notice_ends is not None
        with pytest.raises(ServiceError, match=r"公示期已于 .* 结束"):
            _file(cast, scope, published, today=published.notice_ends + dt.timedelta(days=1))
    elif case == "not_own":
        with pytest.raises(NotAllowed, match="只能对本单位"):
            _file(cast, scope, published, obj=cast.west_obj)
    elif case == "no_reason":
        with pytest.raises(ServiceError, match="请填写申诉理由"):
            _file(cast, scope, published, reason="  ")
    else:
        Publication.objects.filter(pk=published.pk).update(notice_starts=None, notice_ends=None)
        published.refresh_from_db()
        with pytest.raises(ServiceError, match="未设公示期"):
            _file(cast, scope, published)
    assert not Appeal.objects.exists()
    assert not AuditEntry.objects.filter(action="appeal_file").exists()


def test_only_the_office_answers_and_an_accepted_appeal_needs_the_correction(cast: Any, scope: Any,
                                                                             published: Publication) -> None:
    appeal = _file(cast, scope, published)
    for who in (cast.reporter, cast.leader, cast.stats):
        with pytest.raises(NotAllowed):
            appeal_decide(actor=who, scope=scope(who), appeal=appeal, accept=False, reason="x")
    with pytest.raises(ServiceError, match="答复理由"):
        appeal_decide(actor=cast.office, scope=scope(cast.office), appeal=appeal, accept=False, reason="")
    with pytest.raises(ServiceError, match="更正后的数值"):
        appeal_decide(actor=cast.office, scope=scope(cast.office), appeal=appeal, accept=True, reason="成立",
                      period=cast.q1)
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.FILED
    assert Value.objects.get(object=cast.east_obj, period=cast.q1, indicator="gdp").value == Decimal("60")


def test_other_organisation_never_sees_an_appeal(cast: Any, scope: Any, published: Publication, other_org: Any,
                                                 client: Any) -> None:
    appeal = _file(cast, scope, published)
    for who in (other_org.office, other_org.reporter):
        client.force_login(who)
        assert client.get(f"/outcomes/appeals/{appeal.pk}/").status_code == 404
        assert "东镇" not in client.get("/outcomes/").content.decode()
        assert client.get(f"/outcomes/appeals/new/{published.token}/").status_code == 404
    client.force_login(cast.west_obj.unit.grants.first().user if cast.west_obj.unit.grants.exists() else cast.stats)
    assert client.get(f"/outcomes/appeals/{appeal.pk}/").status_code == 404


def test_an_unanswered_appeal_past_its_deadline_is_marked(cast: Any, scope: Any, published: Publication,
                                                          client: Any) -> None:
    appeal = _file(cast, scope, published)
    client.force_login(cast.office)
    assert "已逾期" not in client.get("/outcomes/").content.decode()
    Appeal.objects.filter(pk=appeal.pk).update(deadline=dt.date(2020, 1, 1))
    assert "已逾期" in client.get("/outcomes/").content.decode()
    decided = appeal_decide(actor=cast.office, scope=scope(cast.office), appeal=appeal, accept=False, reason="一致")
    entry = AuditEntry.objects.get(action="appeal_decide")
    assert entry.after is not None and entry.after["late"] is True and decided.status == Appeal.Status.REJECTED
