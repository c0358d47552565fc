"""Composite unique indexes, which Piccolo columns cannot declare."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T00:19:07:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX case_record_tenant_slug ON case_record (tenant, slug)",
    'CREATE UNIQUE INDEX case_revision_case_version ON case_revision ("case", version)',
    'CREATE UNIQUE INDEX membership_user_tenant ON membership ("user", tenant)',
    "CREATE UNIQUE INDEX network_member_pair ON network_member (network, member)",
    "CREATE INDEX case_facet_lookup ON case_facet (facet, value)",
    "CREATE INDEX outbox_pending ON outbox (processed_at, id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
