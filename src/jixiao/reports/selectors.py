"""Reads for the official tables: stored results as :class:`~jixiao.reports.tables.Entry` rows,
scoped, in a constant number of queries; the handbook's per-period component scores from the
engine (they are not stored)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jixiao.org.models import Category, Person
from jixiao.org.scoping import Scope
from jixiao.reports.tables import Context, Entry
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import periods_of
from jixiao.scoring.flags import flag_label
from jixiao.scoring.models import Result
from jixiao.scoring.seals import results_check
from jixiao.scoring.selectors import results_for, stored_scores


@dataclass(frozen=True)
class CategoryRef:
    """A category of an assessment as the reports list it: scheme code and name, and whether its
    objects are people (org ``Category.subject``)."""

    code: str
    name: str
    person: bool


def categories_of(catalog: Catalog) -> list[CategoryRef]:
    """The assessment's categories in scheme order (one query for their subjects)."""
    codes = list(catalog.categories)
    subjects = dict(Category.objects.filter(code__in=codes).values_list("code", "subject"))
    return [CategoryRef(code=c.code, name=c.name, person=subjects.get(c.code) == Category.Subject.PERSON)
            for c in catalog.categories.values()]


def results_at_words(assessment: Assessment) -> str:
    at = assessment.results_at
    return timezone.localtime(at).strftime("%Y年%m月%d日 %H:%M") if at else ""


def context_for(assessment: Assessment, catalog: Catalog, ref: CategoryRef) -> Context:
    return Context(assessment=assessment.name, category=catalog.scheme.category(ref.code), category_name=ref.name,
                   person=ref.person, results_at=results_at_words(assessment),
                   decimals=catalog.scheme.rounding.decimals)


def _by_units(qs: QuerySet[Result], scope: Scope) -> QuerySet[Result]:
    """Only the objects of the units the user sees in full: the official tables of a category are
    the office's, a leader's and a unit's, never a staff member's own row."""
    units = scope.view_units
    return qs if units is None else qs.filter(object__unit_id__in=units)


def visible_counts(*, scope: Scope, units_only: bool) -> dict[tuple[int, str], int]:
    """Per (assessment id, category) the number of results the user may see (one query)."""
    qs = Result.objects.all()
    units = scope.view_units
    if units is not None:
        if units_only or scope.person_id is None:
            qs = qs.filter(object__unit_id__in=units)
        else:
            qs = qs.filter(Q(object__unit_id__in=units) | Q(object__person_id=scope.person_id))
    rows = qs.values_list("assessment_id", "category").annotate(n=Count("id")).order_by()
    return {(a, c): n for a, c, n in rows}


def _group_labels(results: Sequence[Result]) -> dict[str, str]:
    """A ranking group in words when all its objects are people of one level (中层副职, 一般人员);
    the group code otherwise (groups have no names of their own)."""
    levels: dict[str, set[str | None]] = {}
    for r in results:
        person = r.object.person
        levels.setdefault(r.group, set()).add(person.level if person is not None else None)
    labels = dict(Person.Level.choices)
    out = {}
    for g, ls in levels.items():
        level = next(iter(ls)) if len(ls) == 1 else None
        out[g] = str(labels[level]) if level is not None else g
    return out


def entries_for(*, scope: Scope, assessment: Assessment, catalog: Catalog, category: str,
                units_only: bool = True) -> list[Entry]:
    """A category's stored results as table rows, ordered by group then rank; scoped (with
    ``units_only`` to the units the user sees, else also the user's own result). One query."""
    qs = results_for(scope=scope, assessment=assessment, category=category).select_related("object__person")
    if units_only:
        qs = _by_units(qs, scope)
    results = list(qs)
    results_check(results)  # rewards, summaries and archives rest on sealed results only
    labels = _group_labels(results)
    return [Entry(name=r.object.name, unit=r.object.unit.name, group=r.group, total=r.total, rank=r.rank,
                  group_size=r.group_size, grade=r.grade, vetoed=r.vetoed,
                  flags=tuple((f, flag_label(f, catalog, category)[1]) for f in r.flags),
                  components=r.components, periods=r.periods, group_label=labels.get(r.group, r.group),
                  object_code=r.object.code)
            for r in results]


def period_names(assessment: Assessment) -> list[tuple[str, str]]:
    """(code, name) of the assessment's periods in order (one query)."""
    return list(periods_of(assessment).values_list("code", "name"))


def with_period_components(assessment: Assessment, catalog: Catalog,
                           entries: dict[str, list[Entry]]) -> dict[str, list[Entry]]:
    """The entries (per category) with each period's component scores: the scores of the root's
    children per period, read from the stored node scores (never re-scored from the ledger)."""
    out: dict[str, list[Entry]] = {}
    for code, es in entries.items():
        arrays = stored_scores(assessment=assessment, category=code, catalog=catalog) if es else None
        if arrays is None:
            out[code] = es
            continue
        periods = arrays.periods
        comps = [arrays.cc.nodes[i] for i in arrays.cc.root.children]
        table = {n.code: arrays.per_period[n.index] for n in comps}  # (period, object) each
        filled = []
        for e in es:
            local = arrays.index.get(e.object_code)
            if local is None:
                filled.append(e)
                continue
            per = {p: {c: _num(float(a[pi, local])) for c, a in table.items()} for pi, p in enumerate(periods)}
            filled.append(replace(e, period_components=per))
        out[code] = filled
    return out


def _num(x: float) -> float | None:
    return None if x != x else x  # NaN (no data that period) → None
