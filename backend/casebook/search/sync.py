"""Applies the outbox to the index, rebuilds the index, and reports drift between database and index.

Each outbox row says "case N changed" (or "lesson N"); the sync reads the record's current state, so
applying a row twice, or out of order, is harmless. Rows are marked processed only after the engine accepted the
change; while the engine is down they stay pending (attempts and last_error record why).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

from casebook.db.tables import Outbox
from casebook.domain.clock import now
from casebook.search.documents import SOURCES, all_documents, documents_for
from casebook.search.interface import KINDS, SearchBackend, SearchUnavailable

log = logging.getLogger("casebook.search")
BATCH = 500
INDEXED = Outbox.entity.is_in(list(SOURCES))
PENDING = Outbox.processed_at.is_null() & INDEXED


async def apply_changes(backend: SearchBackend, changed: dict[str, set[int]]) -> None:
    """Re-reads the changed records ({kind: ids}) and writes or removes their documents."""
    docs, gone = [], []
    for kind, ids in changed.items():
        kind_docs, kind_gone = await documents_for(kind, ids)
        docs += kind_docs
        gone += kind_gone
    if docs:
        await asyncio.to_thread(backend.upsert, docs)
    if gone:
        await asyncio.to_thread(backend.delete, gone)


async def sync_pending(backend: SearchBackend, batch: int = BATCH) -> dict[str, Any]:
    """Applies pending outbox rows in batches. Raises SearchUnavailable (rows kept) when the engine fails.
    An index the backend found in an older schema is rebuilt instead (it starts empty)."""
    if getattr(backend, "needs_rebuild", False):
        rebuilt = await reindex(backend)
        return {"applied": rebuilt["indexed"] + rebuilt["replayed"], "pending": 0}
    applied = 0
    while True:
        rows = await Outbox.select(Outbox.id, Outbox.entity, Outbox.entity_id).where(PENDING).order_by(
            Outbox.id).limit(batch)
        if not rows:
            return {"applied": applied, "pending": 0}
        row_ids = [r["id"] for r in rows]
        changed: dict[str, set[int]] = {}
        for r in rows:
            changed.setdefault(r["entity"], set()).add(r["entity_id"])
        try:
            await apply_changes(backend, changed)
        except Exception as exc:
            message = str(exc)[:500] or type(exc).__name__
            await Outbox.update({Outbox.attempts: Outbox.attempts + 1, Outbox.last_error: message}).where(
                Outbox.id.is_in(row_ids))
            pending = await Outbox.count().where(PENDING)
            raise SearchUnavailable(f"search index not updated ({pending} change(s) waiting): {message}") from exc
        await Outbox.update({Outbox.processed_at: now(), Outbox.last_error: None}).where(Outbox.id.is_in(row_ids))
        applied += len(rows)


def _counted(docs: list[dict[str, Any]], progress: Callable[[int, int], None]) -> Iterator[dict[str, Any]]:
    """The documents, reporting (handed to the engine, total) as the engine takes them (from its thread)."""
    progress(0, len(docs))
    for n, doc in enumerate(docs, start=1):
        yield doc
        if n % 25 == 0 or n == len(docs):
            progress(n, len(docs))


async def reindex(backend: SearchBackend, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Rebuilds the index from the database with no downtime, then replays changes made meanwhile.
    `progress(done, total)`, when given, follows the documents as the engine takes them."""
    last = await Outbox.select(Outbox.id).order_by(Outbox.id, ascending=False).first()
    start_id = last["id"] if last else 0
    docs = await all_documents()
    await asyncio.to_thread(backend.rebuild, docs if progress is None else _counted(docs, progress))
    await Outbox.update({Outbox.processed_at: now()}).where(PENDING & (Outbox.id <= start_id))
    await Outbox.update({Outbox.processed_at: None}).where(INDEXED & (Outbox.id > start_id))
    replay = await sync_pending(backend)
    return {"indexed": len(docs), "replayed": replay["applied"], "backend": backend.name}


async def check(backend: SearchBackend) -> dict[str, Any]:
    """Drift between the database and the index: missing, extra and stale documents (by document id:
    c12, c12p, c12b0, l5...), pending changes."""
    docs = await all_documents()
    expected = {d["id"]: d["fp"] for d in docs}
    indexed = await asyncio.to_thread(backend.fingerprints)
    pending = await Outbox.count().where(PENDING)
    report = {
        "backend": backend.name,
        "documents": len(expected),
        "kinds": {kind: sum(1 for d in docs if d["kind"] == [kind]) for kind in KINDS},
        "indexed": len(indexed),
        "missing": sorted(set(expected) - set(indexed)),
        "extra": sorted(set(indexed) - set(expected)),
        "stale": sorted(i for i in set(expected) & set(indexed) if expected[i] != indexed[i]),
        "pending": pending,
    }
    report["ok"] = not (report["missing"] or report["extra"] or report["stale"] or pending)
    return report


class SyncLoop:
    """The app's background sync: runs after each kick (a write) and every few seconds, backing off on errors."""

    def __init__(self, backend_factory: Any, idle: float = 2.0, max_backoff: float = 30.0) -> None:
        self.backend_factory = backend_factory
        self.idle, self.max_backoff = idle, max_backoff
        self.event = asyncio.Event()

    def kick(self) -> None:
        self.event.set()

    async def run(self) -> None:
        delay = self.idle
        while True:
            try:
                await sync_pending(self.backend_factory())
                delay = self.idle
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the engine is down: keep the rows, try again later
                log.warning("search sync failed, retrying in %.0fs: %s", delay, exc)
                delay = min(delay * 2, self.max_backoff)
            try:  # kicked after a commit (db/outbox.py), so the rows are there to read
                await asyncio.wait_for(self.event.wait(), timeout=delay)
                self.event.clear()
            except TimeoutError:
                pass
