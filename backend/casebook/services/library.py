"""Bulk import and export of case files. An import is one transaction: all files or none.

The CLI imports as the system actor, which publishes network and public cases at once (the operator
curates the files); anyone else's import leaves drafts to be reviewed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from casebook.db.tables import CaseRecord, Tenant
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor, require_role
from casebook.domain.casefile import dump_case, load_case_files
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.domain.vocabulary import VISIBILITIES
from casebook.services.cases import (
    COLUMNS,
    content_values,
    insert_case,
    record_write,
    versioned_update,
)
from casebook.services.publishing import edit_values


async def import_documents(actor: Actor, tenant_slug: str, documents: list[tuple[str, dict[str, Any]]],
                           visibility: str = "private", replace: bool = False) -> dict[str, int]:
    """Writes validated case documents. Existing slugs are an error unless `replace` (then a new revision)."""
    if visibility not in VISIBILITIES:
        raise InvalidInput(Problem(f"must be one of {', '.join(VISIBILITIES)}", field="visibility"))
    tenant = await Tenant.select(Tenant.id, Tenant.slug).where(Tenant.slug == tenant_slug).first()
    if tenant is None or tenant["id"] not in actor.roles:
        raise NotFound(f"organisation {tenant_slug!r} not found")
    require_role(actor, tenant["id"], "editor")
    created = updated = 0
    async with write_transaction():
        rows = await CaseRecord.select(*COLUMNS).where(CaseRecord.tenant == tenant["id"])
        existing = {r["slug"]: r for r in rows}
        clashes = [Problem(f"a case with slug {d['slug']!r} already exists in {tenant_slug} "
                           "(use --replace to update it)", field="slug", file=name)
                   for name, d in documents if d["slug"] in existing and not replace]
        if clashes:
            raise InvalidInput(clashes)
        for _, data in documents:
            row = existing.get(data["slug"])
            if row is None:
                await insert_case(actor, tenant, data, visibility, "import")
                created += 1
                continue
            if json.loads(row["data"]) == data and row["visibility"] == visibility and not row["deleted_at"] \
                    and _published_as_wanted(actor, row):
                continue
            publish = edit_values(row, actor, visibility=visibility, data=data, version=row["version"] + 1)
            await versioned_update(row, row["version"], {
                **content_values(data), CaseRecord.visibility: visibility, CaseRecord.deleted_at: None,
                CaseRecord.updated_by: actor.user_id, **publish})
            await record_write(row["id"], row["version"] + 1, visibility, data, "import", actor,
                               tenant["id"], f"{tenant_slug}/{data['slug']}", publish)
            updated += 1
    return {"created": created, "updated": updated, "unchanged": len(documents) - created - updated}


def _published_as_wanted(actor: Actor, row: dict[str, Any]) -> bool:
    """An unchanged file still needs a write when the system actor should publish what is not published."""
    if not actor.system or row["visibility"] == "private":
        return True
    return row["published_version"] == row["version"] and row["published_visibility"] == row["visibility"]


async def import_files(actor: Actor, tenant_slug: str, paths: list[Path], visibility: str = "private",
                       replace: bool = False) -> dict[str, int]:
    documents = [(str(path), data) for path, data in load_case_files(paths)]
    if not documents:
        raise InvalidInput(Problem("no case files found (*.yaml)", file=", ".join(map(str, paths))))
    return await import_documents(actor, tenant_slug, documents, visibility, replace)


async def export_documents(actor: Actor, tenant_slug: str) -> list[dict[str, Any]]:
    """The tenant's live cases as case documents, exactly as stored."""
    tenant = await Tenant.select(Tenant.id).where(Tenant.slug == tenant_slug).first()
    if tenant is None or tenant["id"] not in actor.roles:
        raise NotFound(f"organisation {tenant_slug!r} not found")
    rows = await CaseRecord.select(CaseRecord.data).where(
        (CaseRecord.tenant == tenant["id"]) & CaseRecord.deleted_at.is_null()).order_by(CaseRecord.slug)
    return [json.loads(r["data"]) for r in rows]


async def export_files(actor: Actor, tenant_slug: str, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for data in await export_documents(actor, tenant_slug):
        path = folder / f"{data['slug']}.yaml"
        path.write_text(dump_case(data), encoding="utf-8")
        written.append(path)
    return written
