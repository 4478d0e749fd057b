"""The chain from ex-ante assessment to the adjustment table, through the services, with every
refusal of the issue: a table without an output indicator, a target without a standard or a unit,
an unsupported project's budget, execution above the budget, an unknown project code, the
evaluation of an unapproved project — each a Chinese message naming the field, nothing written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from jixiao.budget import selectors
from jixiao.budget.models import Evaluation, Execution, Indicator, Project
from jixiao.budget.services import (
    ExecutionRow,
    ProjectInput,
    SettingsInput,
    evaluation_external,
    evaluation_recheck,
    exante_save,
    executions_import,
    project_mark,
    project_save,
    settings_save,
    targets_review,
    targets_save,
    unit_scores_feed,
)
from jixiao.collection.models import Value
from jixiao.core.errors import NotAllowed, ServiceError

from .world import TABLE, YEAR, executed, progressed, project_in, scope, self_evaluated

pytestmark = pytest.mark.django_db


def refused(fn: Any, *, field: str | None = None, says: str = "") -> ServiceError:
    with pytest.raises(ServiceError) as e:
        fn()
    assert e.value.message and all(ord(ch) < 128 for ch in e.value.message) is False  # Chinese
    if field is not None:
        assert e.value.field == field, e.value.field
    assert says in e.value.message, e.value.message
    return e.value


def test_target_table_refusals_name_the_field(cast: Any) -> None:
    p = project_in(cast, "draft")
    rep = scope(cast.reporter)
    no_output = [r for r in TABLE if r.part != Indicator.Part.OUTPUT]
    refused(lambda: targets_save(actor=cast.reporter, scope=rep, project=p, rows=no_output), field="rows",
            says="产出指标")
    bad_std = [dataclasses.replace(TABLE[0], standard=""), *TABLE[1:]]
    refused(lambda: targets_save(actor=cast.reporter, scope=rep, project=p, rows=bad_std), field="standard_0",
            says="指标标准")
    bad_unit = [TABLE[0], dataclasses.replace(TABLE[1], unit=" "), *TABLE[2:]]
    refused(lambda: targets_save(actor=cast.reporter, scope=rep, project=p, rows=bad_unit), field="unit_1",
            says="计量单位")
    assert not Indicator.objects.filter(project=p).exists()
    # The finance bureau does not fill a unit's table for it? It may; a stranger may not.
    with pytest.raises(NotAllowed):
        targets_save(actor=cast.stats, scope=scope(cast.stats), project=p, rows=TABLE)
    west = ProjectInput(code="W1", name="西镇项目", unit=cast.west, year=YEAR, amount=Decimal(1),
                        start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31))
    wp = project_save(actor=cast.office, scope=scope(cast.office), data=west)
    with pytest.raises(NotAllowed):  # 东镇's reporter cannot take 西镇's project over
        project_save(actor=cast.reporter, scope=rep, project=wp, data=dataclasses.replace(west, unit=cast.east))


def test_unsupported_project_cannot_get_its_budget(cast: Any) -> None:
    p = project_in(cast, "submitted")
    off = scope(cast.office)
    refused(lambda: targets_review(actor=cast.office, scope=off, project=p, approve=True), field="decision",
            says="尚未开展事前绩效评估")
    refused(lambda: exante_save(actor=cast.office, scope=off, project=p, opinion="reject", scores={
        "necessity": Decimal(5), "economy": Decimal(5), "targets": Decimal(5), "feasibility": Decimal(5),
        "compliance": Decimal(5)}), field="comment")
    refused(lambda: exante_save(actor=cast.office, scope=off, project=p, opinion="support", scores={
        "necessity": Decimal(26)}), field="c_necessity", says="0 到 25")
    exante_save(actor=cast.office, scope=off, project=p, opinion="reject", comment="立项依据不足", scores={
        "necessity": Decimal(5), "economy": Decimal(5), "targets": Decimal(5), "feasibility": Decimal(5),
        "compliance": Decimal(5)})
    refused(lambda: targets_review(actor=cast.office, scope=off, project=p, approve=True), says="不予支持")
    p.refresh_from_db()
    assert p.state == Project.State.SUBMITTED and not p.budget_entered
    # Returned with comments, the unit edits and resubmits.
    refused(lambda: targets_review(actor=cast.office, scope=off, project=p, approve=False), field="comment")
    targets_review(actor=cast.office, scope=off, project=p, approve=False, comment="成本指标偏高")
    p.refresh_from_db()
    assert p.state == Project.State.RETURNED and p.review_comment == "成本指标偏高"
    with pytest.raises(NotAllowed):
        targets_review(actor=cast.reporter, scope=scope(cast.reporter), project=p, approve=True)


def test_execution_import_refusals_write_nothing(cast: Any) -> None:
    p = project_in(cast, "approved")
    draft = project_in(cast, "draft", code="P002")
    off = scope(cast.office)
    org = p.organisation_id

    def imp(*rows: ExecutionRow) -> Any:
        return lambda: executions_import(actor=cast.office, scope=off, organisation_id=org, year=YEAR, rows=rows)

    june = dt.date(YEAR, 6, 30)
    ok = ExecutionRow(2, "P001", june, Decimal("100.00"))
    refused(imp(ok, ExecutionRow(3, "NOPE", june, Decimal(1))), field="file", says="第 3 行“项目编码”列")
    refused(imp(ok, ExecutionRow(3, "P001", dt.date(YEAR, 7, 31), Decimal("1000000.01"))), says="超过项目 P001 的预算")
    refused(imp(ExecutionRow(2, draft.code, june, Decimal(1))), says="预算尚未录入")
    refused(imp(ok, ExecutionRow(3, "P001", june, Decimal(2))), says="与第 2 行重复")
    assert not Execution.objects.exists()
    with pytest.raises(NotAllowed):
        executions_import(actor=cast.reporter, scope=scope(cast.reporter), organisation_id=org, year=YEAR,
                          rows=[ok])


def test_evaluation_of_unapproved_project_refused(cast: Any) -> None:
    p = project_in(cast, "submitted")
    refused(lambda: self_evaluated(cast, p, ["20", "48", "12500", "92"]), says="尚未批复")
    assert not Evaluation.objects.exists()


def test_chain_to_adjustment_table(cast: Any) -> None:
    off = scope(cast.office)
    good = project_in(cast, "approved", code="P001")
    weak = project_in(cast, "approved", code="P002")
    executed(cast, good, "950000.00", dt.date(YEAR, 12, 31))
    executed(cast, weak, "300000.00", dt.date(YEAR, 12, 31))
    progressed(cast, weak, ["4", "60", "2000", "70"])
    rows = {r.project.code: r for r in selectors.board(off, YEAR, dt.date(YEAR, 12, 31))}
    assert rows["P002"].light == "red" and rows["P001"].light == "green"
    project_mark(actor=cast.office, scope=off, project=weak, mark="correct", note="限期整改")
    e1 = self_evaluated(cast, good, ["20", "48", "12500", "92"])
    assert e1.score == Decimal("99.50") and e1.grade == "优"  # execution 9.5 of 10, everything else met
    e2 = self_evaluated(cast, weak, ["5", "70", "3000", "60"])
    assert e2.grade == "差"
    inds = list(Indicator.objects.filter(project=weak))
    r = evaluation_recheck(actor=cast.office, scope=off, project=weak,
                           actuals={i.pk: Decimal(v) for i, v in zip(inds, ["4", "70", "3000", "60"], strict=True)})
    assert r.score < e2.score
    refused(lambda: self_evaluated(cast, weak, ["20", "48", "12500", "92"]), says="已经财政复核")
    evaluation_external(actor=cast.office, scope=off, project=good, score=Decimal("88.5"), evaluator="某会计师事务所",
                        report="绩效目标基本实现")
    table = {x.project.code: x for x in selectors.results(off, YEAR)}
    assert table["P001"].final is not None and table["P001"].final.kind == "external"
    assert table["P001"].proposed == Decimal("1000000.00")
    assert table["P002"].gap == r.score - e2.score
    assert table["P002"].proposed == Decimal("900000.00")  # 差: cut by the default 10 %
    # The unit's budget-performance score goes into the annual assessment's ledger.
    settings_save(actor=cast.office, scope=off, organisation_id=good.organisation_id, year=YEAR, data=SettingsInput(
        warn_gap=Decimal("0.1"), red_gap=Decimal("0.25"), execution_points=Decimal(10), output_points=Decimal(50),
        effect_points=Decimal(30), satisfaction_points=Decimal(10), grade_excellent=Decimal(90),
        grade_good=Decimal(80), grade_fair=Decimal(60), recheck_share=Decimal("0.5"), cut_share=Decimal("0.2"),
        assessment=cast.assessment, period=cast.q1, indicator="gdp"))
    table = {x.project.code: x for x in selectors.results(off, YEAR)}
    assert table["P002"].proposed == Decimal("800000.00")
    n = unit_scores_feed(actor=cast.office, scope=off, organisation_id=good.organisation_id, year=YEAR,
                         scores=selectors.unit_scores(list(table.values())))
    assert n == 1
    v = Value.objects.get(object=cast.east_obj, indicator="gdp", period=cast.q1)
    expected = ((Decimal("88.5") * 1000000 + r.score * 1000000) / 2000000).quantize(Decimal("0.01"),
                                                                                     rounding=ROUND_HALF_UP)
    assert v.value == expected
    assert selectors.recheck_sample(off, YEAR, seed=1) == selectors.recheck_sample(off, YEAR, seed=1)
    assert len(selectors.recheck_sample(off, YEAR, seed=1)) == 1
