"""Every read of budget performance management, scoped to the current organisation: the finance
bureau (the office) sees every unit's projects, a unit's reporter and head their unit's, a leader
the units he oversees. The board's lights are computed column-wise (:mod:`jixiao.budget.rules`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt
from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from jixiao.budget import rules
from jixiao.budget.models import Evaluation, Execution, Indicator, LibraryIndicator, Monitoring, Project
from jixiao.budget.rules import F64
from jixiao.budget.services.common import bands_of, settings_of, thresholds_of
from jixiao.org.models import Unit
from jixiao.org.scoping import Scope, for_org, in_org
from jixiao.schemes.models import Assessment


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


@dataclass
class Lights:
    """Every lit project's light as columns (index k is the k-th of ``ids``)."""

    ids: list[int]
    codes: npt.NDArray[np.int8]
    gap: F64
    paid: F64  # NaN: no execution reported yet
    budget: F64
    completion: F64
    elapsed: F64


def lights(scope: Scope, year: int, at: dt.date, *, unit_id: int | None = None) -> Lights:
    """The light of every visible budget-entered project at the checkpoint ``at``, column-wise:
    the amount paid at its latest checkpoint up to ``at``, the mean completion of its reported
    progress, the share of its period gone. Three queries whatever the number of projects, each
    reading plain columns (amounts cast to floats in SQL: the lights compare ratios, never add
    money), so 10,000 projects take a fraction of a second."""
    qs = projects_visible(scope, year).filter(budget_entered=True)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    head = list(qs.order_by("unit__position", "code").values_list(
        "pk", Cast("amount", FloatField()), "start", "end"))
    n = len(head)
    ids = [h[0] for h in head]
    index = {pk: k for k, pk in enumerate(ids)}
    paid = np.full(n, np.nan)
    if n:
        th = thresholds_of(settings_of(scope.organisation_id or 0, year))
        ex = Execution.objects.filter(project__in=qs, month__lte=at).order_by("project_id", "month")
        for pid, v in ex.values_list("project_id", Cast("paid", FloatField())):
            paid[index[pid]] = v  # ordered by month: the last one stays
        rows = list(Indicator.objects.filter(project__in=qs).values_list(
            "project_id", Cast("progress", FloatField()), Cast("target", FloatField()), "direction"))
    else:
        th, rows = thresholds_of(settings_of(0, year)), []
    owner = np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=len(rows))
    value = np.fromiter((np.nan if r[1] is None else r[1] for r in rows), dtype=np.float64, count=len(rows))
    target = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    lower = np.fromiter((r[3] == Indicator.Direction.LOWER for r in rows), dtype=np.bool_, count=len(rows))
    comp = rules.completion_means(owner, value, target, lower, n)
    budget = np.fromiter((h[1] for h in head), dtype=np.float64, count=n)
    start = np.fromiter((h[2].toordinal() for h in head), dtype=np.float64, count=n)
    end = np.fromiter((h[3].toordinal() for h in head), dtype=np.float64, count=n)
    elapsed = rules.elapsed_shares(start, end, float(at.toordinal()))
    codes, gap = rules.lights(budget=budget, paid=paid, completion=comp, elapsed=elapsed, th=th)
    return Lights(ids=ids, codes=codes, gap=gap, paid=paid, budget=budget, completion=comp, elapsed=elapsed)


def _num(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def board(scope: Scope, year: int, at: dt.date, *, unit_id: int | None = None) -> list[BoardRow]:
    """The board's rows: :func:`lights` with each project's record (one more query)."""
    lit = lights(scope, year, at, unit_id=unit_id)
    projects = Project.objects.select_related("unit").in_bulk(lit.ids)
    out = []
    for k, pk in enumerate(lit.ids):
        paid = _num(lit.paid[k])
        rate = paid / lit.budget[k] if paid is not None and lit.budget[k] > 0 else None
        out.append(BoardRow(project=projects[pk], paid=None if paid is None else Decimal(f"{paid:.2f}"), rate=rate,
                            completion=_num(lit.completion[k]), elapsed=float(lit.elapsed[k]),
                            light=rules.LIGHT_NAMES[int(lit.codes[k])], gap=_num(lit.gap[k])))
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


def library_search(organisation_id: int, q: str = "", *, sector: str = "") -> QuerySet[LibraryIndicator]:
    """The organisation's indicator library (指标库), filtered by a word of the name or the sector
    (or, without a word, by the project's sector when given)."""
    lib = LibraryIndicator.objects.filter(organisation_id=organisation_id)
    if q:
        lib = lib.filter(Q(name__icontains=q) | Q(sector__icontains=q))
    elif sector:
        lib = lib.filter(sector=sector)
    return lib


def library_item(organisation_id: int, pk: int) -> LibraryIndicator | None:
    return LibraryIndicator.objects.filter(organisation_id=organisation_id, pk=pk).first()


def unit_in_scope(scope: Scope, pk: int) -> Unit | None:
    """A unit of the current organisation the scope sees; None otherwise."""
    u = for_org(Unit.objects.all(), scope).filter(pk=pk).first()
    return u if u is not None and scope.sees_unit(u.pk) else None


def indicators_by_project(projects: list[Project]) -> dict[int, list[Indicator]]:
    out: dict[int, list[Indicator]] = defaultdict(list)
    for i in Indicator.objects.filter(project__in=projects):
        out[i.project_id].append(i)
    return out


def assessments_for_feed(scope: Scope) -> dict[str, Assessment]:
    """The organisation's assessments a unit's budget-performance score may be written into."""
    return {str(a.pk): a for a in for_org(Assessment.objects.all(), scope)}
