"""A category of people: the cockpit groups them by unit, and a click shows one unit's people; the
recording rates behind 未报送 are counted again only when the ledger moves."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.scoring.models import Result


@pytest.mark.django_db
def test_the_bureau_staff_by_section_and_one_section(demo: Any, client: Any) -> None:
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="office"))
    staff = Result.objects.filter(object__person__isnull=False).select_related("assessment", "object__unit")
    r = staff.first()
    assert r is not None
    client.post("/org/switch/", {"organisation": r.assessment.organisation_id})  # the bureau's organisation
    url = f"/cockpit/{r.assessment.code}/{r.category}/"
    html = client.get(url).content.decode()
    assert 'data-chart="units"' in html or "各单位完成进度" in html
    section = r.object.unit
    people = staff.filter(category=r.category, object__unit=section).count()
    one = client.get(url, {"unit": section.pk}).content.decode()
    assert f"只显示 {section.name} 的人员" in one
    assert f'<strong id="kpi-objects">{people}</strong>' in one


@pytest.mark.django_db
def test_recording_rates_are_kept_until_the_ledger_moves(cast: Any, scope: Any, client: Any,
                                                          monkeypatch: Any) -> None:
    from decimal import Decimal

    from jixiao.collection.services import value_save
    from jixiao.dashboard import selectors

    calls: list[int] = []
    real = selectors.recording_rates

    def counted(*, period: Any) -> Any:
        calls.append(period.pk)
        return real(period=period)

    monkeypatch.setattr(selectors, "recording_rates", counted)
    selectors._rates.clear()
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.east_obj, indicator="gdp",
               variable="value", value=Decimal("50"))
    client.force_login(cast.office)
    client.get("/cockpit/mini-2024/town/")
    n = len(calls)
    client.get("/cockpit/mini-2024/town/")
    assert len(calls) == n  # the same ledger: the counts are reused
    value_save(actor=cast.office, scope=scope(cast.office), period=cast.q1, obj=cast.west_obj, indicator="gdp",
               variable="value", value=Decimal("70"))
    client.get("/cockpit/mini-2024/town/")
    assert len(calls) > n  # a counting write: counted again
