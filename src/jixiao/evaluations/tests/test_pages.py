"""The pages as their users meet them: a public rater with a token, an account rater's draft and
single submission, the office's sheet of tokens, turnout and closing; a rated unit sees its own
aggregate after closing and nobody sees a single ballot; another organisation sees nothing."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.evaluations.models import Assignment, Ballot, Token
from jixiao.evaluations.selectors import turnout, turnout_by_unit
from jixiao.evaluations.services import assignments_generate, campaign_close, token_redeem, tokens_issue

from .conftest import opened

pytestmark = pytest.mark.django_db


def _token(ev: Any) -> str:
    [(_, t)] = tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                            count=1)
    return t


def test_public_rater_rates_once(ev: Any, client: Any) -> None:
    opened(ev)
    t = _token(ev)
    page = client.get(f"/e/{t}")
    assert page.status_code == 200 and "东镇" in page.content.decode()
    east = ev.cast.east_obj.pk
    bad = client.post(f"/e/{t}", {f"o{east}d0": "很好"})
    assert bad.status_code == 200 and "评价须为" in bad.content.decode() and not Ballot.objects.exists()
    ok = client.post(f"/e/{t}", {f"o{east}d0": "优秀"})
    assert ok.status_code == 302 and ok["Location"].endswith("/e/thanks")
    again = client.get(f"/e/{t}")
    assert again.status_code == 403 and "已使用" in again.content.decode()
    assert client.post(f"/e/{t}", {f"o{east}d0": "优秀"}).status_code == 403
    assert Ballot.objects.count() == 1
    typed = client.get("/e/", {"code": " ".join([t[:4], t[4:]])})
    assert typed.status_code == 302 and typed["Location"].endswith(f"/e/{t}")


def test_rater_drafts_then_submits_once(ev: Any, client: Any) -> None:
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    a = Assignment.objects.get(rater=ev.staff1, object=ev.cast.east_obj)
    client.force_login(ev.staff1)
    assert "东镇" in client.get("/evaluations/mine/").content.decode()
    assert client.post(f"/evaluations/mine/{a.pk}/", {"d0": "称职", "action": "save"}).status_code == 302
    assert 'value="称职" checked' in client.get(f"/evaluations/mine/{a.pk}/").content.decode()
    assert client.post(f"/evaluations/mine/{a.pk}/", {"d0": "称职", "action": "submit"}).status_code == 302
    assert Ballot.objects.count() == 1
    assert client.get(f"/evaluations/mine/{a.pk}/").status_code == 200
    html = client.post(f"/evaluations/mine/{a.pk}/", {"d0": "优秀", "action": "submit"}, follow=True).content.decode()
    assert "不能重复提交" in html and Ballot.objects.count() == 1


def test_token_sheet_is_an_a4_pdf_and_keeps_only_hashes(ev: Any, client: Any) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    client.force_login(ev.cast.office)
    resp = client.post(f"/evaluations/{ev.campaign.pk}/tokens", {"group": ev.public.pk, "count": 14})
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(resp.content))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842
    assert Token.objects.count() == 14


def test_turnout_counts(ev: Any, client: Any) -> None:
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    tokens = [t for _, t in tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign,
                                         group=ev.public, count=4)]
    token_redeem(token=tokens[0], ratings={ev.cast.east_obj.pk: {"总体评价": "优秀"}})
    from jixiao.evaluations.services import assignment_ballot_save
    mine = list(Assignment.objects.filter(rater=ev.staff1))
    for a in mine:
        assignment_ballot_save(actor=ev.staff1, scope=ev.scope(ev.staff1), assignment_id=a.pk,
                               ratings={"总体评价": "称职"}, submit=True)
    by_group = {t.group.name: t for t in turnout(ev.campaign)}
    total = Assignment.objects.filter(campaign=ev.campaign).count()
    assert by_group["干部职工"].expected == total and by_group["干部职工"].cast == len(mine)
    assert by_group["群众"].expected == 4 + 10 and by_group["群众"].cast == 1
    [east] = turnout_by_unit(ev.campaign)
    assert east.unit == "东镇" and east.done == len(mine) and east.submitted == 1
    client.force_login(ev.cast.office)
    html = client.get(f"/evaluations/{ev.campaign.pk}/turnout/").content.decode()
    assert "staff2" in html and "head" in html  # not taken part yet, by name (no ballot is shown)


def test_closing_shows_the_unit_its_own_aggregate_only(ev: Any, client: Any) -> None:
    opened(ev)
    for _, t in tokens_issue(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign, group=ev.public,
                             count=5):
        token_redeem(token=t, ratings={ev.cast.east_obj.pk: {"总体评价": "称职"},
                                       ev.cast.west_obj.pk: {"总体评价": "优秀"}})
    client.force_login(ev.cast.reporter)
    assert client.get(f"/evaluations/{ev.campaign.pk}/").status_code == 404  # not before closing
    client.force_login(ev.cast.office)
    assert client.post(f"/evaluations/{ev.campaign.pk}/close").status_code == 302
    html = client.get(f"/evaluations/{ev.campaign.pk}/").content.decode()
    assert "90" in html and "100" in html and "得分 27" in html
    client.force_login(ev.cast.reporter)
    html = client.get(f"/evaluations/{ev.campaign.pk}/").content.decode()
    assert "东镇" in html and "西镇" not in html and "90" in html


def test_other_organisation_sees_nothing(ev: Any, other_org: Any, client: Any) -> None:
    client.force_login(other_org.office)
    assert ev.campaign.name not in client.get("/evaluations/").content.decode()
    assert client.get(f"/evaluations/{ev.campaign.pk}/").status_code == 404
    assert client.get(f"/evaluations/{ev.campaign.pk}/turnout/").status_code == 404
    assert client.post(f"/evaluations/{ev.campaign.pk}/close").status_code == 404
    from jixiao.core.errors import NotAllowed
    from jixiao.org.selectors import scope_for_user
    with pytest.raises(NotAllowed):
        campaign_close(actor=other_org.office, scope=scope_for_user(other_org.office), campaign=ev.campaign)


def test_home_says_what_is_left_to_rate(ev: Any, client: Any) -> None:
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    n = Assignment.objects.filter(rater=ev.staff1).count()
    client.force_login(ev.staff1)
    assert f"还有 {n} 个对象待评价" in client.get("/").content.decode()
    client.force_login(ev.cast.outsider)
    assert "待评价" not in client.get("/").content.decode()


def test_the_rater_reads_the_object_s_self_report(ev: Any, client: Any) -> None:
    """The self-report the rated unit wrote (planning's 自查自评 report) is shown on the rating page."""
    from jixiao.org.selectors import scope_for_user
    from jixiao.planning.services import self_report_save

    self_report_save(actor=ev.cast.reporter, scope=scope_for_user(ev.cast.reporter), period=ev.campaign.period,
                     obj=ev.cast.east_obj, text="东镇本季度完成招商引资项目三个，民生实事全部按期办结。")
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    a = Assignment.objects.get(rater=ev.staff1, object=ev.cast.east_obj)
    client.force_login(ev.staff1)
    assert "民生实事全部按期办结" in client.get(f"/evaluations/mine/{a.pk}/").content.decode()
