"""collection_value keeps only indexes a query uses: no single-column index on a column that
already starts a composite index or the unique constraint (each index slows every write)."""

from __future__ import annotations

import pytest
from django.db import connection

from jixiao.collection.models import Value


@pytest.mark.django_db
def test_no_index_repeats_the_start_of_another() -> None:
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, Value._meta.db_table)
    indexes = {name: tuple(c["columns"]) for name, c in found.items()
               if (c["index"] or c["unique"]) and not c["primary_key"]}
    starts = {cols[0] for cols in indexes.values() if len(cols) > 1}
    single = {cols[0] for cols in indexes.values() if len(cols) == 1}
    assert {"assessment_id", "object_id"} <= starts
    assert not single & starts, indexes
    # what the ledger, the rates and the recompute read by: still indexed
    assert ("assessment_id", "period_id", "object_id", "indicator", "variable") in indexes.values()
    assert ("object_id", "period_id") in indexes.values() and ("period_id",) in indexes.values()
