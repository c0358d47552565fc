"""case_record.confirmed_at: when an owner last confirmed that an unchanged case is still current."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-22T01:43:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "case confirmed_at"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)
    manager.add_column(
        table_class_name="CaseRecord", tablename="case_record", column_name="confirmed_at",
        db_column_name="confirmed_at", column_class_name="Timestamptz", column_class=Timestamptz,
        params={"default": None, "null": True, "primary_key": False, "unique": False, "index": False,
                "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False},
        schema=None,
    )
    return manager
