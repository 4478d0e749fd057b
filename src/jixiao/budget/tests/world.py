"""The budget tests' records, built through the services on the shared cast: the county's office is
the finance bureau, 东镇 a budget unit whose reporter fills its projects' target tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from jixiao.budget.models import Indicator, Project
from jixiao.budget.services import (
    ExecutionRow,
    IndicatorInput,
    ProjectInput,
    evaluation_self,
    exante_save,
    executions_import,
    progress_save,
    project_save,
    targets_review,
    targets_save,
)
from jixiao.org.selectors import scope_for_user

YEAR = 2025
Ind = Indicator
TABLE = [
    IndicatorInput(Ind.Part.OUTPUT, Ind.Sub.QUANTITY, "新改建农村公路里程", Ind.Standard.PLAN, Decimal(20), "公里"),
    IndicatorInput(Ind.Part.OUTPUT, Ind.Sub.COST, "每公里建设成本", Ind.Standard.INDUSTRY, Decimal(50), "万元",
                   Ind.Direction.LOWER),
    IndicatorInput(Ind.Part.EFFECT, Ind.Sub.SOCIAL, "受益群众人数", Ind.Standard.HISTORY, Decimal(12000), "人"),
    IndicatorInput(Ind.Part.SATISFACTION, Ind.Sub.SATISFACTION, "群众满意度", Ind.Standard.PLAN, Decimal(90), "%"),
]


def scope(user: Any) -> Any:
    return scope_for_user(user)


def new_project(cast: Any, code: str = "P001", amount: str = "1000000.00") -> Project:
    return project_save(actor=cast.reporter, scope=scope(cast.reporter), data=ProjectInput(
        code=code, name="东镇农村公路提质改造", unit=cast.east, year=YEAR, amount=Decimal(amount),
        start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31), sector="交通运输", section="交通办"))


def project_in(cast: Any, state: str, code: str = "P001", opinion: str = "support") -> Project:
    """A project of 东镇 brought to ``state``: draft, submitted, approved (with its ex-ante)."""
    p = new_project(cast, code)
    rep, off = scope(cast.reporter), scope(cast.office)
    if state == "draft":
        return p
    targets_save(actor=cast.reporter, scope=rep, project=p, rows=TABLE, submit=True)
    if state == "submitted":
        return Project.objects.get(pk=p.pk)
    exante_save(actor=cast.office, scope=off, project=p, opinion=opinion, comment="同意",
                scores={"necessity": Decimal(22), "economy": Decimal(18), "targets": Decimal(17),
                        "feasibility": Decimal(18), "compliance": Decimal(14)})
    return targets_review(actor=cast.office, scope=off, project=p, approve=True, comment="同意")


def executed(cast: Any, p: Project, paid: str, month: dt.date = dt.date(YEAR, 6, 30)) -> None:
    executions_import(actor=cast.office, scope=scope(cast.office), organisation_id=p.organisation_id, year=YEAR,
                      rows=[ExecutionRow(2, p.code, month, Decimal(paid))])


def progressed(cast: Any, p: Project, values: list[str]) -> None:
    inds = list(Indicator.objects.filter(project=p))
    progress_save(actor=cast.reporter, scope=scope(cast.reporter), project=p,
                  values={i.pk: Decimal(v) for i, v in zip(inds, values, strict=True)})


def self_evaluated(cast: Any, p: Project, values: list[str]) -> Any:
    inds = list(Indicator.objects.filter(project=p))
    return evaluation_self(actor=cast.reporter, scope=scope(cast.reporter), project=p,
                           actuals={i.pk: Decimal(v) for i, v in zip(inds, values, strict=True)})
