"""An object's explanation ("why this number"), scored on demand for that one object.

An indicator's score, and every node's, depends on its own object's data alone, so scoring the
object's few dozen ledger rows gives the same trace as scoring its whole category, whatever that
category's size; rank and grade, which look across the category, come from the stored result.
This is the one read that scores: everything else reads stored results (:mod:`.selectors`).
"""

from __future__ import annotations

from jixiao.engine.score import score
from jixiao.engine.trace import TraceNode, explain, headline_lines
from jixiao.org.models import AssessedObject
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.dataset import load_dataset
from jixiao.scoring.flags import flag_label
from jixiao.scoring.labels import group_names, period_names
from jixiao.scoring.models import Result


def trace_of(*, assessment: Assessment, obj: AssessedObject,
             stored: Result | None = None) -> tuple[TraceNode | None, list[str]]:
    """The engine's explanation of one object's score, scored from that object's ledger rows now
    (a few dozen rows, whatever the size of its category); the headline's rank and grade are the
    stored result's. ``(None, [])`` when the object is not in the assessment's scheme."""
    catalog = catalog_of(assessment)
    category = catalog.category_of_group(obj.group)
    if category is None:
        return None, []
    categories, only = _with_prerequisites(catalog, category, obj)
    loaded = load_dataset(assessment, catalog, categories, only=only)
    result = score(catalog.compiled, loaded.data)
    if obj.code not in result.objects.index:
        return None, []
    cat = result.category(category).cc.category
    group = "" if stored is None else group_names(catalog, category).get(stored.group, stored.group)
    lines = [] if stored is None else headline_lines(
        cat, name=obj.name, code=obj.code, group=group, total=stored.total, rank=stored.rank,
        group_size=stored.group_size, grade=stored.grade or None, eligible_top=stored.eligible_top,
        flags=())
    periods = period_names(assessment)
    # The flags in words with names (the engine's own words would show the codes in them).
    lines += [f"  ! {label}" for _, label in (flag_label(f, catalog, category, periods)
                                              for f in (stored.flags if stored else []))]
    return explain(result, obj.code, periods), lines


def _with_prerequisites(catalog: Catalog, category: str, obj: AssessedObject) -> tuple[set[str], set[int]]:
    """The categories and objects to score for one object's trace: its category, and each category
    its results depend on (a staff member's eligibility looks at his section's grade) with one
    object there — his own parent where he has one. The engine needs the parent category scored
    to decide eligibility; the trace's numbers are the object's own data alone either way."""
    categories = {category}
    stack = [category]
    while stack:
        for dep in catalog.categories[stack.pop()].depends_on:
            if dep not in categories:
                categories.add(dep)
                stack.append(dep)
    only = {obj.pk}
    ancestors = list(AssessedObject.objects.filter(children=obj).values_list("id", "group", "parent_id"))
    while ancestors and len(ancestors) < MAX_DEPTH:
        parent_of = ancestors[-1][2]
        if parent_of is None:
            break
        ancestors += list(AssessedObject.objects.filter(id=parent_of).values_list("id", "group", "parent_id"))
    for dep in categories - {category}:
        groups = catalog.categories[dep].groups
        mine = [pk for pk, group, _ in ancestors if group in groups]
        if not mine:
            mine = list(AssessedObject.objects.filter(active=True, group__in=groups, category__code=dep)
                        .order_by("code").values_list("id", flat=True)[:1])
        only.update(mine)
    return categories, only


MAX_DEPTH = 4  # government → town/department → section → person
