"""The audit log: who did what to which record, written inside the change's own transaction."""

from __future__ import annotations

import json
from typing import Any

from casebook.db.json_columns import json_value
from casebook.db.tables import AuditEvent
from casebook.domain.access import Actor
from casebook.domain.permissions import require


async def record(actor: Actor | None, tenant_id: int | None, action: str, target: str, **detail: Any) -> None:
    await AuditEvent.insert(AuditEvent(
        tenant=tenant_id, actor=actor.user_id if actor else None, action=action, target=target,
        detail=json.dumps(detail, default=str),
    ))


async def events(actor: Actor, tenant_id: int, limit: int = 200) -> list[dict[str, Any]]:
    require(actor, "audit.read", tenant_id)
    rows = await AuditEvent.select(
        AuditEvent.id, AuditEvent.action, AuditEvent.target, AuditEvent.detail, AuditEvent.created_at,
        AuditEvent.actor.email.as_alias("actor_email"),
    ).where(AuditEvent.tenant == tenant_id).order_by(AuditEvent.id, ascending=False).limit(limit)
    for row in rows:
        row["detail"] = json_value(row["detail"]) or {}
    return rows
