"""Running the reminder job twice on one day issues nothing the second time; the database's
unique (matter, sequence) refuses a duplicate notice whatever writes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from jixiao.supervision.models import Delivery, Notice, Step
from jixiao.supervision.services.reminders import reminders_run


def test_second_run_the_same_day_issues_nothing(sv: Any) -> None:
    first = reminders_run()
    counts = (Notice.objects.count(), Delivery.objects.count(), Step.objects.filter(action="remind").count())
    second = reminders_run()

    assert first.issued == 1 and second.issued == 0 and second.deliveries == 0
    assert (Notice.objects.count(), Delivery.objects.count(),
            Step.objects.filter(action="remind").count()) == counts == (1, counts[1], 1)


def test_a_duplicate_sequence_is_refused_by_the_database(sv: Any) -> None:
    reminders_run()
    notice = Notice.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(matter=notice.matter, sequence=1, unit=notice.unit, light="yellow",
                              issued_on=notice.issued_on, deadline=notice.deadline, message="again")
