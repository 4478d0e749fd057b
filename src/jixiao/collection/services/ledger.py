"""The ledger's revision: every write that can move scores records it here (the outbox).

Scoring is not called from here: the entries are the change's record, and after the commit
``ledger_changed`` tells whoever listens (the recompute) to look at them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from jixiao.collection.models import LedgerChange
from jixiao.core.bulk import now_for_db, rows_insert
from jixiao.core.events import announce_ledger_change

# Past this many objects of one category in one write, one entry stands for the whole category:
# the recompute will score it whole anyway, and a 50,000-value import writes one row, not 5,000.
OBJECTS_MAX = 200


def ledger_touch(*, assessment_id: int, objects: Iterable[tuple[str, int]] = (),
                 categories: Iterable[str] = ()) -> int:
    """Record that these (category, object id) pairs, and these whole categories, changed.

    Call it inside the write's transaction; returns the number of entries written."""
    whole = set(categories)
    by_cat: dict[str, set[int]] = defaultdict(set)
    for cat, oid in objects:
        if cat not in whole:
            by_cat[cat].add(oid)
    rows: list[tuple[object, ...]] = []
    now = now_for_db()
    for cat, ids in sorted(by_cat.items()):
        if len(ids) > OBJECTS_MAX:
            whole.add(cat)
        else:
            rows.extend((assessment_id, cat, oid, now) for oid in sorted(ids))
    rows.extend((assessment_id, cat, None, now) for cat in sorted(whole))
    if not rows:
        return 0
    rows_insert(LedgerChange, ["assessment_id", "category", "object_id", "at"], rows)
    announce_ledger_change(assessment_id)
    return len(rows)
