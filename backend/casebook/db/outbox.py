"""The search outbox: an entry per change, written in the change's transaction, applied later.

Listeners (the runtime's search sync and matcher warm-up loops) are woken once the change's transaction
has committed, so the index catches up at once instead of at the next poll, and reads the committed rows;
they only wake a loop, never touch the database themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Protocol

from casebook import active
from casebook.db.tables import Outbox
from casebook.db.transaction import after_commit


class Listeners:
    """Who is woken after outbox writes: one set per runtime (casebook.runtime.Runtime.outbox)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def add(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Registers a listener; returns a function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def wake(self) -> None:
        for listener in list(self._listeners):
            listener()


class Loop(Protocol):
    """A background loop woken by outbox writes: the search sync and the matcher warm-up."""

    def kick(self) -> None: ...

    async def run(self) -> None: ...


@asynccontextmanager
async def running(loop: Loop, listeners: Listeners) -> AsyncIterator[None]:
    """Runs the loop for the duration of the block, woken after every outbox write; cancels it at the end."""
    remove = listeners.add(loop.kick)
    task = asyncio.create_task(loop.run())
    try:
        yield
    finally:
        remove()
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def _wake() -> None:
    runtime = active.runtime()
    if runtime is not None:
        runtime.outbox.wake()


def notify() -> None:
    """Wakes the running runtime's listeners once the open transaction commits (at once outside one): after
    entries were written, e.g. by a bulk import. The writer reaches the runtime through `casebook.active`,
    as every write path of every service would otherwise have to carry it."""
    after_commit(_wake)


async def enqueue(entity: str, entity_id: int, op: str = "upsert") -> None:
    await Outbox.insert(Outbox(entity=entity, entity_id=entity_id, op=op))
    notify()
