"""The recording counts (录入计数) behind the recording rates, kept by the recompute.

A city's staff report a million values a month; counting them on every cockpit view took seconds.
Every change of a value already writes its history line, with the status and the number before and
after; a line is born ``pending``. In the transaction that stores new results, the recompute calls
:func:`recording_counts_apply`: it adds up what the pending lines change — a value starts counting
when it becomes submitted or verified with a number, stops when it is returned or emptied — per
(period, category, group, unit, indicator, variable), and clears their mark. Lines committed while
it runs stay pending for the next run, so nothing is counted twice or missed, whatever the order
in which writers commit.

:func:`recording_counts_rebuild` counts a ledger from scratch, for a ledger written without its
history (the benchmark's bulk load) — with no writer at work on it.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import Count

from jixiao.collection.models import RecordingCount, Value, ValueChange
from jixiao.core.bulk import rows_insert, rows_update

COLUMNS = ("period_id", "category", "group", "unit_id", "indicator", "variable", "n")
COUNTING = frozenset(Value.COUNTING)
CHUNK = 5000

Slice = tuple[int, str, str, int, str, str]


def recording_counts_apply(*, assessment_id: int) -> int:
    """Add the pending history lines of an assessment to its counts; the lines taken. Call it
    inside the transaction that stores the results of the same changes."""
    lines = list(ValueChange.objects.filter(pending=True, value__assessment_id=assessment_id).values_list(
        "id", "value__period_id", "value__object__category__code", "value__object__group", "value__object__unit_id",
        "value__indicator", "value__variable", "status_before", "before", "status_after", "after"))
    if not lines:
        return 0
    delta: Counter[Slice] = Counter()
    for _, period, cat, group, unit, indicator, variable, s0, v0, s1, v1 in lines:
        d = int(s1 in COUNTING and v1 is not None) - int(s0 in COUNTING and v0 is not None)
        if d:
            delta[(period, cat, group, unit, indicator, variable)] += d
    changed = {k: d for k, d in delta.items() if d}
    if changed:
        have = _existing(assessment_id, {k[0] for k in changed})
        rows_update(RecordingCount, ["n"], [(have[k][1] + d, have[k][0]) for k, d in changed.items() if k in have])
        rows_insert(RecordingCount, COLUMNS, [(*k, d) for k, d in changed.items() if k not in have])
    ids = [line[0] for line in lines]
    for k in range(0, len(ids), CHUNK):
        ValueChange.objects.filter(id__in=ids[k:k + CHUNK]).update(pending=False)
    return len(lines)


def _existing(assessment_id: int, periods: set[int]) -> dict[Slice, tuple[int, int]]:
    """(id, n) of the counts of these periods, by slice."""
    return {(p, c, g, u, i, v): (pk, n) for pk, p, c, g, u, i, v, n in RecordingCount.objects.filter(
        period_id__in=periods).values_list("id", *COLUMNS)}


def recording_counts_rebuild(*, assessment_id: int) -> None:
    """Count the assessment's ledger from scratch (one ``INSERT … SELECT … GROUP BY`` in the
    database) and take its pending history lines as counted. Only for a ledger nobody writes to
    meanwhile: a change committed in between would be counted twice."""
    RecordingCount.objects.filter(period__assessment_id=assessment_id).delete()
    qs = (Value.objects.filter(assessment_id=assessment_id, status__in=Value.COUNTING, value__isnull=False)
          .values_list("period_id", "object__category__code", "object__group", "object__unit_id", "indicator",
                       "variable")
          .annotate(n=Count("id")).order_by())
    sql, params = qs.query.sql_with_params()
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {q(RecordingCount._meta.db_table)} ({', '.join(q(c) for c in COLUMNS)}) {sql}",
                    params)
    ValueChange.objects.filter(pending=True, value__assessment_id=assessment_id).update(pending=False)
