"""Writing many rows to PostgreSQL with COPY, a chunk at a time, with ids chosen here.

bulk_create would take minutes of Python per million rows; COPY takes seconds. The ids are
assigned by the caller (so that rows in other tables can point at them in the same pass) and
each table's identity sequence is moved past them afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.db import connection

CHUNK = 50_000


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows (tuples in the order of `columns`) into a table; returns how many."""
    count = 0
    buffer = io.StringIO()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor: Django's wrapper has no copy_expert

        def flush():
            buffer.seek(0)
            raw.copy_expert(statement, buffer)
            buffer.seek(0)
            buffer.truncate()

        for row in rows:
            buffer.write("\t".join(_cell(value) for value in row))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                flush()
        if buffer.tell():
            flush()
    return count


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def move_sequence(table: str) -> None:
    """Let the next row Django inserts take an id after the ones COPY wrote."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def update_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Set `columns[1:]` on the rows of `table` whose id is `columns[0]`: the rows are COPYed into
    a temporary table of the same column types, then one UPDATE ... FROM joins it. Row by row,
    tens of thousands of updates would take minutes."""
    key, *changed = columns
    scratch = f"seed_update_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA")
    count = copy_rows(scratch, columns, rows)
    with connection.cursor() as cursor:
        assignments = ", ".join(f"{name} = {scratch}.{name}" for name in changed)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {scratch} WHERE {table}.{key} = {scratch}.{key}")
        cursor.execute(f"DROP TABLE {scratch}")
    return count
