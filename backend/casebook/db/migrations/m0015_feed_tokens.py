"""Feed tokens (written by hand, see the team rules): a feed reader reads a network's Atom feed as one user."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T11:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed tokens"

User = type("User", (Table,), {"id": Serial(primary_key=True)}, tablename="app_user")

BASE = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False}

COLUMNS = [
    ("user", ForeignKey, {**BASE, "references": User, "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                          "target_column": None, "null": True, "index": True}),
    ("prefix", Varchar, {**BASE, "length": 16, "default": ""}),
    ("token_hash", Varchar, {**BASE, "length": 64, "default": "", "unique": True}),
    ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
    ("last_used_at", Timestamptz, {**BASE, "default": None, "null": True}),
    ("revoked_at", Timestamptz, {**BASE, "default": None, "null": True}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)
    manager.add_table(class_name="FeedToken", tablename="feed_token", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(table_class_name="FeedToken", tablename="feed_token", column_name=name,
                           db_column_name=name, column_class_name=column_class.__name__,
                           column_class=column_class, params=params, schema=None)
    return manager
