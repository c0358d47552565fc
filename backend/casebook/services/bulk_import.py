"""Writes many validated case documents in one transaction, in batches: the path of every import.

Per record it writes what a single edit writes (the row, a revision, facet rows, an outbox entry, audit
events, publishing columns), but as a few multi-row statements per batch instead of round trips per
record. A record whose content, visibility and publication are already as asked is left alone (no new
version); a changed one gets the next version. The search index is brought up to date afterwards, once,
from the outbox (the caller runs the sync).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from casebook.db import outbox
from casebook.db.bulk import insert_rows
from casebook.db.json_columns import json_value
from casebook.db.tables import AuditEvent, CaseFacet, CaseRecord, CaseRevision, Outbox
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor
from casebook.domain.clock import now
from casebook.services import records
from casebook.services.case_facets import facet_rows
from casebook.services.cases import COLUMNS, content_values, versioned_update
from casebook.services.publishing import CASES, edit_values, insert_values, retire_withdrawn

BATCH = 500  # records per step: ids looked up, progress told


def _published_as_wanted(actor: Actor, row: dict[str, Any], visibility: str) -> bool:
    """An unchanged document still needs a write when the system actor should publish what is not published."""
    if not actor.system or visibility == "private":
        return True
    return row["published_version"] == row["version"] and row["published_visibility"] == visibility


def _unchanged(actor: Actor, row: dict[str, Any], data: dict[str, Any], visibility: str) -> bool:
    return (json_value(row["data"]) == data and row["visibility"] == visibility and not row["deleted_at"]
            and _published_as_wanted(actor, row, visibility))


async def write_cases(actor: Actor, tenant_slug: str, documents: list[tuple[str, dict[str, Any]]],
                      visibility: str = "private", replace: bool = False,
                      progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Creates new slugs, updates changed ones (only with `replace`, else an existing slug is an error),
    leaves the rest; all or nothing. `progress(n)` is told as records are written."""
    tenant = await records.import_target(actor, tenant_slug, visibility)
    tick = progress or (lambda n: None)
    async with write_transaction():
        existing = {r["slug"]: r for r in await CaseRecord.select(*COLUMNS).where(CaseRecord.tenant == tenant["id"])}
        records.refuse_clashes("case", tenant_slug, documents, existing, replace)
        new = [d for _, d in documents if d["slug"] not in existing]
        changed = [(existing[d["slug"]], d) for _, d in documents
                   if d["slug"] in existing and not _unchanged(actor, existing[d["slug"]], d, visibility)]
        written: list[tuple[int, int, dict[str, Any], dict[str, Any]]] = []  # (id, version, data, publishing)
        for start in range(0, len(new), BATCH):
            chunk = new[start:start + BATCH]
            publish = [insert_values(actor, visibility, d) for d in chunk]
            stamp = now()
            await insert_rows(CaseRecord, [{
                "tenant": tenant["id"], "slug": d["slug"], "visibility": visibility, "title": d["title"],
                "country": d.get("country"), "status": d["status"], "data": json.dumps(d), "version": 1,
                "created_by": actor.user_id, "updated_by": actor.user_id, "created_at": stamp, "updated_at": stamp,
                **p} for d, p in zip(chunk, publish, strict=True)])
            ids = {r["slug"]: r["id"] for r in await CaseRecord.select(CaseRecord.id, CaseRecord.slug).where(
                (CaseRecord.tenant == tenant["id"]) & CaseRecord.slug.is_in([d["slug"] for d in chunk]))}
            written += [(ids[d["slug"]], 1, d, p) for d, p in zip(chunk, publish, strict=True)]
            tick(len(chunk))
        for row, data in changed:
            version = row["version"] + 1
            edited = edit_values(row, actor, visibility=visibility, data=data, version=version)
            await versioned_update(row, row["version"], {
                **content_values(data), CaseRecord.visibility: visibility, CaseRecord.deleted_at: None,
                CaseRecord.updated_by: actor.user_id, **edited})
            await retire_withdrawn(CASES, row["id"], edited)
            kept = {"published_data": row["published_data"], "published_version": row["published_version"]}
            written.append((row["id"], version, data, {**kept, **edited}))
            tick(1)
        await _record(actor, tenant, visibility, written, [row["id"] for row, _ in changed])
        tick(len(documents) - len(new) - len(changed))
    return {"created": len(new), "updated": len(changed), "unchanged": len(documents) - len(new) - len(changed)}


async def _record(actor: Actor, tenant: dict[str, Any], visibility: str,
                  written: list[tuple[int, int, dict[str, Any], dict[str, Any]]], changed_ids: list[int]) -> None:
    """Revisions, facets, outbox entries and audit events of the written records, as multi-row inserts."""
    if not written:
        return
    stamp = now()
    revisions, events, facets = [], [], []
    for case_id, version, data, publish in written:
        published_at = publish.get("published_at") if publish.get("publication") == "published" else None
        revisions.append({"case": case_id, "version": version, "visibility": visibility, "data": json.dumps(data),
                          "action": "import", "author": actor.user_id, "published_at": published_at,
                          "created_at": stamp})
        target, detail = f"{tenant['slug']}/{data['slug']}", {"version": version, "visibility": visibility}
        events.append({"tenant": tenant["id"], "actor": actor.user_id, "action": "case.import", "target": target,
                       "detail": json.dumps(detail), "created_at": stamp})
        if published_at is not None:
            events.append({"tenant": tenant["id"], "actor": actor.user_id, "action": "case.approve",
                           "target": target, "detail": json.dumps({**detail, "direct": True}), "created_at": stamp})
        published = publish.get("published_data")
        facets += facet_rows(case_id, data, json_value(published),
                             version, publish.get("published_version"))
    for start in range(0, len(changed_ids), BATCH):
        await CaseFacet.delete().where(CaseFacet.case.is_in(changed_ids[start:start + BATCH]))
    await insert_rows(CaseRevision, revisions)
    await insert_rows(CaseFacet, facets)
    await insert_rows(Outbox, [{"entity": "case", "entity_id": case_id, "op": "upsert", "created_at": stamp}
                               for case_id, *_ in written])
    await insert_rows(AuditEvent, events)
    outbox.notify()
