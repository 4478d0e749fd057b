"""The demo's data catalogue and its crafted town: two assessments share the bureaus' figures, one
correction reached both, and 北早现乡 trips every flag the demo's data can show."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_catalogue_shared_and_crafted_town_flagged(built: Any) -> None:
    from jixiao.collection.models import Value
    from jixiao.datatrust.models import Figure
    from jixiao.datatrust.selectors import figure_lineage, flags_review
    from jixiao.org.selectors import scope_for_user
    from jixiao.schemes.models import Assessment

    revenue = Figure.objects.get(code="czsr")
    uses = figure_lineage(revenue)
    assert {u.binding.assessment.code for u in uses} == {"zhengding-2024", "caiyuan-2024"}
    corrected = Value.objects.filter(object__unit__code="nanniu", indicator="czsr", variable="value",
                                       period__code="2024-end")
    assert corrected.count() == 2 and len({v.value for v in corrected}) == 1
    assert all("更正" in v.note for v in corrected)

    office = scope_for_user(Figure.objects.get(code="czsr").owner, organisation_id=revenue.organisation_id)
    rows, _ = flags_review(scope=office, assessment=Assessment.objects.get(code="caiyuan-2024"))
    crafted = {r.rule for r in rows if r.value.object.code == "beizaoxian-cy"}
    assert crafted >= {"at_target", "jump_pop", "identical", "last_minute", "zero_incidents"}
    # Elsewhere only the two towns that share the crafted investment figure (its level jumps too).
    others = {(r.value.object.code, r.value.indicator) for r in rows if r.value.object.code != "beizaoxian-cy"}
    assert others == {("nanlou-cy", "gdzc"), ("quyangqiao-cy", "gdzc")}
