"""Publishing: the approved snapshot on cases and revisions, and lessons learned with their revisions.

Indexes and the back-fill are in m0008: Piccolo runs raw steps before it creates tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-22T03:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "publishing workflow and lessons learned"


def _ref(name: str, tablename: str) -> type[Table]:
    return type(name, (Table,), {"id": Serial(primary_key=True)}, tablename=tablename)


Tenant = _ref("Tenant", "tenant")
User = _ref("User", "app_user")
LessonRecord = _ref("LessonRecord", "lesson_record")

BASE = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False}
NULLABLE = {**BASE, "null": True, "default": None}


def _fk(references: type[Table], on_delete: OnDelete, null: bool, index: bool = False) -> dict:
    return {**BASE, "references": references, "on_delete": on_delete, "on_update": OnUpdate.cascade,
            "target_column": None, "null": null, "index": index}


def _publishing() -> list[tuple]:
    return [
        ("publication", Varchar, {**BASE, "length": 12, "default": "draft"}),
        ("published_version", Integer, NULLABLE),
        ("published_visibility", Varchar, {**NULLABLE, "length": 10}),
        ("published_data", JSON, NULLABLE),
        ("published_at", Timestamptz, NULLABLE),
        ("review_comment", Text, NULLABLE),
    ]


NEW_COLUMNS = {
    "CaseRecord": ("case_record", _publishing()),
    "CaseRevision": ("case_revision", [("published_at", Timestamptz, NULLABLE)]),
}

NEW_TABLES = {
    "LessonRecord": ("lesson_record", [
        ("tenant", ForeignKey, _fk(Tenant, OnDelete.cascade, False, index=True)),
        ("slug", Varchar, {**BASE, "length": 80, "default": ""}),
        ("visibility", Varchar, {**BASE, "length": 10, "default": "private"}),
        ("title", Varchar, {**BASE, "length": 200, "default": ""}),
        ("data", JSON, {**BASE, "default": "{}"}),
        ("version", Integer, {**BASE, "default": 1}),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
        ("updated_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
        ("created_by", ForeignKey, _fk(User, OnDelete.set_null, True)),
        ("updated_by", ForeignKey, _fk(User, OnDelete.set_null, True)),
        ("deleted_at", Timestamptz, NULLABLE),
        *_publishing(),
    ]),
    "LessonRevision": ("lesson_revision", [
        ("lesson", ForeignKey, _fk(LessonRecord, OnDelete.cascade, False, index=True)),
        ("version", Integer, {**BASE, "default": 0}),
        ("visibility", Varchar, {**BASE, "length": 10, "default": "private"}),
        ("data", JSON, {**BASE, "default": "{}"}),
        ("action", Varchar, {**BASE, "length": 20, "default": ""}),
        ("author", ForeignKey, _fk(User, OnDelete.set_null, True)),
        ("created_at", Timestamptz, {**BASE, "default": TimestamptzNow()}),
        ("published_at", Timestamptz, NULLABLE),
    ]),
}



def _add(manager: MigrationManager, class_name: str, tablename: str, columns: list[tuple]) -> None:
    for name, column_class, params in columns:
        manager.add_column(table_class_name=class_name, tablename=tablename, column_name=name,
                           db_column_name=name, column_class_name=column_class.__name__,
                           column_class=column_class, params=params, schema=None)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)
    for class_name, (tablename, columns) in NEW_COLUMNS.items():
        _add(manager, class_name, tablename, columns)
    for class_name, (tablename, columns) in NEW_TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        _add(manager, class_name, tablename, columns)
    return manager
