"""Test set-up: a real database (SQLite file, or a fresh PostgreSQL database), migrated once per run.

CASEBOOK_TEST_PG=postgresql://postgres@127.0.0.1:5432 runs the suite against PostgreSQL: a database
named casebook_test_<pid> is created for the run and dropped after it. One runtime (casebook.runtime),
built from explicit settings, serves the whole run: it binds the tables to its engine, the app under
test serves it, and bare engine calls in tests use it. The environment variables below are kept for the
command-line tests' subprocesses and the password hasher (read at import).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

HOME = Path(tempfile.mkdtemp(prefix="casebook-test-"))
os.environ["CASEBOOK_HOME"] = str(HOME)
os.environ["CASEBOOK_SECRET_KEY"] = "test-secret-key-0123456789abcdef"
os.environ["CASEBOOK_TEST_FAST_HASH"] = "1"
os.environ["CASEBOOK_ALLOWED_HOSTS"] = "testserver.local,localhost,127.0.0.1"  # the test client's host
os.environ.pop("CASEBOOK_DATABASE_URL", None)
PG_SERVER = os.environ.get("CASEBOOK_TEST_PG")
PG_DATABASE = f"casebook_test_{os.getpid()}"


async def _pg_admin(statement: str) -> None:
    import asyncpg
    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


if PG_SERVER:
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"'))
    asyncio.run(_pg_admin(f'CREATE DATABASE "{PG_DATABASE}"'))
    # A throwaway database: commits need not wait for the disk.
    asyncio.run(_pg_admin(f'ALTER DATABASE "{PG_DATABASE}" SET synchronous_commit = off'))
    os.environ["CASEBOOK_DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"

import casebook.db  # noqa: E402,F401
from casebook.db.migrate import migrate  # noqa: E402
from casebook.db.tables import ALL_TABLES  # noqa: E402
from casebook.domain.access import Actor  # noqa: E402
from casebook.runtime import Runtime  # noqa: E402
from casebook.services.actors import actor_for_user  # noqa: E402
from casebook.settings import Settings  # noqa: E402
from tests.factory import World, build_world  # noqa: E402

ENGINE = "postgres" if PG_SERVER else "sqlite"
SETTINGS = Settings(home=HOME, database_url=f"{PG_SERVER}/{PG_DATABASE}" if PG_SERVER else None, meili_url=None,
                    meili_key=None, secret_key=b"test-secret-key-0123456789abcdef", demo_password=None,
                    allowed_hosts=("testserver.local", "localhost", "127.0.0.1"))
RUNTIME = Runtime.build(SETTINGS)


def pytest_report_header() -> list[str]:
    return [f"casebook database engine: {ENGINE} ({SETTINGS.database_url or HOME})"]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if PG_SERVER:
        try:
            asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
        except Exception as exc:  # a leftover test database is harmless; say so and go on
            print(f"could not drop {PG_DATABASE}: {exc}")


@pytest.fixture(scope="session", autouse=True)
async def migrated() -> AsyncIterator[None]:
    """Starts the run's runtime in the tests' own event loop (its PostgreSQL pool lives there), migrates
    once, and closes the runtime at the end (workers, connections)."""
    async with RUNTIME.running():
        await migrate()
        yield


@pytest.fixture
def runtime(migrated: None) -> Runtime:
    """The run's runtime: its search backend, matcher and reindex runner."""
    return RUNTIME


async def wipe() -> None:
    """Empties every table, so each test starts from nothing but the schema."""
    engine = ALL_TABLES[0]._meta.db
    names = ", ".join(t._meta.tablename for t in ALL_TABLES)
    if ENGINE == "postgres":
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    else:
        for table in reversed(ALL_TABLES):
            await engine.run_ddl(f"DELETE FROM {table._meta.tablename}")


@pytest.fixture
async def clean(migrated: None) -> AsyncIterator[None]:
    await wipe()
    yield


@pytest.fixture
async def world(clean: None) -> World:
    """Two organisations, a network, users of every role, and cases that could leak."""
    return await build_world()


@pytest.fixture(scope="module")
async def shared_world(migrated: None) -> World:
    """The same world, built once per module, for tests that only read."""
    await wipe()
    return await build_world()


@pytest.fixture(scope="session")
def app() -> Any:
    from casebook.app import create_app
    return create_app(RUNTIME)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[Any]:
    # httpx's ASGI transport runs requests in the tests' own event loop (Litestar's test client uses
    # a portal thread, which cannot share the PostgreSQL pool).
    import httpx
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as test_client:
        yield test_client


async def actor(user_id: int) -> Actor:
    return await actor_for_user(user_id)
