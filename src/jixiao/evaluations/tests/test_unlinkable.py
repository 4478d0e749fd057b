"""Ballots cannot be traced to a rater: no column refers to a user, an assignment, a token or a
window; no IP address or browser; the day only; random ids. An account rater's submission is
recorded on his assignment, apart from the ballot."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import models

from jixiao.evaluations.models import Assignment, Ballot, BallotScore
from jixiao.evaluations.services import assignment_ballot_save, assignments_generate

from .conftest import opened

ALLOWED = {"Ballot": {"id", "campaign", "group", "object", "day", "score"},
           "BallotScore": {"id", "ballot", "dimension", "rating", "points"}}


@pytest.mark.parametrize("model", [Ballot, BallotScore])
def test_item_34_no_column_identifies_the_rater(model: type[models.Model]) -> None:
    fields = {f.name for f in model._meta.get_fields() if f.concrete}
    assert fields == ALLOWED[model.__name__]
    targets = {f.related_model.__name__ for f in model._meta.get_fields()
               if f.concrete and f.is_relation and f.related_model is not None}
    assert targets <= {"Campaign", "RaterGroup", "AssessedObject", "Ballot"}
    assert isinstance(model._meta.pk, models.UUIDField)
    assert not any(isinstance(f, models.DateTimeField | models.GenericIPAddressField) for f in model._meta.fields)


@pytest.mark.django_db
def test_item_34_a_submitted_ballot_carries_nothing_of_its_rater(ev: Any) -> None:
    assignments_generate(actor=ev.cast.office, scope=ev.office_scope, campaign=ev.campaign)
    opened(ev)
    a = Assignment.objects.filter(rater=ev.staff1).first()
    assert a is not None
    assignment_ballot_save(actor=ev.staff1, scope=ev.scope(ev.staff1), assignment_id=a.pk,
                           ratings={"总体评价": "优秀"}, submit=True)
    b = Ballot.objects.get()
    assert isinstance(b.pk, uuid.UUID) and b.pk.version == 4
    row = Ballot.objects.values().get()
    assert str(ev.staff1.pk) not in {str(v) for k, v in row.items() if k not in ("campaign_id", "group_id",
                                                                                   "object_id", "score")}
    a.refresh_from_db()
    assert a.submitted_at is not None and a.draft == {}
