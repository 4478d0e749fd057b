"""The reports' test world: the cast's towns with values (through the services), and a small
assessment of people (机关干部) in the cast's towns, with a staff account and a unit head."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.collection.services import ValueInput, ballot_add, values_bulk_upsert
from jixiao.org import services as org
from jixiao.org.models import AssessedObject, Category, RoleGrant, Unit
from jixiao.schemes import services as sch

PEOPLE_SCHEME = Path(__file__).parent / "people.yaml"
PASSWORD = "cast-password-1"


def town_values(cast: Any, scope: Any, values: dict[str, tuple[int, int, int]]) -> None:
    """Per town code: (gdp, tax, leaders' score) in Q1 and Q2, written by the office."""
    office = scope(cast.office)
    for period in (cast.q1, cast.q2):
        values_bulk_upsert(actor=cast.office, scope=office, period=period, via="api", rows=[
            ValueInput(object=code, indicator=ind, variable="value", value=Decimal(v))
            for code, (gdp, tax, _ld) in values.items() for ind, v in (("gdp", gdp), ("tax", tax))])
        for code, (_g, _t, ld) in values.items():
            obj = AssessedObject.objects.get(code=code)
            ballot_add(actor=cast.office, scope=office, period=period, obj=obj, indicator="ldpg", rating=str(ld),
                       rater="县长")


def add_town(cast: Any, code: str, name: str) -> Any:
    unit = org.unit_create(actor=None, code=code, name=name, kind=Unit.Kind.TOWN, parent=cast.county)
    return org.object_create(actor=None, code=code, name=name, category=Category.objects.get(code="town"), unit=unit)


@pytest.fixture
def towns(cast: Any, scope: Any) -> Any:
    """东镇 and 西镇 tied at the top, 北镇 third: 名次 1, 1, 3."""
    add_town(cast, "north", "北镇")
    town_values(cast, scope, {"east": (100, 500, 28), "west": (100, 500, 28), "north": (80, 400, 20)})
    return cast


@dataclass
class People:
    cast: Any
    assessment: Any
    periods: dict[str, Any]
    objects: dict[str, Any]  # person code → AssessedObject
    staff: Any  # account of 王东 (east), role staff
    west_head: Any  # 西镇 unit head


# (code, name, unit) and their scores (实绩 value, 评议 value) in Q1, Q2, Q3; None: no data that quarter.
PEOPLE = [("p1", "王东", "east"), ("p2", "李东", "east"), ("p3", "赵西", "west")]
SCORES = {
    "p1": [(100, 100), (90, 80), (None, None)],
    "p2": [(80, 90), (100, 100), (None, None)],
    "p3": [(60, 50), (70, 60), (50, None)],
}


@pytest.fixture
def people(cast: Any, scope: Any) -> People:
    sys = None
    ganbu = org.category_create(actor=sys, code="ganbu", name="机关干部", subject=Category.Subject.PERSON)
    units = {"east": cast.east, "west": cast.west}
    objects = {}
    persons = {}
    for code, name, unit in PEOPLE:
        person = org.person_create(actor=sys, code=code, name=name, unit=units[unit])
        persons[code] = person
        objects[code] = org.object_create(actor=sys, code=code, name=name, category=ganbu, unit=units[unit],
                                          person=person)
    staff = org.account_create(actor=sys, username="wangdong", password=PASSWORD, display_name="王东",
                               person=persons["p1"])
    org.grant_add(actor=sys, user=staff, role=RoleGrant.Role.STAFF, unit=cast.east)
    west_head = org.account_create(actor=sys, username="west_head", password=PASSWORD, display_name="西镇镇长")
    org.grant_add(actor=sys, user=west_head, role=RoleGrant.Role.UNIT_HEAD, unit=cast.west)
    version = sch.scheme_create(actor=sys, code="people", name="测试干部考核方案",
                                text=PEOPLE_SCHEME.read_text(encoding="utf-8"))
    sch.scheme_version_adopt(actor=sys, version=version)
    a = sch.assessment_create(actor=sys, code="people-2024", name="测试县2024年度干部考核", year=2024, version=version)
    periods = {p.code: p for p in a.periods.all()}
    office = scope(cast.office)
    for q, code in enumerate(("2024-Q1", "2024-Q2", "2024-Q3")):
        rows = []
        for obj, marks in SCORES.items():
            shiji, pingyi = marks[q]
            for ind, v in (("shiji", shiji), ("pingyi", pingyi)):
                if v is not None:
                    rows.append(ValueInput(object=obj, indicator=ind, variable="value", value=Decimal(v)))
        values_bulk_upsert(actor=cast.office, scope=office, period=periods[code], via="api", rows=rows)
    a.refresh_from_db()
    return People(cast=cast, assessment=a, periods=periods, objects=objects, staff=staff, west_head=west_head)
