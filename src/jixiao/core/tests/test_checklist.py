"""The checklist tally: which test stands for which item, and when an item holds."""

import pytest

from jixiao.core.checklist import item_of, tally


def test_items_come_from_test_names() -> None:
    assert item_of("src/x/test_a.py::test_item_07_check_deploy") == 7
    assert item_of("src/x/test_a.py::test_item_03_lockout[10.0.0.1]") == 3
    assert item_of("src/x/test_a.py::test_item_39_nothing") is None
    assert item_of("src/x/test_item_01_file.py::test_other") is None


def test_an_item_holds_when_every_check_that_ran_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jixiao.core.checklist.PARTIAL", {14: "only partly checked"})
    hold, failing = tally({"a.py::test_item_01_a": "passed", "a.py::test_item_01_b": "passed",
                           "a.py::test_item_02_a": "passed", "a.py::test_item_02_b": "failed",
                           "a.py::test_item_03_a": "skipped", "a.py::test_item_14_a": "passed"})
    assert hold == [1] and failing == [2]  # 3 did not run; 14 is only partly checked
