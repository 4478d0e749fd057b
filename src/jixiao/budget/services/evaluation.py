"""Performance evaluation (绩效评价): the budget unit's year-end self-evaluation scored by the
engine on the scoring scheme (:mod:`jixiao.budget.evalscore`), the finance bureau's re-check whose
score replaces the self-score, and external evaluations of key projects."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.budget import evalscore, rules
from jixiao.budget.models import Evaluation, Execution, Indicator, Project
from jixiao.budget.services.common import bands_of, require_finance, require_unit, settings_of, weights_of
from jixiao.core.errors import ServiceError
from jixiao.org.scoping import Scope

K = Evaluation.Kind


def paid_of(project: Project) -> Decimal:
    """The amount paid at the project's last checkpoint (0 without any)."""
    last = Execution.objects.filter(project=project).order_by("-month").values_list("paid", flat=True).first()
    return last if last is not None else Decimal(0)


def facts_of(inds: list[Indicator], actuals: Mapping[int, Decimal | None]) -> list[evalscore.IndicatorFact]:
    return [evalscore.IndicatorFact(part=i.part, target=i.target, actual=actuals.get(i.pk),
                                    lower_is_better=i.direction == Indicator.Direction.LOWER) for i in inds]


def _scored(project: Project, actuals: Mapping[int, Decimal | None], kind: str) -> tuple[
        evalscore.Scored, list[Indicator], Decimal]:
    if project.state != Project.State.APPROVED:
        raise ServiceError(f"项目 {project.code} 的绩效目标尚未批复，不能开展绩效评价", field="actuals")
    inds = list(Indicator.objects.filter(project=project))
    for i in inds:
        v = actuals.get(i.pk)
        if v is None:
            raise ServiceError(f"请填写“{i.name}”的实际完成值", field=f"a_{i.pk}")
        if v < 0:
            raise ServiceError(f"“{i.name}”的实际完成值不能为负数", field=f"a_{i.pk}")
    paid = paid_of(project)
    s = settings_of(project.organisation_id, project.year)
    return evalscore.evaluate(facts_of(inds, actuals), budget=project.amount, paid=paid, weights=weights_of(s)), \
        inds, paid


def _store(*, actor: Actor, project: Project, kind: str, scored: evalscore.Scored,
           actuals: Mapping[int, Decimal | None], paid: Decimal | None, evaluator: str = "",
           report: str = "") -> Evaluation:
    s = settings_of(project.organisation_id, project.year)
    grade = rules.grade_of(scored.total, bands_of(s))
    found = Evaluation.objects.filter(project=project, kind=kind).first()
    before = {"score": str(found.score), "grade": found.grade} if found else None
    e, _ = Evaluation.objects.update_or_create(project=project, kind=kind, defaults={
        "score": scored.total, "grade": grade, "parts": {k: str(v) for k, v in scored.parts.items()},
        "actuals": {str(k): str(v) for k, v in actuals.items() if v is not None}, "paid": paid,
        "evaluator": evaluator.strip()[:100], "report": report.strip(), "created_by": user_of(actor)})
    audit_record(actor=actor, action=f"budget.evaluation_{kind}", instance=e, before=before,
                 after={"score": str(e.score), "grade": grade},
                 summary=f"{e.get_kind_display()} {project.code}：{e.score} 分（{grade}）")
    return e


@transaction.atomic
def evaluation_self(*, actor: Actor, scope: Scope, project: Project,
                    actuals: Mapping[int, Decimal | None]) -> Evaluation:
    """单位自评: every indicator's year-end actual; the engine scores it with the year's execution."""
    require_unit(scope, project, "开展绩效自评")
    if Evaluation.objects.filter(project=project, kind=K.RECHECK).exists():
        raise ServiceError(f"项目 {project.code} 的自评已经财政复核，不能再修改", field="actuals")
    scored, inds, paid = _scored(project, actuals, K.SELF)
    for i in inds:
        i.actual = actuals.get(i.pk)
    Indicator.objects.bulk_update(inds, ["actual"])
    return _store(actor=actor, project=project, kind=K.SELF, scored=scored, actuals=actuals, paid=paid)


@transaction.atomic
def evaluation_recheck(*, actor: Actor, scope: Scope, project: Project, actuals: Mapping[int, Decimal | None],
                       report: str = "") -> Evaluation:
    """财政复核: the finance bureau re-scores a self-evaluation from the actuals it verified; its
    score replaces the self-score (the gap is reported beside it)."""
    require_finance(scope, project.organisation_id, "复核绩效自评")
    if not Evaluation.objects.filter(project=project, kind=K.SELF).exists():
        raise ServiceError(f"项目 {project.code} 尚未完成绩效自评，不能复核", field="actuals")
    scored, _inds, paid = _scored(project, actuals, K.RECHECK)
    return _store(actor=actor, project=project, kind=K.RECHECK, scored=scored, actuals=actuals, paid=paid,
                  evaluator="财政部门", report=report)


@transaction.atomic
def evaluation_external(*, actor: Actor, scope: Scope, project: Project, score: Decimal | None, evaluator: str,
                        report: str) -> Evaluation:
    """第三方评价: the score and report of an external evaluation of a key project."""
    require_finance(scope, project.organisation_id, "登记第三方评价")
    if project.state != Project.State.APPROVED:
        raise ServiceError(f"项目 {project.code} 的绩效目标尚未批复，不能开展绩效评价", field="score")
    if score is None or score < 0 or score > 100:
        raise ServiceError("评价得分须在 0 到 100 之间", field="score")
    if not evaluator.strip():
        raise ServiceError("请填写评价机构", field="evaluator")
    if not report.strip():
        raise ServiceError("请填写评价报告摘要", field="report")
    scored = evalscore.Scored(total=score.quantize(Decimal("0.01")), parts={})
    return _store(actor=actor, project=project, kind=K.EXTERNAL, scored=scored, actuals={}, paid=None,
                  evaluator=evaluator, report=report)
