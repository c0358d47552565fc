"""A SQLite engine that keeps one connection per event loop for queries outside transactions.

Piccolo's SQLiteEngine opens a new connection (and a new thread) for every query, about 5 ms each,
which would dominate search and matching latency. Here, statements outside a transaction share one
autocommit connection; transactions still get their own connection, as in Piccolo. The database
runs in WAL mode, so readers never block the writer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA synchronous = NORMAL")


class SharedSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._shared: dict[int, aiosqlite.Connection] = {}
        self._wal_set = False

    async def _prepare(self, connection: aiosqlite.Connection) -> aiosqlite.Connection:
        if not self._wal_set:
            await connection.execute("PRAGMA journal_mode = WAL")
            self._wal_set = True
        for pragma in PRAGMAS:
            await connection.execute(pragma)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        return connection

    async def get_connection(self) -> aiosqlite.Connection:
        """Used by Piccolo for transactions: a fresh connection with our pragmas."""
        return await self._prepare(await aiosqlite.connect(**self.connection_kwargs))

    async def _shared_connection(self) -> aiosqlite.Connection:
        loop = id(asyncio.get_running_loop())
        connection = self._shared.get(loop)
        if connection is None:
            pending = aiosqlite.connect(**{**self.connection_kwargs, "isolation_level": None})
            # Autocommit means nothing is pending in it, so its worker thread must not keep the
            # process alive at exit when a caller forgot to close().
            worker = getattr(pending, "_thread", None)
            if worker is not None:
                worker.daemon = True
            connection = await pending
            self._shared[loop] = await self._prepare(connection)
        return connection

    async def _run_in_new_connection(self, query: str, args: list[Any] | None = None,
                                     query_type: str = "generic", table: Any = None) -> Any:
        connection = await self._shared_connection()
        async with connection.execute(query, args or []) as cursor:
            return await cursor.fetchall()

    async def close(self) -> None:
        for connection in self._shared.values():
            await connection.close()
        self._shared.clear()
