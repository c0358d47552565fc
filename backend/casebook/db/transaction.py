"""One helper for write transactions, so every engine takes its write lock up front, and a hook for work
that must wait until a write is visible to other connections (`after_commit`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from casebook.db.sqlite import SharedSQLiteEngine
from casebook.db.tables import CaseRecord

_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar("casebook_after_commit", default=None)


def after_commit(callback: Callable[[], None]) -> None:
    """Runs `callback` once the open write transaction has committed (at once outside one); a rolled-back
    transaction drops it. Listeners woken this way (the search sync, the matcher warm-up) read committed
    rows, so they never wait for the writer."""
    pending = _after_commit.get()
    if pending is None:
        callback()
    elif callback not in pending:
        pending.append(callback)


@asynccontextmanager
async def _serialised(engine: SharedSQLiteEngine) -> AsyncIterator[Any]:
    async with engine.writer_lock():
        async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
            yield transaction


def _engine_transaction() -> Any:
    engine = CaseRecord._meta.db
    if isinstance(engine, SharedSQLiteEngine) and engine.current_transaction.get() is None:
        return _serialised(engine)
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


@asynccontextmanager
async def write_transaction() -> AsyncIterator[Any]:
    """SQLite: BEGIN IMMEDIATE, one writer of this process at a time, so writers queue instead of failing
    on lock upgrade. A nested call joins the open transaction (taking the lock again would deadlock); the
    outermost one runs the `after_commit` callbacks once it has committed."""
    if _after_commit.get() is not None:
        async with _engine_transaction() as transaction:
            yield transaction
        return
    pending: list[Callable[[], None]] = []
    token = _after_commit.set(pending)
    try:
        async with _engine_transaction() as transaction:
            yield transaction
    finally:
        _after_commit.reset(token)
    for callback in pending:
        callback()
