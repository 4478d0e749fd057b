"""The supervision form's pickers (主办单位, 协办单位, 责任领导) offer only the units and leaders of
the organisation the user works in: a matter of the county never names a unit or a leader of the
city's finance bureau, nor the other way round."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.org import services as org
from jixiao.org.models import RoleGrant
from jixiao.org.selectors import scope_for_user
from jixiao.supervision.forms import MatterForm
from jixiao.supervision.selectors import leader_choices, unit_choices

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_leader(other_org: Any) -> Any:
    user = org.account_create(actor=None, username="city_leader", password="x-Pass-2024", display_name="市局局长")
    org.grant_add(actor=None, user=user, role=RoleGrant.Role.LEADER, unit=other_org.root)
    return user


def test_the_co_unit_picker_offers_only_the_organisations_units(cast: Any, other_org: Any) -> None:
    county = scope_for_user(cast.office)
    form = MatterForm(scope=county)
    co = {u.name for u in form.fields["co_units"].queryset}  # type: ignore[attr-defined]
    lead = {u.name for u in form.fields["lead_unit"].queryset}  # type: ignore[attr-defined]
    assert co == lead == {"测试县人民政府", "东镇", "西镇", "县统计局"}
    city = {u.name for u in unit_choices(scope=scope_for_user(other_org.office))}
    assert city == {"测试市财政局机关", "预算科"}
    # The office admin of both picks among the units of the one he works in.
    both_city = scope_for_user(other_org.both, organisation_id=other_org.organisation.pk)
    assert {u.name for u in unit_choices(scope=both_city)} == city
    assert not unit_choices(scope=scope_for_user(cast.outsider)).exists()


def test_the_leader_picker_offers_only_the_organisations_leaders(cast: Any, other_org: Any,
                                                                 city_leader: Any) -> None:
    assert list(leader_choices(scope=scope_for_user(cast.office))) == [cast.leader]
    assert list(leader_choices(scope=scope_for_user(other_org.office))) == [city_leader]
    both_county = scope_for_user(other_org.both, organisation_id=cast.county.organisation_id)
    assert list(leader_choices(scope=both_county)) == [cast.leader]


def test_the_new_matter_page_names_no_unit_of_another_organisation(cast: Any, other_org: Any, client: Any) -> None:
    client.force_login(cast.office)
    page = client.get("/supervision/new/").content.decode()
    assert "东镇" in page and "预算科" not in page and "测试市财政局" not in page
