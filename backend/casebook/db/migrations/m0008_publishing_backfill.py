"""Indexes for lessons, and the back-fill of the publishing columns.

Cases already shared before publishing existed (network or public) were shared without review, so
they become published as they stand; private cases start as drafts.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T03:11:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "publishing back-fill and lesson indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX lesson_record_tenant_slug ON lesson_record (tenant, slug)",
    "CREATE UNIQUE INDEX lesson_revision_lesson_version ON lesson_revision (lesson, version)",
    # Shared before review existed: publish as they stand.
    "UPDATE case_record SET publication = 'published', published_version = version, "
    "published_visibility = visibility, published_data = data, published_at = updated_at "
    "WHERE visibility <> 'private'",
    "UPDATE case_revision SET published_at = created_at WHERE visibility <> 'private' AND version = "
    "(SELECT r.version FROM case_record r WHERE r.id = case_revision.\"case\")",
]



async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)

    async def finish() -> None:
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(finish)
    return manager
