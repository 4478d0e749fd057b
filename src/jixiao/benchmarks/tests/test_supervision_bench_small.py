"""The supervision benchmark's scenario, small: it builds, computes every light, and its reminder
runs issue, repeat and escalate as the full-size run on `make bench` does (timings not checked)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_bench_scenario_small() -> None:
    from jixiao.benchmarks.supervision import run

    out = run(matters=300, units=10, runs=1)
    assert out["built"]["matters"] == 300 and sum(out["lights"].values()) == 300
    first = out["remind"]
    assert first["issued"] == first["yellow"] + first["red"] > 0 and first["failed"] == 0
    assert out["emails"] == 5  # one digest per reporter with an address (5 of 10 units)
    assert out["remind_again_issued"] == 0
    assert out["remind_day3"]["issued"] > 0 and out["remind_day3"]["escalated"] == 0
    assert out["remind_day6"]["escalated"] > 0 and out["remind_day6"]["emails"] > out["emails"]
    assert out["notices"] == first["issued"] + out["remind_day3"]["issued"] + out["remind_day6"]["issued"]
