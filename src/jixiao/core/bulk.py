"""Many rows in few statements: ``executemany`` INSERT and UPDATE-by-id for bulk services.

Django's ``bulk_create`` spends most of its time preparing model instances and, on SQLite,
sends ~90 rows per statement; ``bulk_update`` builds a CASE per column and costs milliseconds a
row there. Services that write tens of thousands of rows (imports) use these instead, inside
their own transaction, with values already adapted for the driver
(``connection.ops.adapt_datetimefield_value`` for datetimes; Decimals and str pass as they are).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

CHUNK = 5000


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def rows_insert(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    sql = (f"INSERT INTO {_q(model._meta.db_table)} ({', '.join(_q(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with connection.cursor() as cur:
        for i in range(0, len(rows), CHUNK):
            cur.executemany(sql, rows[i:i + CHUNK])


def rows_update(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """UPDATE by primary key; each row is the new column values followed by the id."""
    sets = ", ".join(f"{_q(c)} = %s" for c in columns)
    pk = model._meta.pk
    assert pk is not None and pk.column is not None
    sql = f"UPDATE {_q(model._meta.db_table)} SET {sets} WHERE {_q(pk.column)} = %s"
    with connection.cursor() as cur:
        for i in range(0, len(rows), CHUNK):
            cur.executemany(sql, rows[i:i + CHUNK])


def now_for_db() -> Any:
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(timezone.now())


def rows_copy(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]], *,
              types: Sequence[str] | None = None) -> None:
    """INSERT many rows as fast as the database takes them: PostgreSQL's ``COPY … FROM STDIN``
    (psycopg encodes each row in C; no statement, no literal quoting per value), elsewhere
    :func:`rows_insert`. JSON columns take their JSON text; datetimes as :func:`now_for_db` gives them.

    ``types`` (PostgreSQL type names, one per column) copies in binary: megabytes of ``bytea``
    go as they are, not hex-escaped into twice their size and parsed back."""
    if connection.vendor != "postgresql":
        rows_insert(model, columns, rows)
        return
    sql = f"COPY {_q(model._meta.db_table)} ({', '.join(_q(c) for c in columns)}) FROM STDIN"
    if types is not None:
        sql += " (FORMAT BINARY)"
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        if types is not None:
            copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)
