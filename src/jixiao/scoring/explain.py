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
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.dataset import load_dataset
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
    loaded = load_dataset(assessment, catalog, {category}, only={obj.pk})
    result = score(catalog.compiled, loaded.data)
    if obj.code not in result.objects.index:
        return None, []
    cat = result.category(category).cc.category
    lines = [] if stored is None else headline_lines(
        cat, name=obj.name, code=obj.code, group=stored.group, total=stored.total, rank=stored.rank,
        group_size=stored.group_size, grade=stored.grade or None, eligible_top=stored.eligible_top,
        flags=stored.flags)
    return explain(result, obj.code), lines
