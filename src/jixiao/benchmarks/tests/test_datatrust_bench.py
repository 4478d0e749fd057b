"""The flags bench runs on a small synthetic ledger and finds what it plants."""

from __future__ import annotations

from jixiao.benchmarks.datatrust import run


def test_small_run_reports_every_planted_rule() -> None:
    report = run(staff=400, repeat=1)
    assert report["values"] == 400 * 30 * 12
    assert {"at_target", "identical", "jump_pop", "last_minute"} <= set(report["by_rule"])
