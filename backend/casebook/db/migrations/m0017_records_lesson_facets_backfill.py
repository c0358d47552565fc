"""The lookup index of lesson_facet, and its rows for the lessons that exist (a separate migration: Piccolo
runs raw statements before its own operations, and the back-fill needs the table of m0016)."""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from casebook.domain.record_filters import lesson_facet_pairs

ID = "2026-12-01T11:52:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "lesson facet index and back-fill"
PUBLISHED, MAX_VALUE = "p:", 100  # as in casebook.services.list_facets


def _loads(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)

    async def backfill() -> None:
        engine = engine_finder()
        await engine.run_ddl("CREATE INDEX lesson_facet_lookup ON lesson_facet (facet, value)")
        rows = await engine.run_querystring(QueryString(
            "SELECT id, data, version, published_version, published_data FROM lesson_record"))
        for row in rows:
            pairs = lesson_facet_pairs(_loads(row["data"]))
            if row["published_data"] is not None and row["published_version"] != row["version"]:
                pairs += [(PUBLISHED + f, v) for f, v in lesson_facet_pairs(_loads(row["published_data"]))]
            for facet, value in dict.fromkeys(pairs):
                await engine.run_querystring(QueryString(
                    "INSERT INTO lesson_facet (lesson, facet, value) VALUES ({}, {}, {})",
                    row["id"], facet, value[:MAX_VALUE]))

    manager.add_raw(backfill)
    return manager
