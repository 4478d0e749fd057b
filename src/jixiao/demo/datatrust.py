"""The data catalogue (数据指标库) and the data-quality flags in the county demo.

A second, monthly assessment of the towns (正定县2024年度乡镇财源建设专项考核, ``caiyuan.yaml``, a
category of its own with one object per town) shares two figures with the annual assessment:
全部财政收入 (reported once by 县财政局) and 固定资产投资 (by 县统计局). The bureaus report the
figures in the catalogue; both assessments take them from there, and the office corrects one
town's year-end revenue once for both.

北早现乡 is the crafted town that trips the flags in the special assessment: all at target in June,
a jump of its revenue from September, the same precise investment figure as two other towns in
March, zero accidents in April while an accident is recorded, and December reported alone hours
before its deadline (today). (The first-digit rule needs a few hundred amounts an indicator: the
towns' figures are too few, so it shows in the tests only.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np

from jixiao.collection.models import Value
from jixiao.collection.services import ValueInput, incident_create, incident_decide
from jixiao.datatrust.services import FigureInput, figure_bind, figure_save, figure_value_record
from jixiao.demo.common import Ctx, write_values
from jixiao.demo.county import TOWNS, County
from jixiao.org import services as org
from jixiao.org.models import Category, Unit
from jixiao.planning.services import calendar_save
from jixiao.schemes import services as sch

SCHEME = Path(__file__).parent / "schemes" / "caiyuan.yaml"
ASSESSMENT = "caiyuan-2024"
MONTHS = [f"2024-{m:02d}" for m in range(1, 12)]  # December: only the crafted town has reported
CRAFTED = "beizaoxian"


def _d(x: float) -> Decimal:
    return Decimal(f"{x:.2f}")


def datatrust_demo(ctx: Ctx, county: County, rng: np.random.Generator, today: dt.date) -> None:
    office = ctx.office
    organisation = county.root.organisation
    cat = org.category_create(actor=office.user, code="xzcy", name="乡镇（财源建设专项）", position=4,
                              organisation=organisation)
    objs = {code: org.object_create(actor=office.user, code=f"{code}-cy", name=name, category=cat,
                                    unit=county.units[code]) for code, name in TOWNS}
    version = sch.scheme_create(actor=office.user, code="caiyuan", name="乡镇财源建设专项考核方案",
                                text=SCHEME.read_text(encoding="utf-8"), organisation=organisation)
    sch.scheme_version_adopt(actor=office.user, version=version)
    special = sch.assessment_create(actor=office.user, code=ASSESSMENT, name="正定县2024年度乡镇财源建设专项考核",
                                    year=2024, version=version)
    periods = {p.code: p for p in special.periods.all()}

    czj, tjj = county.units["czj"], county.units["tjj"]
    figures = {
        "czsr": figure_save(actor=office.user, scope=office.scope, data=FigureInput(
            code="czsr", name="全部财政收入", measure="万元", source=czj, amount=True,
            description="乡镇全口径财政收入，县财政局按月报送")),
        "gdzc": figure_save(actor=office.user, scope=office.scope, data=FigureInput(
            code="gdzc", name="固定资产投资", measure="万元", source=tjj, amount=True,
            description="乡镇固定资产投资完成额，县统计局按月报送")),
    }
    for code, figure in figures.items():
        for a in (county.assessment, special):
            figure_bind(actor=office.user, scope=office.scope, figure=figure, assessment=a, indicator=code)

    # Monthly targets (office) and accident counts (office, from the emergency bureau's register).
    level = {code: (float(rng.lognormal(7.0, 0.3)), float(rng.lognormal(8.0, 0.3))) for code, _ in TOWNS}
    for month in [*MONTHS, "2024-12"]:
        rows = []
        for code, _ in TOWNS:
            obj = objs[code].code
            rows += [ValueInput(obj, "czsr", "target", _d(level[code][0])),
                     ValueInput(obj, "gdzc", "target", _d(level[code][1]))]
            if month != "2024-12":
                accidents = 0 if (code, month) == (CRAFTED, "2024-04") else int(rng.integers(1, 4))
                rows.append(ValueInput(obj, "aqsg", "value", Decimal(accidents)))
        write_values(office, periods[month], rows)

    sources = {"czsr": ctx.sessions["czj_tb"], "gdzc": ctx.sessions["tjj_tb"]}
    for month in MONTHS:
        for code, _ in TOWNS:
            for i, fig in enumerate(("czsr", "gdzc")):
                x = level[code][i] * float(rng.normal(1.02, 0.04))
                if code == CRAFTED and month == "2024-06":
                    x = level[code][i]  # exactly at the target
                if code == CRAFTED and fig == "czsr" and month >= "2024-09":
                    x *= 4  # a jump against its own history
                if fig == "gdzc" and month == "2024-03" and code in (CRAFTED, "nanlou", "quyangqiao"):
                    x = 3456.78  # the same precise figure from three towns
                s = sources[fig]
                figure_value_record(actor=s.user, scope=s.scope, figure=figures[fig], unit=county.units[code],
                                    period=month, value=_d(x))

    # 北早现乡: target met exactly in June for the accidents too; an accident recorded in April.
    write_values(office, periods["2024-06"], [ValueInput(objs[CRAFTED].code, "aqsg", "value", Decimal(2))])
    accident = incident_create(actor=office.user, scope=office.scope, period=periods["2024-04"], obj=objs[CRAFTED],
                               indicator="aqkf", item="sg", document="正应急〔2024〕17号",
                               note="4月12日一般生产安全事故一起")
    incident_decide(actor=office.user, scope=office.scope, incident=accident, approve=True)

    # The year-end figures: the annual assessment's revenue, now reported once in the catalogue.
    for code, _ in TOWNS:
        stored = (Value.objects.filter(period=county.periods["2024-end"], object=county.objects[code],
                                       indicator="czsr", variable="value").values_list("value", flat=True).first())
        if stored is not None:
            s = sources["czsr"]
            figure_value_record(actor=s.user, scope=s.scope, figure=figures["czsr"], unit=county.units[code],
                                period="2024-end", value=stored)
    nanniu = Value.objects.get(period=county.periods["2024-end"], object=county.objects["nanniu"], indicator="czsr",
                               variable="value")
    assert nanniu.value is not None
    figure_value_record(actor=office.user, scope=office.scope, figure=figures["czsr"], unit=county.units["nanniu"],
                        period="2024-end", value=nanniu.value + Decimal(120), note="县财政局复核：漏报一笔非税收入")

    # December is due today: only 北早现乡 has reported, in the last hours, after a month's silence.
    calendar_save(actor=office.user, scope=office.scope, period=periods["2024-12"], report_due=today,
                  self_due=None, review_due=None)
    crafted: Unit = county.units[CRAFTED]
    for i, fig in enumerate(("czsr", "gdzc")):
        s = sources[fig]
        figure_value_record(actor=s.user, scope=s.scope, figure=figures[fig], unit=crafted, period="2024-12",
                            value=_d(level[CRAFTED][i] * (4 if fig == "czsr" else 1.01)))
    assert Category.objects.filter(code="xzcy").exists()
