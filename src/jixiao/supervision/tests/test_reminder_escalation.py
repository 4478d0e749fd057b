"""After JIXIAO_ESCALATE_AFTER notices the next ones are escalated to the leader in charge — or,
for a matter without one, to a leader overseeing its lead unit — who receives them too."""

from __future__ import annotations

from datetime import date
from typing import Any

from jixiao.org import services as org
from jixiao.org.models import RoleGrant
from jixiao.supervision.models import Delivery, Notice
from jixiao.supervision.services.reminders import reminders_run


def test_third_notice_goes_to_the_leader_in_charge(sv: Any, settings: Any) -> None:
    settings.JIXIAO_ESCALATE_AFTER = 2
    settings.JIXIAO_REMIND_EVERY_DAYS = 3
    for day in (date(2026, 3, 13), date(2026, 3, 16), date(2026, 3, 19)):  # east_task's milestone near, then behind
        sv.travel(day)
        reminders_run()
    notices = list(Notice.objects.filter(matter=sv.east_task).order_by("sequence"))
    assert [(n.sequence, n.escalated, n.leader_id) for n in notices] == [
        (1, False, None), (2, False, None), (3, True, sv.cast.leader.pk)]
    third = notices[2]
    assert "第3次催办" in third.message and "已报告责任领导leader" in third.message
    assert set(Delivery.objects.filter(notice=third, channel="inapp").values_list("recipient", flat=True)) == {
        sv.cast.reporter.pk, sv.cast.leader.pk}
    assert not Delivery.objects.filter(notice__in=notices[:2], recipient=sv.cast.leader).exists()


def test_matter_without_a_leader_escalates_to_the_unit_overseer(sv: Any, settings: Any) -> None:
    settings.JIXIAO_ESCALATE_AFTER = 1
    reminders_run()  # west_task (no leader in charge): first notice
    sv.travel(date(2026, 3, 5))
    reminders_run()  # second: nobody oversees 西镇 yet
    head = org.account_create(actor=None, username="county_head", password="cast-password-1", display_name="县长")
    org.grant_add(actor=None, user=head, role=RoleGrant.Role.LEADER, unit=sv.cast.county)  # oversees the county tree
    sv.travel(date(2026, 3, 8))
    reminders_run()
    got = [(n.sequence, n.escalated, n.leader_id) for n in Notice.objects.filter(matter=sv.west_task)
           .order_by("sequence")]
    assert got == [(1, False, None), (2, False, None), (3, True, head.pk)]
    assert Delivery.objects.filter(notice__sequence=3, notice__matter=sv.west_task, recipient=head).exists()
