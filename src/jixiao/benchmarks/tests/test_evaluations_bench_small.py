"""The evaluation benchmark's scenario, small: tokens submitted through the Django stack cast their
ballots, and closing bulk-inserted ballots writes a result per town and scores them (timings not
checked)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_bench_scenario_small() -> None:
    from jixiao.benchmarks import evaluations as bench

    world = bench.build(6)
    sub = bench.submissions(world, 12)
    assert sub["requests"] == 12 and sub["ballots"] == 12 * bench.PER_TOKEN
    closed = bench.closing(world, 600)
    assert closed["ballots"] == 600 and closed["objects"] == 6 and closed["scored"] == 6
