"""四级考核: a unit head verifies the values of his own staff and of the sections below his unit —
never his own, nor his unit's own object (the office verifies those) — in the single review, the
batch queue, the object page and the home page's counter; the office still verifies everything."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value
from jixiao.collection.selectors_review import QueueFilter, review_queue
from jixiao.collection.services import value_review, value_save
from jixiao.collection.services.review import value_review_batch
from jixiao.core.errors import NotAllowed
from jixiao.org import services as org
from jixiao.org.models import Person, RoleGrant, Unit
from jixiao.org.selectors import scope_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(cast: Any) -> Any:
    """东镇's head (张镇长, with a person record), a section of 东镇 and a member of its staff,
    each assessed in the town category (the test scheme has no other)."""
    town = cast.east_obj.category
    user = org.account_create(actor=None, username="zhang", password="cast-password-1", display_name="张镇长")
    org.grant_add(actor=None, user=user, role=RoleGrant.Role.UNIT_HEAD, unit=cast.east)
    me = org.person_create(actor=None, code="zhang", name="张镇长", unit=cast.east, level=Person.Level.HEAD,
                           user=user)
    section = org.unit_create(actor=None, code="east-dzb", name="东镇党政办", kind=Unit.Kind.SECTION,
                              parent=cast.east)
    clerk = org.person_create(actor=None, code="li", name="李干事", unit=section, level=Person.Level.STAFF)
    objs = {
        "section": org.object_create(actor=None, code="east-dzb", name="东镇党政办", category=town, unit=section),
        "clerk": org.object_create(actor=None, code="li", name="李干事", category=town, unit=section, person=clerk),
        "self": org.object_create(actor=None, code="zhang", name="张镇长", category=town, unit=cast.east, person=me),
        "town": cast.east_obj,
    }
    return user, objs


def _submitted(cast: Any, scope: Any, obj: Any) -> Value:
    """Reported and submitted by 东镇's reporter (an office save would be verified at once)."""
    v = value_save(actor=cast.reporter, scope=scope(cast.reporter), period=cast.q1, obj=obj, indicator="gdp",
                   variable="value", value=Decimal("80"), submit=True)
    assert v.status == Value.Status.SUBMITTED
    return v


def test_the_head_verifies_his_staff_and_sections_only(cast: Any, scope: Any, head: Any) -> None:
    user, objs = head
    mine = scope_for_user(user)
    values = {k: _submitted(cast, scope, o) for k, o in objs.items()}
    assert mine.verifies and not mine.office

    queue = review_queue(scope=mine, f=QueueFilter(assessment=cast.assessment))
    assert {v.object.code for v in queue} == {"east-dzb", "li"}
    assert {v.object.code for v in review_queue(scope=scope(cast.office), f=QueueFilter(
        assessment=cast.assessment))} == {"east-dzb", "li", "zhang", "east"}

    assert value_review(actor=user, scope=mine, value=values["clerk"], approve=True).status == Value.Status.VERIFIED
    for key in ("self", "town"):
        with pytest.raises(NotAllowed, match="由绩效办审核"):
            value_review(actor=user, scope=mine, value=values[key], approve=True)
        assert Value.objects.get(pk=values[key].pk).status == Value.Status.SUBMITTED
    # A batch with one value he does not verify changes nothing.
    with pytest.raises(NotAllowed):
        value_review_batch(actor=user, scope=mine, value_ids=[values["section"].pk, values["town"].pk],
                           approve=False, reason="请核对")
    assert Value.objects.get(pk=values["section"].pk).status == Value.Status.SUBMITTED
    assert value_review_batch(actor=user, scope=mine, value_ids=[values["section"].pk], approve=False,
                              reason="请核对") == 1


def test_pages_offer_review_where_he_may(cast: Any, scope: Any, head: Any, client: Any) -> None:
    user, objs = head
    for o in objs.values():
        _submitted(cast, scope, o)
    client.force_login(user)
    home = client.get("/").content.decode()
    assert 'id="to-verify">2<' in home and "待审核的本单位干部和科室数据" in home
    assert "审核通过" in client.get("/ledger/mini-2024/2024-Q1/li/").content.decode()
    assert "审核通过" not in client.get("/ledger/mini-2024/2024-Q1/east/").content.decode()
    queue = client.get("/ledger/review/")
    html = queue.content.decode()
    assert queue.status_code == 200 and "李干事" in html and "东镇党政办" in html
    assert "/2024-Q1/zhang/" not in html and "/2024-Q1/east/" not in html
    # A reporter verifies nothing: the queue is the office's and the heads'.
    client.force_login(cast.reporter)
    assert client.get("/ledger/review/").status_code == 403
