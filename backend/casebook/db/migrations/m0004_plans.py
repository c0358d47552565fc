"""Replication plans and their revisions (written by hand, see the team rules)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-22T01:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "replication plans"


def _ref(name: str, tablename: str) -> type[Table]:
    return type(name, (Table,), {"id": Serial(primary_key=True)}, tablename=tablename)


Tenant = _ref("Tenant", "tenant")
User = _ref("User", "app_user")
Plan = _ref("Plan", "plan")

BASE = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False}


def _fk(references: type[Table], on_delete: OnDelete, null: bool, index: bool = False) -> dict:
    return {**BASE, "references": references, "on_delete": on_delete, "on_update": OnUpdate.cascade,
            "target_column": None, "null": null, "index": index}


COLUMNS = {
    "Plan": ("plan", [
        ("tenant", ForeignKey, _fk(Tenant, OnDelete.cascade, True, index=True)),
        ("title", Varchar, {**BASE, "length": 300, "default": ""}),
        ("template_tenant", Varchar, {**BASE, "length": 80, "default": ""}),
        ("template_slug", Varchar, {**BASE, "length": 80, "default": ""}),
        ("target", JSON, {**BASE, "default": "{}"}),
        ("data", JSON, {**BASE, "default": "{}"}),
        ("edits", JSON, {**BASE, "default": "{}"}),
        ("version", Integer, {**BASE, "default": 1}),
        ("created_by", ForeignKey, _fk(User, OnDelete.set_null, True)),
        ("updated_by", ForeignKey, _fk(User, OnDelete.set_null, True)),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
        ("updated_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
    ]),
    "PlanRevision": ("plan_revision", [
        ("plan", ForeignKey, _fk(Plan, OnDelete.cascade, True, index=True)),
        ("version", Integer, {**BASE, "default": 0}),
        ("action", Varchar, {**BASE, "length": 20, "default": ""}),
        ("target", JSON, {**BASE, "default": "{}"}),
        ("data", JSON, {**BASE, "default": "{}"}),
        ("edits", JSON, {**BASE, "default": "{}"}),
        ("author", ForeignKey, _fk(User, OnDelete.set_null, True)),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
    ]),
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)
    for class_name, (tablename, columns) in COLUMNS.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(table_class_name=class_name, tablename=tablename, column_name=name,
                               db_column_name=name, column_class_name=column_class.__name__,
                               column_class=column_class, params=params, schema=None)
    return manager
