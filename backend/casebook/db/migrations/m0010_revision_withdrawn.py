"""case_revision.withdrawn and lesson_revision.withdrawn: an approved revision later taken down.

Readers outside the owner see only approved revisions that were never withdrawn. Back-fill: the approved
revisions of a record that is withdrawn now, and those approved before a recorded withdraw.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T10:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "revision withdrawn flag"

KINDS = (("case_revision", "case_record", "case"), ("lesson_revision", "lesson_record", "lesson"))


def _backfill(revision: str, record: str, fk: str) -> list[str]:
    approved = f'{revision}.published_at IS NOT NULL'
    return [
        f"ALTER TABLE {revision} ADD COLUMN withdrawn BOOLEAN NOT NULL DEFAULT FALSE",
        f"UPDATE {revision} SET withdrawn = TRUE WHERE {approved} AND (SELECT r.publication FROM {record} r "
        f'WHERE r.id = {revision}."{fk}") = \'withdrawn\'',
        f"UPDATE {revision} SET withdrawn = TRUE WHERE {approved} AND EXISTS (SELECT 1 FROM audit_event e "
        f'JOIN {record} r ON r.id = {revision}."{fk}" JOIN tenant t ON t.id = r.tenant '
        f"WHERE e.action = '{fk}.withdraw' AND e.tenant = r.tenant AND e.target = t.slug || '/' || r.slug "
        f"AND e.created_at >= {revision}.published_at)",
    ]


async def forwards() -> MigrationManager:
    """Raw statements (Piccolo runs raw ones before its own operations, and the back-fill needs the column)."""
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)

    async def backfill() -> None:
        engine = engine_finder()
        for revision, record, fk in KINDS:
            for statement in _backfill(revision, record, fk):
                await engine.run_ddl(statement)

    manager.add_raw(backfill)
    return manager
