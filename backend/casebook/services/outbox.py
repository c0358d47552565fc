"""The search outbox: an entry per change, written in the change's transaction, applied later.

Listeners (the app's search sync loop) are told after each entry, so the index catches up at once
instead of at the next poll; they only wake a loop, never touch the database themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from casebook.db.tables import Outbox

_listeners: list[Callable[[], None]] = []


def on_enqueue(listener: Callable[[], None]) -> Callable[[], None]:
    """Registers a listener; returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def notify() -> None:
    """Wakes the listeners (after entries were written, e.g. by a bulk import)."""
    for listener in list(_listeners):
        listener()


async def enqueue(entity: str, entity_id: int, op: str = "upsert") -> None:
    await Outbox.insert(Outbox(entity=entity, entity_id=entity_id, op=op))
    notify()
