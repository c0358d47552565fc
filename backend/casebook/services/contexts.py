"""Saved target contexts: name a site description once, start a comparable search or a plan from it later.

Tenant-private like plans: members of the owner organisation (any role) read them, editors and admins save
and delete them, and everyone else gets the same 404 as for one that does not exist. The context is checked
with the matcher's own validation, so a saved context always works as a target.
"""

from __future__ import annotations

import json
from typing import Any

from casebook.db.json_columns import json_value
from casebook.db.tables import SavedContext
from casebook.db.transaction import write_transaction
from casebook.domain.access import Actor, require_signed_in
from casebook.domain.errors import Conflict, InvalidInput, NotFound, Problem
from casebook.domain.permissions import require
from casebook.matching.target import validate_context
from casebook.services import audit
from casebook.services.integrity import storable_int
from casebook.services.plans import owner_scope

MAX_NAME = 120
COLUMNS = (SavedContext.id, SavedContext.tenant, SavedContext.tenant.slug.as_alias("tenant_slug"),
           SavedContext.name, SavedContext.context, SavedContext.created_by.email.as_alias("created_by"),
           SavedContext.created_at, SavedContext.updated_at)


def context_out(row: dict[str, Any]) -> dict[str, Any]:
    context = json_value(row["context"])
    return {"id": row["id"], "tenant": row["tenant_slug"], "name": row["name"], "context": context,
            "created_by": row["created_by"], "created_at": row["created_at"], "updated_at": row["updated_at"]}


def _checked(name: Any, context: Any) -> tuple[str, dict[str, Any]]:
    """Both fields checked, every problem named in one 400."""
    problems = []
    if not isinstance(name, str) or not 0 < len(name.strip()) <= MAX_NAME:
        problems.append(Problem(f"give the context a name of 1 to {MAX_NAME} characters", field="name"))
    try:
        context = validate_context(context)
    except InvalidInput as exc:
        problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return name.strip(), context


async def list_contexts(actor: Actor) -> list[dict[str, Any]]:
    if not actor.roles:
        return []
    rows = await SavedContext.select(*COLUMNS).where(SavedContext.tenant.is_in(sorted(actor.roles))).order_by(
        SavedContext.name).order_by(SavedContext.id)
    return [context_out(r) for r in rows]


async def _readable(actor: Actor, context_id: int) -> dict[str, Any]:
    if not storable_int(context_id):
        raise NotFound("saved context not found")
    row = await SavedContext.select(*COLUMNS).where(SavedContext.id == context_id).first()
    if row is None or row["tenant"] not in actor.roles:
        raise NotFound("saved context not found")
    return row


async def get_context(actor: Actor, context_id: int) -> dict[str, Any]:
    return context_out(await _readable(actor, context_id))


async def create_context(actor: Actor, name: Any, context: Any, tenant: str | None = None,
                         source: Any = None) -> dict[str, Any]:
    """Saved for `tenant` (else the active organisation); `source`, the case the context was taken from,
    must be readable by every member of that organisation."""
    tenant_id, _ = await owner_scope(actor, tenant, source)
    name, context = _checked(name, context)
    async with write_transaction():  # the name check and the insert under one write lock (SQLite)
        taken = await SavedContext.exists().where((SavedContext.tenant == tenant_id) & (SavedContext.name == name))
        if taken:
            raise Conflict(f"your organisation already has a saved context named {name!r}; choose another name",
                           code="already_exists")
        row = (await SavedContext.insert(SavedContext(
            tenant=tenant_id, name=name, context=json.dumps(context), created_by=actor.user_id,
        )).returning(SavedContext.id))[0]
        await audit.record(actor, tenant_id, "context.create", f"context/{row['id']}", name=name)
    return await get_context(actor, row["id"])


async def delete_context(actor: Actor, context_id: int) -> None:
    row = await _readable(actor, context_id)
    require_signed_in(actor)
    require(actor, "context.delete", row["tenant"])
    async with write_transaction():
        await SavedContext.delete().where(SavedContext.id == context_id)
        await audit.record(actor, row["tenant"], "context.delete", f"context/{context_id}", name=row["name"])
