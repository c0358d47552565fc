"""The matcher's background work in the app: load the cases and the public model at start-up, and
bring them up to date after writes, so that no page request ever fits a model (issue 14, item 4).

The runtime (casebook.runtime) owns the worker the index runs its loads, fits and large transforms on,
and runs this loop while the app serves. A committed write kicks the loop through the outbox; a write by
another process (a CLI import while the server runs) is found by the periodic pass, which is one
primary-key range read when nothing changed.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from casebook.matching.index import MatcherIndex

log = logging.getLogger(__name__)
IDLE = 5.0  # seconds between passes when nothing kicks
SETTLE = 0.5  # after a kick, let a burst of commits (one per case of an import) end before refitting


class Warmup:
    def __init__(self, index: MatcherIndex, idle: float = IDLE) -> None:
        self.index, self.idle = index, idle
        self.event = asyncio.Event()

    def kick(self) -> None:
        self.event.set()

    async def run(self) -> None:
        while True:
            try:
                await self.index.warm()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: matches wait for it, the loop tries again
                log.warning("matcher warm-up failed, retrying in %.0fs: %s", self.idle, exc)
            with suppress(TimeoutError):
                await asyncio.wait_for(self.event.wait(), timeout=self.idle)
                self.event.clear()
                await asyncio.sleep(SETTLE)

