"""Closing a period stops every write to it; reopening needs a reason and two people."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.audit.models import AuditEntry
from jixiao.collection.services import value_save
from jixiao.core.errors import PeriodClosed
from jixiao.schemes.models import Period
from jixiao.scoring.tests.approving import leader_group_member


@pytest.mark.django_db
def test_close_then_value_save_is_refused_and_page_shows_closed(office_client, cast, scope):
    resp = office_client.post(reverse("schemes:period_close", args=[cast.q1.pk]))
    assert resp.status_code == 302
    q1 = Period.objects.get(pk=cast.q1.pk)
    assert q1.status == Period.Status.CLOSED and q1.closed_at is not None
    with pytest.raises(PeriodClosed):
        value_save(actor=cast.office, scope=scope(cast.office), period=q1, obj=cast.east_obj, indicator="gdp",
                   variable="value", value=Decimal("80"))
    html = office_client.get(reverse("schemes:index")).content.decode()
    row = html.split(f'id="period-{q1.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "已关闭" in row and reverse("schemes:period_reopen", args=[q1.pk]) in row
    other = html.split(f'id="period-{cast.q2.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "填报中" in other and reverse("schemes:period_close", args=[cast.q2.pk]) in other


@pytest.mark.django_db
def test_reopen_requires_a_reason(office_client, cast, scope):
    office_client.post(reverse("schemes:period_close", args=[cast.q1.pk]))
    resp = office_client.post(reverse("schemes:period_reopen", args=[cast.q1.pk]), {"reason": "   "})
    assert resp.status_code == 400
    assert not Period.objects.get(pk=cast.q1.pk).is_open
    html = resp.content.decode()
    row = html.split(f'id="period-{cast.q1.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "errorlist" in row and 'aria-invalid="true"' in row

    resp = office_client.post(reverse("schemes:period_reopen", args=[cast.q1.pk]), {"reason": "统计局更正一季度数据"})
    assert resp.status_code == 302
    assert not Period.objects.get(pk=cast.q1.pk).is_open  # a request only: a second person approves
    assert AuditEntry.objects.filter(action="reopen_request", target_id=str(cast.q1.pk)).exists()
    html = office_client.get(reverse("schemes:index")).content.decode()
    row = html.split(f'id="period-{cast.q1.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "待另一人批准" in row and "撤回申请" in row and "批准重新开放" not in row  # his own request
    # the requester cannot approve his own request
    resp = office_client.post(reverse("schemes:reopen_decide", args=[cast.q1.pk]), {"decision": "approve"})
    assert resp.status_code == 403 and "申请人不能审批" in resp.content.decode()
    assert not Period.objects.get(pk=cast.q1.pk).is_open

    member = leader_group_member(cast)
    client = Client()
    client.force_login(member)
    page = client.get(reverse("schemes:reopenings")).content.decode()
    assert "统计局更正一季度数据" in page and "批准" in page
    assert client.post(reverse("schemes:reopen_decide", args=[cast.q1.pk]), {"decision": "approve"}).status_code == 302
    q1 = Period.objects.get(pk=cast.q1.pk)
    assert q1.is_open
    entry = AuditEntry.objects.filter(action="reopen", target="schemes.period", target_id=str(q1.pk)).get()
    assert entry.summary == "统计局更正一季度数据" and entry.actor_id == member.pk
    assert entry.after["requested_by"] == cast.office.username
    value_save(actor=cast.office, scope=scope(cast.office), period=q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("80"))  # writes go through again


@pytest.mark.django_db
def test_closing_a_closed_period_says_so(office_client, cast):
    office_client.post(reverse("schemes:period_close", args=[cast.q1.pk]))
    resp = office_client.post(reverse("schemes:period_close", args=[cast.q1.pk]), follow=True)
    assert "已关闭" in resp.content.decode()
    assert AuditEntry.objects.filter(action="close").count() == 1
