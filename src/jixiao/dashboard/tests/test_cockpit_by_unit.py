"""A category of people: the cockpit groups them by unit, and a click shows one unit's people."""

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
    url = f"/cockpit/{r.assessment.code}/{r.category}/"
    html = client.get(url).content.decode()
    assert 'data-chart="units"' in html or "各单位完成进度" in html
    section = r.object.unit
    people = staff.filter(category=r.category, object__unit=section).count()
    one = client.get(url, {"unit": section.pk}).content.decode()
    assert f"只显示 {section.name} 的人员" in one
    assert f'<strong id="kpi-objects">{people}</strong>' in one
