"""Saved target contexts (written by hand, see the team rules)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-22T03:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "saved target contexts"


def _ref(name: str, tablename: str) -> type[Table]:
    return type(name, (Table,), {"id": Serial(primary_key=True)}, tablename=tablename)


Tenant = _ref("Tenant", "tenant")
User = _ref("User", "app_user")

BASE = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False}


def _fk(references: type[Table], on_delete: OnDelete, index: bool = False) -> dict:
    return {**BASE, "references": references, "on_delete": on_delete, "on_update": OnUpdate.cascade,
            "target_column": None, "null": True, "index": index}


COLUMNS = [
    ("tenant", ForeignKey, _fk(Tenant, OnDelete.cascade, index=True)),
    ("name", Varchar, {**BASE, "length": 120, "default": ""}),
    ("context", JSON, {**BASE, "default": "{}"}),
    ("created_by", ForeignKey, _fk(User, OnDelete.set_null)),
    ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
    ("updated_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)
    manager.add_table(class_name="SavedContext", tablename="saved_context", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(table_class_name="SavedContext", tablename="saved_context", column_name=name,
                           db_column_name=name, column_class_name=column_class.__name__,
                           column_class=column_class, params=params, schema=None)
    return manager
