"""Bulk import and export of case files. An import is one transaction: all files or none.

The CLI imports as the system actor, which publishes network and public cases at once (the operator
curates the files); anyone else's import leaves drafts to be reviewed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casebook.db.tables import CaseRecord, Tenant
from casebook.domain.access import Actor
from casebook.domain.casefile import dump_case, load_case_files
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.services import bulk_import


async def import_documents(actor: Actor, tenant_slug: str, documents: list[tuple[str, dict[str, Any]]],
                           visibility: str = "private", replace: bool = False,
                           progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Writes validated case documents (see bulk_import). Existing slugs are an error unless `replace`."""
    return await bulk_import.write_cases(actor, tenant_slug, documents, visibility, replace, progress)


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
