"""Reading a query's rows column-wise into Polars, without a Python object per row.

The ledger of a city's staff is millions of values; the ORM (a model instance or a tuple per row)
spends ~3 µs and ~500 bytes on each, 95 % of a full recompute. Here the database itself joins
the rows into one text per chunk, fields separated by the ASCII unit separator (0x1F) and rows by
the record separator (0x1E), which Polars parses in native code: PostgreSQL with ``string_agg``,
SQLite with ``group_concat``. (PostgreSQL's ``COPY … TO STDOUT`` would be the obvious tool, but it
sends a message per row, and psycopg hands each to Python: eleven million iterations.) Those two
characters inside a text are replaced by spaces: no name or note of the ledger holds them.

Reads run on the Django connection, so they see the current transaction's rows (tests, and a
recompute that must see what its own transaction wrote). Large tables are read in primary-key
ranges of the whole table (``chunk`` ids per statement; the bounds come from the primary key's
index, never from a scan of the filtered query), so the text never has to exist whole.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Max, Min, QuerySet
from psycopg.adapt import Loader

UNIT, RECORD = "\x1f", "\x1e"
CHUNK = 1_000_000
PARALLEL = 2  # connections reading at once outside a transaction (this is a 2-core machine's worth)


def read_frame(qs: QuerySet[Any], fields: list[str], schema: dict[str, Any], *,
               chunk: int | None = CHUNK) -> pl.DataFrame:
    """``qs.values_list(*fields)`` as a frame with ``schema`` (names and Polars types, in order).

    String columns are read as text; blank texts come back as null (the engine's "not given").
    ``chunk=None`` reads in one statement (a small read: no primary-key bounds query first).
    """
    if len(fields) != len(schema):
        raise ValueError("one schema entry per field")
    if chunk is None:
        sql, params = qs.values_list(*fields).query.sql_with_params()
        return _blank_as_null(_read(sql, params, schema), schema)
    bounds = qs.model._base_manager.aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return pl.DataFrame(schema=schema)
    lo, hi = int(bounds["lo"]), int(bounds["hi"])
    parts = [qs.filter(pk__gte=start, pk__lt=start + chunk).values_list(*fields).query.sql_with_params()
             for start in range(lo, hi + 1, chunk)]
    if len(parts) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Outside a transaction nothing uncommitted needs seeing: two connections format and send
        # chunks at once (the database does most of this work, one core per query).
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            frames = list(pool.map(lambda part: _read_alone(part[0], part[1], schema), parts))
    else:
        frames = [_read(sql, params, schema) for sql, params in parts]
    return _blank_as_null(pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0], schema)


def _read_alone(sql: str, params: tuple[Any, ...], schema: dict[str, Any]) -> pl.DataFrame:
    """:func:`_read` on this worker thread's own connection, closed afterwards."""
    try:
        return _read(sql, params, schema)
    finally:
        connection.close()


def _blank_as_null(df: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    return df.with_columns(pl.col(c).replace("", None) for c, t in schema.items() if t == pl.String)


def _read(sql: str, params: tuple[Any, ...], schema: dict[str, Any]) -> pl.DataFrame:
    text_schema = {c: (pl.String if t == pl.String else t) for c, t in schema.items()}
    cols = ", ".join(f"col{i}" for i in range(len(schema)))
    if connection.vendor == "postgresql":
        # concat_ws formats the fields in one call (about twice as quick as a chain of ||); it
        # skips NULLs, so every field is coalesced to '' first to keep its place.
        fields = [f"replace(replace(coalesce(col{i}::text, ''), chr(31), ' '), chr(30), ' ')" if t == pl.String
                  else f"coalesce(col{i}::text, '')" for i, t in enumerate(schema.values())]
        joined = f"string_agg(concat_ws(chr(31), {', '.join(fields)}), chr(30))"
    elif connection.vendor == "sqlite":
        fields = [f"replace(replace(coalesce(CAST(col{i} AS TEXT), ''), char(31), ' '), char(30), ' ')"
                  if t == pl.String else f"coalesce(CAST(col{i} AS TEXT), '')" for i, t in enumerate(schema.values())]
        joined = f"group_concat({' || char(31) || '.join(fields)}, char(30))"
    else:
        raise NotImplementedError(f"columnar reads are not written for {connection.vendor}")
    # The inner columns are named by a CTE (SQLite has no alias list on a subquery). The joined
    # text comes back as bytes, as Polars reads it: decoding tens of megabytes into a Python str
    # only to encode them again costs as much as the query.
    statement = f"WITH q({cols}) AS ({sql}) SELECT {joined} FROM q"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.cursor.adapters.register_loader("text", _RawText)
            cur.execute(statement, params)
            row = cur.fetchone()
        else:
            raw = connection.connection
            before = raw.text_factory
            raw.text_factory = bytes
            try:
                cur.execute(statement, params)
                row = cur.fetchone()
            finally:
                raw.text_factory = before
    blob = row[0] if row else None
    if not blob:
        return pl.DataFrame(schema=schema)
    return pl.read_csv(io.BytesIO(blob), has_header=False, separator=UNIT, eol_char=RECORD, quote_char=None,
                       schema=text_schema)


class _RawText(Loader):
    """psycopg: a text column's bytes as they came (UTF-8), not decoded into a str."""

    def load(self, data: Any) -> bytes:
        return bytes(data)
