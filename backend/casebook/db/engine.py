"""Builds the Piccolo engine from the settings (SQLite under CASEBOOK_HOME, or PostgreSQL) and binds it."""

from __future__ import annotations

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from casebook.db.sqlite import SharedSQLiteEngine
from casebook.settings import Settings, get_settings


def make_engine(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    if settings.database_url:
        return PostgresEngine(config={"dsn": settings.database_url}, log_queries=False)
    # timeout: how long a writer waits for SQLite's lock before giving up (seconds)
    return SharedSQLiteEngine(path=str(settings.sqlite_path), timeout=30)


def bind_engine(engine: Engine | None) -> Engine | None:
    """Points every table at `engine`, and Piccolo's own lookups (migrations) too: Piccolo binds a table to
    one engine for the process, so whoever runs the engine (the runtime) binds it. Returns the engine bound
    before (None: none yet), for binding it back; None unbinds (the next use builds one from the settings)."""
    from casebook.db import piccolo_conf
    from casebook.db.tables import ALL_TABLES
    previous = piccolo_conf.__dict__.get("DB")
    if engine is None:
        piccolo_conf.__dict__.pop("DB", None)
    else:
        piccolo_conf.DB = engine
    for table in (*ALL_TABLES, Migration):
        table._meta._db = engine
    return previous

