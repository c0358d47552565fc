"""Multi-row inserts of plain values through the driver, inside the current write transaction.

Piccolo builds a Table object and an SQL fragment per row and value, which made a 3,834-record import
spend most of its time in Python; bulk imports hand their rows to the driver's `executemany` instead
(aiosqlite or asyncpg). Values are stored exactly as Piccolo stores them: JSON columns as text,
timestamps through the adapters Piccolo registers for SQLite, every column given (its default when the
row leaves it out), the primary key from the database.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table


@lru_cache(maxsize=32)
def _columns(table: type[Table]) -> tuple[str, ...]:
    return tuple(c._meta.db_column_name for c in table._meta.columns if not c._meta.primary_key)


def _default(column: Any) -> Any:
    value = column.get_default_value()
    return value.python() if hasattr(value, "python") else value  # e.g. TimestamptzNow -> a datetime


def _defaults(table: type[Table]) -> dict[str, Any]:
    return {c._meta.db_column_name: _default(c) for c in table._meta.columns if not c._meta.primary_key}


async def insert_rows(table: type[Table], rows: list[dict[str, Any]]) -> None:
    """Inserts `rows` (column name -> value) in one driver call; must run inside a write transaction."""
    if not rows:
        return
    engine = table._meta.db
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise RuntimeError("insert_rows runs inside a write transaction")
    columns, defaults = _columns(table), _defaults(table)
    names = ", ".join(f'"{c}"' for c in columns)
    sqlite = isinstance(engine, SQLiteEngine)
    marks = ", ".join("?" if sqlite else f"${i}" for i in range(1, len(columns) + 1))
    sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES ({marks})'
    values = [tuple(row.get(c, defaults[c]) for c in columns) for row in rows]
    await transaction.connection.executemany(sql, values)
