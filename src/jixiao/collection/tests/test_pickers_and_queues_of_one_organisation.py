"""The incident register's pickers and list, the office's review queue (待审核) and the home page's
counters hold only the records of the organisation the user works in: the county's office admin
never picks, sees or verifies a record of the city's finance bureau, nor the other way round."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.collection.models import Value
from jixiao.collection.selectors import assessments_with_incidents, incident_choices, incidents_for
from jixiao.collection.selectors_home import home_overview
from jixiao.collection.selectors_review import QueueFilter, review_queue, units_assessed
from jixiao.collection.services import incident_create, value_review_batch, value_save
from jixiao.core.errors import NotAllowed
from jixiao.org.selectors import scope_for_user
from jixiao.schemes.selectors import catalog_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(cast: Any, other_org: Any) -> dict[str, Any]:
    """An incident and a submitted value in each organisation."""
    county, city = scope_for_user(cast.office), scope_for_user(other_org.office)
    city_q1 = other_org.assessment.periods.get(code="2024-Q1")
    county_incident = incident_create(actor=cast.office, scope=county, period=cast.q1, obj=cast.east_obj,
                                      indicator="jianfen", item="tbpp", level="县", document="县通报〔2024〕1号")
    city_incident = incident_create(actor=other_org.office, scope=city, period=city_q1, obj=other_org.obj,
                                    indicator="jianfen", item="tbpp", level="市", document="市通报〔2024〕1号")
    county_value = value_save(actor=cast.reporter, scope=scope_for_user(cast.reporter), period=cast.q1,
                              obj=cast.east_obj, indicator="gdp", variable="value", value=Decimal(80), submit=True)
    city_value = value_save(actor=other_org.reporter, scope=scope_for_user(other_org.reporter), period=city_q1,
                            obj=other_org.obj, indicator="gdp", variable="value", value=Decimal(90), submit=True)
    assert county_value.status == city_value.status == Value.Status.SUBMITTED
    return {"county": county, "city": city, "county_incident": county_incident, "city_incident": city_incident,
            "county_value": county_value, "city_value": city_value}


def test_the_incident_picker_offers_only_the_organisations_objects(cast: Any, other_org: Any,
                                                                    both: dict[str, Any]) -> None:
    county, city = both["county"], both["city"]
    assert assessments_with_incidents(scope=county) == [cast.assessment]
    assert assessments_with_incidents(scope=city) == [other_org.assessment]
    county_objects = {o.code for o in incident_choices(scope=county, assessment=cast.assessment).objects}
    assert county_objects == {"east", "west"}
    assert [o.code for o in incident_choices(scope=city, assessment=other_org.assessment).objects] == ["city-ysk"]
    # Asked for the other organisation's assessment, the picker has nobody to offer.
    assert incident_choices(scope=county, assessment=other_org.assessment).objects == []
    # An office admin of both picks in the one he works in.
    both_county = scope_for_user(other_org.both, organisation_id=cast.county.organisation_id)
    assert {o.code for o in incident_choices(scope=both_county, assessment=cast.assessment).objects} == {
        "east", "west"}


def test_the_incident_list_shows_only_the_organisations_incidents(cast: Any, other_org: Any, client: Any,
                                                                  both: dict[str, Any]) -> None:
    assert list(incidents_for(scope=both["county"], assessment=None)) == [both["county_incident"]]
    assert list(incidents_for(scope=both["city"], assessment=None)) == [both["city_incident"]]
    assert not incidents_for(scope=both["county"], assessment=other_org.assessment).exists()
    client.force_login(other_org.office)
    page = client.get("/ledger/incidents/").content.decode()
    assert "市通报〔2024〕1号" in page and "县通报〔2024〕1号" not in page
    assert '<option value="预算科">' in page and "东镇" not in page


def test_the_review_queue_holds_only_the_organisations_values(cast: Any, other_org: Any, client: Any,
                                                             both: dict[str, Any]) -> None:
    county, city = both["county"], both["city"]
    assert list(review_queue(scope=county, f=QueueFilter(assessment=cast.assessment))) == [both["county_value"]]
    assert not review_queue(scope=county, f=QueueFilter(assessment=other_org.assessment)).exists()
    assert list(review_queue(scope=city, f=QueueFilter(assessment=other_org.assessment))) == [both["city_value"]]
    units = units_assessed(scope=county, assessment=cast.assessment, catalog=catalog_of(cast.assessment))
    assert other_org.section not in units and cast.east in units

    client.force_login(other_org.office)
    page = client.get("/ledger/review/").content.decode()
    assert "预算科" in page and "东镇" not in page and "测试县2024年度考核" not in page
    # The county's value is not the city's office's to verify, by id or otherwise.
    client.post("/ledger/review/", {"ids": [both["county_value"].pk], "approve": "1"})
    both["county_value"].refresh_from_db()
    assert both["county_value"].status == Value.Status.SUBMITTED


def test_a_batch_with_another_organisations_value_is_refused_whole(cast: Any, both: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        value_review_batch(actor=cast.office, scope=both["county"], approve=True,
                           value_ids=[both["county_value"].pk, both["city_value"].pk])
    statuses = set(Value.objects.filter(pk__in=[both["county_value"].pk, both["city_value"].pk])
                   .values_list("status", flat=True))
    assert statuses == {Value.Status.SUBMITTED}
    assert value_review_batch(actor=cast.office, scope=both["county"], approve=True,
                              value_ids=[both["county_value"].pk]) == 1


def test_the_home_counters_count_the_organisation_worked_in(cast: Any, other_org: Any,
                                                            both: dict[str, Any]) -> None:
    county = home_overview(scope=both["county"])
    assert (county["pending_incidents"], county["to_verify"]) == (1, 1)
    assert county["assessments"] == [cast.assessment] and county["verify_at"] == cast.assessment
    city = home_overview(scope=scope_for_user(other_org.both, organisation_id=other_org.organisation.pk))
    assert (city["pending_incidents"], city["to_verify"]) == (1, 1)
    assert city["incidents_at"] == other_org.assessment
