"""Every read of budget performance management, scoped to the current organisation: the finance
bureau (the office) sees every unit's projects, a unit's reporter and head their unit's, a leader
the units he oversees. The board's lights are computed column-wise (:mod:`jixiao.budget.rules`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet
from django.http import Http404

from jixiao.budget import rules
from jixiao.budget.models import Evaluation, Execution, Indicator, Monitoring, Project
from jixiao.budget.services.common import bands_of, settings_of, thresholds_of
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, for_org, in_org


def projects_visible(scope: Scope, year: int | None = None) -> QuerySet[Project]:
    qs = for_org(Project.objects.select_related("unit"), scope)
    units = scope.view_units
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def project_get(scope: Scope, pk: int) -> Project:
    p = projects_visible(scope).select_related("exante").filter(pk=pk).first()
    if p is None:
        raise Http404("没有这个项目")
    return p


def years_of(scope: Scope) -> list[int]:
    return sorted(set(projects_visible(scope).values_list("year", flat=True)), reverse=True)


def units_for_entry(scope: Scope) -> list[Unit]:
    """The budget units the user may enter projects for: every unit for the finance bureau, his own
    unit's subtree for a reporter or head."""
    qs = for_org(Unit.objects.all(), scope)
    if not scope.office:
        qs = qs.filter(pk__in=scope.report_units | scope.head_units)
    return list(qs.order_by("level", "position", "code"))


@dataclass
class BoardRow:
    """One project on the monitoring board (双监控)."""

    project: Project
    paid: Decimal | None
    rate: float | None  # execution rate 0–1
    completion: float | None
    elapsed: float
    light: str
    gap: float | None


def board(scope: Scope, year: int, at: dt.date, *, unit_id: int | None = None) -> list[BoardRow]:
    """Every visible budget-entered project's light at the checkpoint ``at``: the amount paid at
    its latest checkpoint up to ``at``, the mean completion of its reported progress, the share
    of its period gone. Three queries whatever the number of projects."""
    qs = projects_visible(scope, year).filter(budget_entered=True)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    projects = list(qs.order_by("unit__position", "code"))
    if not projects:
        return []
    index = {p.pk: k for k, p in enumerate(projects)}
    n = len(projects)
    paid = np.full(n, np.nan)
    paid_dec: dict[int, Decimal] = {}
    for pid, paid_v in (Execution.objects.filter(project_id__in=index, month__lte=at)
                        .order_by("project_id", "month").values_list("project_id", "paid")):
        paid[index[pid]] = float(paid_v)  # ordered by month: the last one stays
        paid_dec[pid] = paid_v
    rows = list(Indicator.objects.filter(project_id__in=index).values_list("project_id", "progress", "target",
                                                                           "direction"))
    owner = np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    value = np.fromiter((float(r[1]) if r[1] is not None else np.nan for r in rows), dtype=np.float64,
                        count=len(rows))
    target = np.fromiter((float(r[2]) for r in rows), dtype=np.float64, count=len(rows))
    lower = np.fromiter((r[3] == Indicator.Direction.LOWER for r in rows), dtype=np.bool_, count=len(rows))
    comp = rules.completion_means(owner, value, target, lower, n)
    budget = np.array([float(p.amount) for p in projects])
    elapsed = np.array([rules.elapsed_share(p.start, p.end, at) for p in projects])
    th = thresholds_of(settings_of(projects[0].organisation_id, year))
    codes, gap = rules.lights(budget=budget, paid=paid, completion=comp, elapsed=elapsed, th=th)
    out = []
    for k, p in enumerate(projects):
        rate = paid[k] / budget[k] if not np.isnan(paid[k]) and budget[k] > 0 else None
        out.append(BoardRow(project=p, paid=paid_dec.get(p.pk), rate=None if rate is None else float(rate),
                            completion=None if np.isnan(comp[k]) else float(comp[k]), elapsed=float(elapsed[k]),
                            light=rules.LIGHT_NAMES[int(codes[k])],
                            gap=None if np.isnan(gap[k]) else float(gap[k])))
    return out


def project_indicators(project: Project) -> list[Indicator]:
    return list(Indicator.objects.filter(project=project))


def project_history(project: Project) -> list[tuple[dt.date, Decimal, Monitoring | None]]:
    """The project's checkpoints: amount paid and the monitoring record of each."""
    notes = {m.month: m for m in Monitoring.objects.filter(project=project)}
    return [(e.month, e.paid, notes.get(e.month)) for e in Execution.objects.filter(project=project)]


def evaluations_of(project: Project) -> dict[str, Evaluation]:
    return {e.kind: e for e in Evaluation.objects.filter(project=project)}


def final_of(evals: dict[str, Evaluation]) -> Evaluation | None:
    """The evaluation that counts: an external one, else the finance bureau's re-check, else the
    unit's self-evaluation."""
    for k in (Evaluation.Kind.EXTERNAL, Evaluation.Kind.RECHECK, Evaluation.Kind.SELF):
        if k in evals:
            return evals[k]
    return None


@dataclass
class ResultRow:
    """One project's evaluation results and next year's proposed control figure."""

    project: Project
    evals: dict[str, Evaluation] = field(default_factory=dict)
    final: Evaluation | None = None
    proposed: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        """The re-check's score minus the self-score (复核差异)."""
        s, r = self.evals.get("self"), self.evals.get("recheck")
        return r.score - s.score if s and r else None

    @property
    def change(self) -> Decimal | None:
        return self.proposed - self.project.amount if self.proposed is not None else None


def results(scope: Scope, year: int) -> list[ResultRow]:
    """Every visible approved project's evaluations (two queries) with the adjustment proposed
    from its final grade: 差 cut by the settings' share, others unchanged."""
    projects = list(projects_visible(scope, year).filter(state=Project.State.APPROVED).order_by("unit__position",
                                                                                               "code"))
    by: dict[int, dict[str, Evaluation]] = defaultdict(dict)
    for e in Evaluation.objects.filter(project__in=projects):
        by[e.project_id][e.kind] = e
    out = []
    cut = settings_of(scope.organisation_id or 0, year).cut_share
    for p in projects:
        evals = by.get(p.pk, {})
        final = final_of(evals)
        proposed = rules.control_figure(p.amount, final.grade, cut_share=cut) if final else None
        out.append(ResultRow(project=p, evals=evals, final=final, proposed=proposed))
    return out


def unit_scores(rows: list[ResultRow]) -> dict[int, list[tuple[Decimal, Decimal]]]:
    """Each unit's (final score, amount) pairs, for its weighted budget-performance score."""
    out: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for r in rows:
        if r.final is not None:
            out[r.project.unit_id].append((r.final.score, r.project.amount))
    return dict(out)


def recheck_sample(scope: Scope, year: int, seed: int) -> list[str]:
    """The self-evaluated projects the finance bureau re-checks this year (codes), drawn with a seed."""
    codes = list(projects_visible(scope, year).filter(evaluations__kind=Evaluation.Kind.SELF)
                 .values_list("code", flat=True))
    return rules.sample(codes, settings_of(scope.organisation_id or 0, year).recheck_share, seed=seed)


def grade_distribution(rows: list[ResultRow]) -> dict[str, int]:
    c = Counter(r.final.grade for r in rows if r.final)
    return {g: c.get(g, 0) for g in rules.GRADES}


def grade_for(scope: Scope, year: int, score: Decimal) -> str:
    return rules.grade_of(score, bands_of(settings_of(scope.organisation_id or 0, year)))


def in_scope(scope: Scope, p: Project) -> bool:
    return in_org(scope, p.organisation_id) and scope.sees_unit(p.unit_id)
