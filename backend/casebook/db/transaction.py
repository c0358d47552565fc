"""One helper for write transactions, so every engine takes its write lock up front."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from casebook.db.sqlite import SharedSQLiteEngine
from casebook.db.tables import CaseRecord


@asynccontextmanager
async def _serialised(engine: SharedSQLiteEngine) -> AsyncIterator[Any]:
    async with engine.writer_lock():
        async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
            yield transaction


def write_transaction() -> Any:
    """SQLite: BEGIN IMMEDIATE, one writer of this process at a time, so writers queue instead of failing
    on lock upgrade. A nested call joins the open transaction (taking the lock again would deadlock)."""
    engine = CaseRecord._meta.db
    if isinstance(engine, SharedSQLiteEngine) and engine.current_transaction.get() is None:
        return _serialised(engine)
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
