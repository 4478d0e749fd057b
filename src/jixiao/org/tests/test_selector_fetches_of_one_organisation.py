"""The selectors that fetch one record by id for a page (the views no longer fetch themselves) find
a record of the scope's organisation and answer 404 for another organisation's, whoever asks: the
office admin of the bureau does not reach the county's records by guessing their ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.http import Http404

from jixiao.collection import selectors as collection
from jixiao.collection.models import Incident, Value
from jixiao.org.models import Organisation
from jixiao.org.scoping import Scope
from jixiao.org.selectors import scope_for_user
from jixiao.schemes import selectors as schemes
from jixiao.schemes.models import Period, Scheme, SchemeVersion
from jixiao.supervision import selectors as supervision
from jixiao.supervision.models import Delivery, Extension, Matter, Notice

pytestmark = pytest.mark.django_db

# (fetch, model, the path from the model to its organisation)
FETCHES: list[tuple[Callable[..., Model], type[Model], str]] = [
    (collection.value_get, Value, "assessment__organisation"),
    (collection.incident_get, Incident, "assessment__organisation"),
    (schemes.period_get, Period, "assessment__organisation"),
    (schemes.scheme_get, Scheme, "organisation"),
    (schemes.version_get, SchemeVersion, "scheme__organisation"),
    (supervision.matter_of_org, Matter, "organisation"),
    (supervision.matter_for_edit, Matter, "organisation"),
    (supervision.notice_get, Notice, "matter__organisation"),
    (supervision.extension_get, Extension, "matter__organisation"),
    (supervision.delivery_get, Delivery, "notice__matter__organisation"),
]


def _office_in(code: str) -> Scope:
    from django.contrib.auth.models import User

    return scope_for_user(User.objects.get(username="office"),
                          organisation_id=Organisation.objects.get(code=code).pk)


def test_a_fetch_by_id_finds_its_own_organisations_record_only(demo: Any) -> None:
    county, bureau = _office_in("zhengding"), _office_in("lyczj")
    assert county.organisation_id != bureau.organisation_id
    for fetch, model, path in FETCHES:
        record = model._default_manager.filter(**{f"{path}__code": "zhengding"}).order_by("pk").first()
        assert record is not None, f"the demo has no {model.__name__} in the county"
        assert fetch(scope=county, pk=record.pk) == record, fetch.__name__
        with pytest.raises(Http404):
            fetch(scope=bureau, pk=record.pk)


def test_an_assessment_and_its_period_by_code_stay_in_their_organisation(demo: Any) -> None:
    county, bureau = _office_in("zhengding"), _office_in("lyczj")
    a = schemes.assessment_in_scope(scope=county, code="zhengding-2024")
    period = a.periods.order_by("position").first()
    assert period is not None
    assert schemes.period_in_assessment(scope=county, assessment=a, code=period.code) == period
    with pytest.raises(Http404):
        schemes.assessment_in_scope(scope=bureau, code="zhengding-2024")
    with pytest.raises(Http404):
        schemes.period_in_assessment(scope=bureau, assessment=a, code=period.code)
