"""The search reindex started from the admin page: a background asyncio task, one at a time per runtime
(casebook.runtime.Runtime.reindex), whose progress the page polls.

Who may start it: an admin of any organisation. The index is shared, but the rebuild only reads every record
and writes back the same documents with the same access labels (search filters by them at query time), so it
changes no data and shows nobody anything new; it costs CPU, and a second start while one runs just follows
the running one instead of starting another. Each start is audited in the admin's organisation. The status
it shows is counts and the error text: never a document, nor who started it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from casebook.domain.access import Actor, require_signed_in
from casebook.domain.clock import now
from casebook.domain.permissions import require
from casebook.search import sync
from casebook.search.interface import SearchBackend
from casebook.services import audit

log = logging.getLogger("casebook.search")


@dataclass
class ReindexJob:
    number: int  # who started it is in the audit log of their organisation, not here: any admin sees this
    started_at: datetime = field(default_factory=now)
    state: str = "running"  # running | done | failed
    done: int = 0
    total: int | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    def progress(self, done: int, total: int) -> None:
        """Called from the engine's thread: plain assignments only."""
        self.done, self.total = done, total


class ReindexRunner:
    """Runs one rebuild at a time against the backend `backend()` names (the runtime's, read at each start)."""

    def __init__(self, backend: Callable[[], SearchBackend]) -> None:
        self.backend = backend
        self.job: ReindexJob | None = None
        self.task: asyncio.Task[None] | None = None  # held, so the loop does not drop the running task

    def status(self) -> dict[str, Any] | None:
        """The latest reindex of this runtime (running or finished), None if none was started."""
        return asdict(self.job) if self.job else None

    async def _run(self, job: ReindexJob) -> None:
        try:
            job.result = await sync.reindex(self.backend(), progress=job.progress)
            job.state = "done"
        except Exception as exc:  # reported on the page; the old index keeps serving
            log.exception("reindex %s failed", job.number)
            job.error = (str(exc) or type(exc).__name__)[:300]
            job.state = "failed"
        finally:
            job.finished_at = now()

    async def start(self, actor: Actor, tenant_id: int) -> dict[str, Any]:
        """Starts a rebuild unless one is running (then that one is returned)."""
        require_signed_in(actor)
        require(actor, "search.reindex", tenant_id)
        if self.job is not None and self.job.state == "running":
            return asdict(self.job)
        self.job = job = ReindexJob(number=(self.job.number + 1) if self.job else 1)
        await audit.record(actor, tenant_id, "search.reindex", "search", job=job.number)
        self.task = asyncio.create_task(self._run(job))
        return asdict(job)

    async def wait(self) -> None:
        """For the CLI and tests: until the running rebuild (if any) has finished."""
        if self.task is not None:
            await asyncio.shield(self.task)

    async def close(self) -> None:
        """Stops a running rebuild (the runtime is closing); the old index keeps what it had."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with suppress(asyncio.CancelledError):
                await self.task
