"""One helper for write transactions, so every engine takes its write lock up front."""

from __future__ import annotations

from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from casebook.db.tables import CaseRecord


def write_transaction() -> Any:
    """SQLite: BEGIN IMMEDIATE, so two writers queue instead of failing on lock upgrade."""
    engine = CaseRecord._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
