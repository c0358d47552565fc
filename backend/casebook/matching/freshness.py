"""Keeping the matcher fresh from the outbox: which case writes the index has not applied yet.

Every case write adds an outbox row in the same transaction (services/cases.py). Each query first
reads the outbox rows after the last one applied (a cheap primary-key range read); the index then
reads those cases again and applies them. Ids are re-read a little way back (`LOOKBACK`) because a
transaction may commit a lower id after a higher one, and the cursor's timestamp detects an outbox
that was wiped or rewritten (the index then loads everything again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casebook.db.tables import CaseRecord, Outbox
from casebook.matching.entries import CASE_COLUMNS

LOOKBACK = 500  # outbox ids re-read each time: a transaction may commit a lower id after a higher one


class OutboxCursor:
    """The last case event applied (id and created_at) and the ids applied near it."""

    def __init__(self) -> None:
        self.last: int | None = None  # last outbox id applied
        self.stamp: Any = None  # its created_at: detects a wiped or rewritten outbox
        self.applied: set[int] = set()

    async def valid(self) -> bool:
        if self.last is None:
            return await Outbox.count().where(Outbox.entity == "case") == 0
        row = await Outbox.select(Outbox.created_at).where(Outbox.id == self.last).first()
        return row is not None and row["created_at"] == self.stamp

    async def pending(self) -> list[dict[str, Any]]:
        """Case events not applied yet (id, entity_id, created_at), oldest first; after `valid`."""
        query = Outbox.select(Outbox.id, Outbox.entity_id, Outbox.created_at).where(Outbox.entity == "case")
        if self.last is not None:  # no cursor yet (an outbox with no case events): every event is new
            query = query.where(Outbox.id > self.last - LOOKBACK)
        rows = await query.order_by(Outbox.id)
        return [r for r in rows if r["id"] not in self.applied]

    def advance(self, events: list[dict[str, Any]]) -> None:
        """Marks `events` (from `pending`) applied."""
        for r in events:
            self.applied.add(r["id"])
            if r["id"] >= self.last:
                self.last, self.stamp = r["id"], r["created_at"]
        self.applied = {i for i in self.applied if i > self.last - LOOKBACK}

    def start(self, last: dict[str, Any] | None, recent: list[dict[str, Any]]) -> None:
        """After a full load: `last` and `recent` from `latest_event` and `recent_events`."""
        if last:
            self.last, self.stamp = last["id"], last["created_at"]
            self.applied = {r["id"] for r in recent}


async def latest_event() -> dict[str, Any] | None:
    return await Outbox.select(Outbox.id, Outbox.created_at).where(Outbox.entity == "case").order_by(
        Outbox.id, ascending=False).first()


async def recent_events(last: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The case events near `last`, which a full load read before them all may already include."""
    if not last:
        return []
    return await Outbox.select(Outbox.id).where((Outbox.entity == "case") & (Outbox.id > last["id"] - LOOKBACK))


async def live_cases() -> list[dict[str, Any]]:
    return await CaseRecord.select(*CASE_COLUMNS).where(CaseRecord.deleted_at.is_null()).order_by(CaseRecord.id)


async def cases_by_id(case_ids: Iterable[int]) -> list[dict[str, Any]]:
    return await CaseRecord.select(*CASE_COLUMNS).where(CaseRecord.id.is_in(list(case_ids)))
