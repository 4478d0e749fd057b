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

import polars as pl
from django.db import connection
from django.db.models import Count

from jixiao.collection.models import RecordingCount, Value, ValueChange
from jixiao.core.bulk import rows_insert, rows_update
from jixiao.core.columnar import read_frame

COLUMNS = ("period_id", "category", "group", "unit_id", "indicator", "variable", "n")
COUNTING = frozenset(Value.COUNTING)
CHUNK = 5000

Slice = tuple[int, str, str, int, str, str]
SLICE = ("period", "category", "group", "unit", "indicator", "variable")
LINE_FIELDS = ["id", "value__period_id", "value__object__category__code", "value__object__group",
               "value__object__unit_id", "value__indicator", "value__variable", "status_before", "before",
               "status_after", "after"]
# Blank texts come back null from read_frame: a new value's status before, and (filled back) a group.
LINE_SCHEMA = {"id": pl.Int64, "period": pl.Int64, "category": pl.String, "group": pl.String, "unit": pl.Int64,
               "indicator": pl.String, "variable": pl.String, "s0": pl.String, "v0": pl.Float64, "s1": pl.String,
               "v1": pl.Float64}


def recording_counts_apply(*, assessment_id: int) -> int:
    """Add the pending history lines of an assessment to its counts; the lines taken. Call it
    inside the transaction that stores the results of the same changes. The lines (an import's
    are tens of thousands) are read and summed column-wise."""
    qs = ValueChange.objects.filter(pending=True, value__assessment_id=assessment_id)
    lines = read_frame(qs, LINE_FIELDS, LINE_SCHEMA, chunk=None)
    if lines.height == 0:
        return 0
    counting = list(COUNTING)

    def counts(status: str, value: str) -> pl.Expr:
        return (pl.col(status).is_in(counting) & pl.col(value).is_not_null()).cast(pl.Int64)

    delta = (lines.with_columns((counts("s1", "v1") - counts("s0", "v0")).alias("d"), pl.col("group").fill_null(""))
             .group_by(list(SLICE)).agg(pl.col("d").sum()).filter(pl.col("d") != 0))
    changed: dict[Slice, int] = {tuple(row[:-1]): row[-1] for row in delta.iter_rows()}  # type: ignore[misc]
    if changed:
        have = _existing({k[0] for k in changed})
        rows_update(RecordingCount, ["n"], [(have[k][1] + d, have[k][0]) for k, d in changed.items() if k in have])
        rows_insert(RecordingCount, COLUMNS, [(*k, d) for k, d in changed.items() if k not in have])
    ids = lines["id"].to_list()
    for k in range(0, len(ids), CHUNK):
        ValueChange.objects.filter(id__in=ids[k:k + CHUNK]).update(pending=False)
    return lines.height


def _existing(periods: set[int]) -> dict[Slice, tuple[int, int]]:
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
