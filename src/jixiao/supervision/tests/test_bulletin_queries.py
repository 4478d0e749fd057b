"""Drawing a bulletin costs the same number of queries for two units or twenty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.org import services as org
from jixiao.org.models import Unit
from jixiao.supervision.models import Notice
from jixiao.supervision.services.bulletins import bulletin_create
from jixiao.supervision.tests.conftest import assigned, make_input

pytestmark = pytest.mark.django_db
D = dt.date


def queries(sv) -> int:
    c = sv.cast
    with CaptureQueriesContext(connection) as q:
        bulletin_create(actor=c.office, scope=sv.scope(c.office), date_from=D(2026, 3, 1), date_to=D(2026, 3, 2))
    return len(q.captured_queries)


def test_constant_queries(sv):
    c = sv.cast
    few = queries(sv)
    for i in range(18):
        u = org.unit_create(actor=None, code=f"town{i}", name=f"第{i}镇", kind=Unit.Kind.TOWN, parent=c.county)
        m = assigned(c, make_input(c, title=f"事项{i}", lead=u, deadline=D(2026, 3, 3), leader=c.leader,
                                   kind="rectification" if i % 2 else "supervision"))
        Notice.objects.create(matter=m, sequence=1, unit=u, light="yellow", issued_on=D(2026, 3, 2),
                              deadline=m.deadline, message="催办")
    assert queries(sv) == few
