"""Who rates whom, from the tree and positions (pure)."""

from __future__ import annotations

from jixiao.evaluations.who_rates import ObjectInfo, PersonInfo, pairs

# bureau 1 (root) with sections 2 and 3
PARENTS = {1: None, 2: 1, 3: 1}
PEOPLE = [PersonInfo(10, 1, "leader", 110), PersonInfo(20, 2, "head", 120), PersonInfo(21, 2, "staff", 121),
          PersonInfo(22, 2, "staff", 122), PersonInfo(30, 3, "head", 130), PersonInfo(31, 3, "staff", None)]
OBJECTS = [ObjectInfo(1021, 2, 21), ObjectInfo(1020, 2, 20), ObjectInfo(1002, 2, None)]


def test_head_rates_his_staff_heads_rate_each_other_nobody_himself() -> None:
    got = pairs(parents=PARENTS, people=PEOPLE, objects=OBJECTS, kinds=["superior", "peer", "subordinate"])
    assert (120, 1021, "superior") in got  # the unit head rates his own staff
    assert (122, 1021, "peer") in got
    assert (130, 1020, "peer") in got  # section heads rate each other
    assert (110, 1020, "superior") in got
    assert (121, 1020, "subordinate") in got
    assert not any(u == 121 and o == 1021 for u, o, _ in got)  # never oneself
    assert not any(u == 120 and o == 1020 for u, o, _ in got)
    assert (110, 1002, "superior") in got and (130, 1002, "peer") in got and (121, 1002, "subordinate") in got


def test_people_without_an_account_rate_nobody() -> None:
    got = pairs(parents=PARENTS, people=PEOPLE, objects=OBJECTS, kinds=["leader", "superior", "peer", "subordinate"])
    assert all(u is not None for u, _, _ in got)
    assert {k for _, _, k in got} <= {"leader", "superior", "peer", "subordinate"}


def test_people_without_an_account_are_still_rated() -> None:
    people = [PersonInfo(1, 2, "staff", 11), PersonInfo(2, 2, "staff", None), PersonInfo(3, 1, "leader", 13)]
    got = pairs(parents={1: None, 2: 1}, people=people, objects=[ObjectInfo(100, 2, 2)], kinds=["peer", "leader"])
    assert got == {(11, 100, "peer"), (13, 100, "leader")}
