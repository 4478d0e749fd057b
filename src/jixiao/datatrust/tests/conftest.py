"""The data-trust tests' world on top of the shared cast: a second scheme (专项考核) of the towns
under a category of its own (``townb``, objects 东镇专项/西镇专项 of the same units), and the figure
税收收入 reported by 县统计局, bound to the ``tax`` leaf of both assessments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from conftest import MINI


@dataclass
class Dt:
    cast: Any
    other: Any  # the second assessment
    figure: Any


@pytest.fixture
def dt(cast: Any) -> Dt:
    from jixiao.datatrust.services import FigureInput, figure_bind, figure_save
    from jixiao.org import services as org
    from jixiao.org.models import Category
    from jixiao.org.selectors import scope_for_user
    from jixiao.schemes import services as sch

    text = MINI.read_text(encoding="utf-8").replace("code: town\n", "code: townb\n").replace(
        "code: mini-2024\n", "code: mini-2024-b\n")
    townb = org.category_create(actor=None, code="townb", name="乡镇（专项）", subject=Category.Subject.UNIT)
    org.object_create(actor=None, code="east-b", name="东镇专项", category=townb, unit=cast.east)
    org.object_create(actor=None, code="west-b", name="西镇专项", category=townb, unit=cast.west)
    version = sch.scheme_create(actor=None, code="mini-b", name="专项考核方案", text=text)
    sch.scheme_version_adopt(actor=None, version=version)
    other = sch.assessment_create(actor=None, code="mini-2024-b", name="测试县2024年度专项考核", year=2024,
                                  version=version)
    office = scope_for_user(cast.office)
    figure = figure_save(actor=cast.office, scope=office, data=FigureInput(
        code="tax", name="税收收入", measure="万元", source=cast.stats_unit, amount=True))
    figure_bind(actor=cast.office, scope=office, figure=figure, assessment=cast.assessment, indicator="tax")
    figure_bind(actor=cast.office, scope=office, figure=figure, assessment=other, indicator="tax")
    return Dt(cast=cast, other=other, figure=figure)
