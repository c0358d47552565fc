"""The search outbox: an entry per change, written in the change's transaction, applied later.

Listeners (the app's search sync loop) are told after each entry, so the index catches up at once
instead of at the next poll; they only wake a loop, never touch the database themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Protocol

from casebook.db.tables import Outbox

_listeners: list[Callable[[], None]] = []


def on_enqueue(listener: Callable[[], None]) -> Callable[[], None]:
    """Registers a listener; returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


class Loop(Protocol):
    """A background loop woken by outbox writes: the search sync and the matcher warm-up."""

    def kick(self) -> None: ...

    def run(self) -> Awaitable[None]: ...


@asynccontextmanager
async def running(loop: Loop) -> AsyncIterator[None]:
    """Runs the loop for the duration of the block, woken after every outbox write; cancels it at the end."""
    remove = on_enqueue(loop.kick)
    task = asyncio.create_task(loop.run())
    try:
        yield
    finally:
        remove()
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def notify() -> None:
    """Wakes the listeners (after entries were written, e.g. by a bulk import)."""
    for listener in list(_listeners):
        listener()


async def enqueue(entity: str, entity_id: int, op: str = "upsert") -> None:
    await Outbox.insert(Outbox(entity=entity, entity_id=entity_id, op=op))
    notify()
