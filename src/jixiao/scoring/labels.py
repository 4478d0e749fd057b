"""Names for the codes a result carries (periods, ranking groups, data items), for the pages
and exports: a clerk reads "2024年上半年" and "一般人员", never ``2024-mid`` or ``yiban``."""

from __future__ import annotations

from jixiao.org.models import AssessedObject, Person
from jixiao.schemes.catalog import VARIABLE_LABELS, Catalog
from jixiao.schemes.models import Assessment


def period_names(assessment: Assessment) -> dict[str, str]:
    """Period code → the period's name (its code where it has none)."""
    return {code: name or code for code, name in assessment.periods.values_list("code", "name")}


def group_names(catalog: Catalog, category: str) -> dict[str, str]:
    """Ranking group code → its name. A scheme names its categories, not their ranking groups: a
    category ranked as one group is called by the category's name; a group of people of one
    position level (中层副职, 一般人员) by that level; any other group keeps its code."""
    info = catalog.categories.get(category)
    if info is None:
        return {}
    if len(info.groups) == 1:
        return {info.groups[0]: info.name}
    levels: dict[str, set[str | None]] = {}
    # By the category (its code is the organisation's own): another organisation's scheme may
    # use the same group codes.
    for group, level in (AssessedObject.objects.filter(group__in=info.groups, category__code=category)
                         .values_list("group", "person__level").distinct()):
        levels.setdefault(group, set()).add(level)
    label = dict(Person.Level.choices)
    out = {}
    for group in info.groups:
        seen = levels.get(group, set())
        only = next(iter(seen)) if len(seen) == 1 else None
        out[group] = str(label[only]) if only in label else (info.name if group == category else group)
    return out


def variable_name(variable: str) -> str:
    """A value's variable (``target``, ``due``…) as on the reporting form (目标值, 应办结件数…)."""
    return VARIABLE_LABELS.get(variable, variable)


def item_names(catalog: Catalog, category: str | None) -> dict[tuple[str, str], str]:
    """(indicator, item code) → the item's name, for the incidents (加减分事项) of a category."""
    info = catalog.categories.get(category or "")
    if info is None:
        return {}
    return {(lf.code, it.code): it.name or it.code for lf in info.leaves for it in lf.items}
