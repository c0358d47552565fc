"""The runtime: everything a running Casebook owns (settings, database engine, search backend, matcher,
reindex runner, outbox listeners and the worker threads), built once by the app's lifespan or by a CLI
command, and closed with it.

Why one object: state the process keeps between requests used to live in module globals, configured
from os.environ at import, so a test could not build a second set, and nothing said who closed what.
Now `Runtime.build(settings)` makes it all from explicit settings; the app stores it on `app.state` and
hands it to handlers as the `runtime` dependency; `start()` opens the engine's pool and the workers,
`background()` runs the search sync and the matcher warm-up, `close()` ends them all.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from casebook import active
from casebook.db import outbox
from casebook.db.engine import bind_engine, make_engine
from casebook.matching.index import MatcherIndex
from casebook.matching.warmup import Warmup
from casebook.search.interface import SearchBackend
from casebook.search.sync import SyncLoop
from casebook.services.reindex_job import ReindexRunner
from casebook.services.search import make_backend
from casebook.settings import Settings, settings_from_env

POOL_SIZE = 10  # PostgreSQL connections of a server process
MATCHER_WORKERS = 1
"""A fit already uses a full core, and numeric libraries are pinned to one thread per worker
(casebook.threads): more workers would only fight the requests on a 2-core machine."""


@dataclass(eq=False)
class Runtime:
    settings: Settings
    engine: Engine
    matcher: MatcherIndex
    owns_engine: bool = True
    """False when built on another runtime's engine (its pool and connections are that one's to close)."""
    matcher_workers: int = MATCHER_WORKERS
    pool_size: int = POOL_SIZE
    outbox: outbox.Listeners = field(default_factory=outbox.Listeners)
    reindex: ReindexRunner = field(init=False)
    _search: SearchBackend | None = None
    _executors: list[ThreadPoolExecutor] = field(default_factory=list)
    _previous: Any = None
    _previous_engine: Engine | None = None
    _started: bool = False
    _pooled: bool = False

    def __post_init__(self) -> None:
        self.reindex = ReindexRunner(lambda: self.search)

    @classmethod
    def build(cls, settings: Settings | None = None, *, engine: Engine | None = None,
              search: SearchBackend | None = None, matcher: MatcherIndex | None = None) -> Runtime:
        """From explicit settings (the environment's when None). Builds the engine from them and binds the
        tables to it when it starts, unless `engine` is given (shared, not closed by this runtime). No I/O
        happens here."""
        settings = settings or settings_from_env()
        owns = engine is None
        engine = engine or make_engine(settings)
        return cls(settings=settings, engine=engine, matcher=matcher or MatcherIndex(), owns_engine=owns,
                   _search=search)

    @property
    def search(self) -> SearchBackend:
        """The search backend the settings choose, built on first use (opening an index costs I/O)."""
        if self._search is None:
            self._search = make_backend(self.settings)
        return self._search

    @search.setter
    def search(self, backend: SearchBackend | None) -> None:
        self._search = backend

    @property
    def search_if_built(self) -> SearchBackend | None:
        return self._search

    def executor(self, name: str, workers: int) -> ThreadPoolExecutor:
        """A worker pool this runtime owns and shuts down on close."""
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"casebook-{name}")
        self._executors.append(pool)
        return pool

    async def start(self, pool: bool = True) -> Runtime:
        """Binds the tables to this runtime's engine, opens its PostgreSQL pool (`pool`, when this runtime
        owns the engine), starts the matcher's worker, and becomes the process's running runtime
        (casebook.active)."""
        if self._started:
            return self
        self._previous_engine = bind_engine(self.engine)
        if pool and self.owns_engine and isinstance(self.engine, PostgresEngine):
            await self.engine.start_connection_pool(max_size=self.pool_size)
            self._pooled = True
        self.matcher.executor = self.executor("matcher", self.matcher_workers)
        self._previous = active.install(self)
        self._started = True
        return self

    @asynccontextmanager
    async def background(self) -> AsyncIterator[None]:
        """The app's background loops for the duration of the block: the search sync and the matcher warm-up,
        each woken after every committed outbox write."""
        async with AsyncExitStack() as stack:
            await stack.enter_async_context(outbox.running(SyncLoop(lambda: self.search), self.outbox))
            await stack.enter_async_context(outbox.running(Warmup(self.matcher), self.outbox))
            yield

    async def close(self) -> None:
        """Ends what `start` began, in reverse: a running reindex, the matcher's tasks and worker, the
        engine's pool or shared connections, and binds back the engine the tables had. Safe to call twice."""
        if not self._started:
            return
        self._started = False
        active.restore(self, self._previous)
        await self.reindex.close()
        tasks = [t for t in (self.matcher._warming, *self.matcher.refits.values()) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError, Exception):
                await task
        self.matcher.executor = None
        for pool in self._executors:
            pool.shutdown(wait=False, cancel_futures=True)
        self._executors.clear()
        if self.owns_engine:
            if self._pooled:
                await self.engine.close_connection_pool()
                self._pooled = False
            elif hasattr(self.engine, "close"):
                await self.engine.close()
        bind_engine(self._previous_engine)

    @asynccontextmanager
    async def running(self, pool: bool = True, background: bool = False) -> AsyncIterator[Runtime]:
        """`start()`, then `close()` at the end of the block, with the background loops when asked."""
        await self.start(pool=pool)
        try:
            if background:
                async with self.background():
                    yield self
            else:
                yield self
        finally:
            await self.close()
