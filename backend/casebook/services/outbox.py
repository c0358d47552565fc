"""The search outbox: an entry per change, written in the change's transaction, applied later."""

from __future__ import annotations

from casebook.db.tables import Outbox


async def enqueue(entity: str, entity_id: int, op: str = "upsert") -> None:
    await Outbox.insert(Outbox(entity=entity, entity_id=entity_id, op=op))
