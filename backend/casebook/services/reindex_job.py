"""The search reindex started from the admin page: a background asyncio task, one at a time per process,
whose progress the page polls.

Who may start it: an admin of any organisation. The index is shared, but the rebuild only reads every record
and writes back the same documents with the same access labels (search filters by them at query time), so it
changes no data and shows nobody anything new; it costs CPU, and a second start while one runs just follows
the running one instead of starting another. Each start is audited in the admin's organisation. The status
it shows is counts and the error text: never a document, nor who started it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from casebook.domain.access import Actor, require_signed_in
from casebook.domain.clock import now
from casebook.domain.permissions import require
from casebook.search import sync
from casebook.search.service import get_backend
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


_job: ReindexJob | None = None
_task: asyncio.Task | None = None  # held, so the loop does not drop the running task


def status() -> dict[str, Any] | None:
    """The latest reindex of this process (running or finished), None if none was started."""
    return asdict(_job) if _job else None


async def _run(job: ReindexJob) -> None:
    try:
        job.result = await sync.reindex(get_backend(), progress=job.progress)
        job.state = "done"
    except Exception as exc:  # reported on the page; the old index keeps serving
        log.exception("reindex %s failed", job.number)
        job.error = (str(exc) or type(exc).__name__)[:300]
        job.state = "failed"
    finally:
        job.finished_at = now()


async def start(actor: Actor, tenant_id: int) -> dict[str, Any]:
    """Starts a rebuild unless one is running (then that one is returned)."""
    global _job, _task
    require_signed_in(actor)
    require(actor, "search.reindex", tenant_id)
    if _job is not None and _job.state == "running":
        return asdict(_job)
    _job = ReindexJob(number=(_job.number + 1) if _job else 1)
    await audit.record(actor, tenant_id, "search.reindex", "search", job=_job.number)
    _task = asyncio.create_task(_run(_job))
    return asdict(_job)


async def wait() -> None:
    """For the CLI and tests: until the running rebuild (if any) has finished."""
    if _task is not None:
        await asyncio.shield(_task)
