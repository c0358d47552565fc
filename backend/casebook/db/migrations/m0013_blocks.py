"""Back-fill for building blocks: the `blocks` and `replicates` facet rows (a block's "used in" list), and a
search outbox row per live case so the index gains the cases' block documents without a manual reindex.

Cases written before these facets existed have none; this adds them for the working copy and, while it
differs, for the published snapshot (`p:` rows), as casebook.services.case_facets.sync writes them.
"""

import json

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from casebook.db.tables import CaseFacet, CaseRecord, Outbox
from casebook.domain.record_filters import facet_pairs

ID = "2026-12-01T11:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "facets for building blocks and lineage"
NEW = ("blocks", "replicates")


def _new_pairs(data: object, prefix: str = "") -> list[tuple[str, str]]:
    doc = json.loads(data) if isinstance(data, str) else data
    return [(prefix + f, v[:100]) for f, v in facet_pairs(doc or {}) if f in NEW]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="casebook", description=DESCRIPTION)

    async def backfill() -> None:
        rows = await CaseRecord.select(CaseRecord.id, CaseRecord.data, CaseRecord.version, CaseRecord.deleted_at,
                                       CaseRecord.published_version, CaseRecord.published_data)
        for row in rows:
            pairs = _new_pairs(row["data"])
            if row["published_data"] is not None and row["published_version"] != row["version"]:
                pairs += _new_pairs(row["published_data"], "p:")
            await CaseFacet.delete().where((CaseFacet.case == row["id"]) & CaseFacet.facet.is_in(
                [*NEW, *(f"p:{f}" for f in NEW)]))
            if pairs:
                await CaseFacet.insert(*(CaseFacet(case=row["id"], facet=f, value=v) for f, v in dict.fromkeys(pairs)))
            if row["deleted_at"] is None:
                await Outbox.insert(Outbox(entity="case", entity_id=row["id"], op="upsert"))

    manager.add_raw(backfill)
    return manager
