"""The scale bench's build and full recompute, tiny (3 units, 40 staff) on the test database: every
value lands verified, every object gets a result, and the report has the documented keys."""

from __future__ import annotations

import pytest

from jixiao.benchmarks import scale

pytestmark = pytest.mark.django_db

UNITS, STAFF = 3, 40


def test_build_and_full_recompute_small() -> None:
    from jixiao.collection.models import Value
    from jixiao.org.models import AssessedObject, RoleGrant
    from jixiao.scoring.models import CategoryScores, Result

    built = scale.build(units=UNITS, staff=STAFF, writers=2)
    expected = STAFF * 30 * 12 + UNITS * 30 * 12
    assert built["values"] == expected
    assert Value.objects.filter(status=Value.Status.VERIFIED).count() == expected
    assert AssessedObject.objects.filter(category__code="staff").values("group").distinct().count() == 3
    assert RoleGrant.objects.filter(role=RoleGrant.Role.OFFICE_ADMIN).count() == 3  # the office and two writers

    recomputed = scale.full_recompute()
    assert recomputed["categories"] == ["staff", "units"]
    assert recomputed["loaded_values"] == expected and recomputed["results"] == UNITS + STAFF
    assert Result.objects.filter(category="staff").count() == STAFF
    assert Result.objects.filter(category="units").count() == UNITS
    assert set(Result.objects.filter(category="staff").values_list("group", flat=True)) == {
        "中层正职", "中层副职", "一般人员"}
    assert all(0 < t <= 120 for t in Result.objects.values_list("total", flat=True))
    assert CategoryScores.objects.count() == 2
    for key in ("load_s", "score_s", "write_s"):
        assert 0 <= recomputed[key] < 20
    assert recomputed["full_recompute_peak_mb"] >= recomputed["full_recompute_base_mb"] > 0

    out = scale.report(database="sqlite", staff=STAFF, built=built, recomputed=recomputed, measured=None)
    assert list(out)[:len(scale.KEYS)] == list(scale.KEYS)
    assert out["values"] == expected and out["full_recompute_s"] > 0
    assert out["save_p95_ms"] is None and out["lost_updates"] is None  # no server in this test
    assert any("full recompute" in line for line in scale.summary(out))
