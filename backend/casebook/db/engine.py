"""Builds the Piccolo engine from the settings: SQLite under CASEBOOK_HOME, or PostgreSQL."""

from __future__ import annotations

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from casebook.db.sqlite import SharedSQLiteEngine
from casebook.settings import get_settings


def make_engine() -> Engine:
    settings = get_settings()
    if settings.database_url:
        return PostgresEngine(config={"dsn": settings.database_url}, log_queries=False)
    # timeout: how long a writer waits for SQLite's lock before giving up (seconds)
    return SharedSQLiteEngine(path=str(settings.sqlite_path), timeout=30)
