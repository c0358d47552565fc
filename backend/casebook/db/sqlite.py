"""A SQLite engine that keeps one connection per event loop for queries outside transactions.

Piccolo's SQLiteEngine opens a new connection (and a new thread) for every query, about 5 ms each,
which would dominate search and matching latency. Here, statements outside a transaction share one
autocommit connection; transactions still get their own connection, as in Piccolo. The database
runs in WAL mode, so readers never block the writer, and a busy timeout makes a writer wait for the lock.

Each shared statement runs and fetches in one step of the connection's thread: two interleaved cursors
on one connection would keep a read snapshot open, so a write on it after another connection committed
fails at once with `database is locked` (SQLITE_BUSY_SNAPSHOT), and a read after a commit may not see it.
Write transactions of one process queue on `writer_lock()` (one writer), so they never compete for
SQLite's lock in its busy handler; other processes still wait on the busy timeout.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA synchronous = NORMAL")


class SharedSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._shared: dict[int, aiosqlite.Connection] = {}
        self._writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary())
        self._wal_set = False

    def writer_lock(self) -> asyncio.Lock:
        """The lock every write transaction of this event loop holds, so writers queue in order."""
        loop = asyncio.get_running_loop()
        lock = self._writers.get(loop)
        if lock is None:
            lock = self._writers[loop] = asyncio.Lock()
        return lock

    async def _prepare(self, connection: aiosqlite.Connection) -> aiosqlite.Connection:
        if not self._wal_set:
            await connection.execute("PRAGMA journal_mode = WAL")
            self._wal_set = True
        for pragma in PRAGMAS:
            await connection.execute(pragma)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        return connection

    async def get_connection(self) -> aiosqlite.Connection:
        """Used by Piccolo for transactions: a fresh connection with our pragmas. Its worker thread is a
        daemon too: a transaction abandoned by a cancelled task (an app lifespan ending mid-query) must not
        keep the process alive at exit; SQLite rolls such a transaction back."""
        return await self._prepare(await _daemon(aiosqlite.connect(**self.connection_kwargs)))

    async def _shared_connection(self) -> aiosqlite.Connection:
        loop = id(asyncio.get_running_loop())
        connection = self._shared.get(loop)
        if connection is None:
            # Autocommit means nothing is pending in it, so its worker thread must not keep the
            # process alive at exit when a caller forgot to close().
            connection = await _daemon(aiosqlite.connect(**{**self.connection_kwargs, "isolation_level": None}))
            self._shared[loop] = await self._prepare(connection)
        return connection

    async def _run_in_new_connection(self, query: str, args: list[Any] | None = None,
                                     query_type: str = "generic", table: Any = None) -> Any:
        connection = await self._shared_connection()
        return await connection.execute_fetchall(query, args or [])

    async def close_loop_connection(self) -> None:
        """Closes the calling event loop's shared connection: a loop that ends before the app (a thread's)."""
        connection = self._shared.pop(id(asyncio.get_running_loop()), None)
        if connection is not None:
            await connection.close()

    async def close(self) -> None:
        for connection in self._shared.values():
            await connection.close()
        self._shared.clear()


def _daemon(pending: aiosqlite.Connection) -> aiosqlite.Connection:
    """Marks a connection's worker thread as a daemon before it starts (awaiting the connection starts it)."""
    worker = getattr(pending, "_thread", None)
    if worker is not None:
        worker.daemon = True
    return pending
