"""lesson_facet: the list-filter facets of lessons (tags, MSP steps, dimensions, linked cases), like case_facet."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey, Serial, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-01T11:52:17:000000"
VERSION = "1.38.0"
DESCRIPTION = "lesson list facets"


class LessonRecord(Table, tablename="lesson_record"):
    id = Serial(primary_key=True)


BASE = {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False}
COLUMNS = [
    ("lesson", ForeignKey, {**BASE, "references": LessonRecord, "on_delete": OnDelete.cascade,
                            "on_update": OnUpdate.cascade, "target_column": None, "null": True, "index": True}),
    ("facet", Varchar, {**BASE, "length": 30, "default": ""}),
    ("value", Varchar, {**BASE, "length": 100, "default": ""}),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)
    manager.add_table(class_name="LessonFacet", tablename="lesson_facet", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(table_class_name="LessonFacet", tablename="lesson_facet", column_name=name,
                           db_column_name=name, column_class_name=column_class.__name__,
                           column_class=column_class, params=params, schema=None)
    return manager
