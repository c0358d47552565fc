"""Concurrent requests: token reads never write synchronously, writers queue, nothing answers 5xx.

A server may run several workers on one SQLite file. Two event loops (the test's, and a second one in a
thread, each with its own shared connection, as two worker processes have) send their requests to the
real ASGI app at the same time. On SQLite this used to give 500 (`database is locked`) when the token's
`last_used_at` was written on the read path. The suite runs on PostgreSQL too.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from casebook.db.tables import ApiToken
from casebook.services import tokens
from tests.conftest import ENGINE
from tests.factory import make_case

Requests = Callable[[httpx.AsyncClient], list[Awaitable[httpx.Response]]]


def _well_formed(response: httpx.Response) -> bool:
    """Success, a 4xx, or a 503 that says when to come back."""
    if response.status_code == 503:
        return "retry-after" in response.headers and response.json()["status"] == 503
    return response.status_code < 500


async def _send(app: Any, requests: Requests) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        return list(await asyncio.gather(*requests(client)))


async def two_workers(app: Any, requests: Requests) -> list[httpx.Response]:
    """The same requests from this event loop and, on SQLite, from a second loop in a thread, at once."""
    if ENGINE != "sqlite":  # the PostgreSQL pool belongs to the tests' loop
        return await _send(app, requests) + await _send(app, requests)
    other: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: other.extend(asyncio.run(_second_loop(app, requests))))
    thread.start()
    mine = await _send(app, requests)
    await asyncio.to_thread(thread.join)
    return mine + other


async def _second_loop(app: Any, requests: Requests) -> list[httpx.Response]:
    try:
        return await _send(app, requests)
    finally:
        await tokens.settle_touches()
        await ApiToken._meta.db.close_loop_connection()


async def test_parallel_me_with_a_token_all_succeed(world, app):
    auth = world.auth("alpha_editor")
    responses = await two_workers(app, lambda c: [c.get("/api/v1/me", headers=auth) for _ in range(40)])
    assert [r.status_code for r in responses] == [200] * 80
    assert {r.json()["email"] for r in responses} == {"alpha_editor@example.org"}
    await tokens.settle_touches()
    used = await ApiToken.select(ApiToken.last_used_at).where(ApiToken.user == world.user_ids["alpha_editor"])
    assert [row["last_used_at"] is not None for row in used] == [True]


async def test_me_alongside_creates_and_puts_stores_every_write(world, app, client):
    auth = world.auth("alpha_editor")
    loops = iter(("a", "b"))

    def requests(c: httpx.AsyncClient) -> list[Awaitable[httpx.Response]]:
        loop = next(loops)  # each loop creates its own cases
        return [*(c.get("/api/v1/me", headers=auth) for _ in range(20)),
                *(c.post("/api/v1/cases", headers=auth, json={
                    "tenant": "alpha", "visibility": "private", "case": make_case(f"par-{loop}-{i}")})
                  for i in range(10))]

    created = await two_workers(app, requests)
    assert all(_well_formed(r) for r in created), [r.text for r in created if not _well_formed(r)]
    stored = [r.json()["slug"] for r in created if r.status_code == 201]
    assert {r.status_code for r in created} <= {200, 201, 503}
    for slug in stored:  # a write that answered 201 is there
        assert (await client.get(f"/api/v1/cases/alpha/{slug}", headers=auth)).status_code == 200

    slugs = iter((stored[: len(stored) // 2], stored[len(stored) // 2:]))

    def puts(c: httpx.AsyncClient) -> list[Awaitable[httpx.Response]]:
        return [c.put(f"/api/v1/cases/alpha/{slug}", headers=auth,
                      json={"version": 1, "case": make_case(slug, title=f"Edited {slug}")}) for slug in next(slugs)]

    edited = await two_workers(app, puts)
    assert all(_well_formed(r) for r in edited), [r.text for r in edited if not _well_formed(r)]
    for response in edited:
        if response.status_code == 200:
            slug = response.json()["slug"]
            current = (await client.get(f"/api/v1/cases/alpha/{slug}", headers=auth)).json()
            assert (current["version"], current["title"]) == (2, f"Edited {slug}")


async def test_parallel_plan_patches_leave_one_winner(world, app, client):
    auth = world.auth("alpha_editor")
    created = await client.post("/api/v1/plans", headers=auth, json={
        "template": "alpha/alpha-public", "target": {"title": "Target site", "country": "RS"}})
    assert created.status_code == 201, created.text
    plan = created.json()

    def patches(c: httpx.AsyncClient) -> list[Awaitable[httpx.Response]]:
        return [c.patch(f"/api/v1/plans/{plan['id']}", headers=auth,
                        json={"version": plan["version"], "edits": {"task-1.1": {"done": True}}}) for _ in range(10)]

    responses = await two_workers(app, patches)
    assert all(_well_formed(r) for r in responses), [r.text for r in responses if not _well_formed(r)]
    assert sum(r.status_code == 200 for r in responses) == 1
    assert {r.status_code for r in responses} - {200} <= {409, 503}
    current = (await client.get(f"/api/v1/plans/{plan['id']}", headers=auth)).json()
    assert current["version"] == plan["version"] + 1


async def test_a_write_that_cannot_get_the_lock_answers_503_with_retry_after_and_changes_nothing(
        world, client, monkeypatch):
    if ENGINE != "sqlite":
        return
    import sqlite3

    from tests.conftest import HOME
    engine = ApiToken._meta.db
    monkeypatch.setitem(engine.connection_kwargs, "timeout", 0.2)  # a short busy timeout for this test
    auth = world.auth("alpha_editor")
    other = sqlite3.connect(HOME / "casebook.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock past the busy timeout
    try:
        response = await client.put("/api/v1/cases/alpha/alpha-private", headers=auth,
                                    json={"version": 1, "case": make_case("alpha-private", title="Never stored")})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (response.status_code, response.headers["retry-after"]) == (503, "2")
    assert response.json() == {"error": "the database is busy; retry in 2 seconds", "status": 503,
                               "code": "database_busy"}
    current = (await client.get("/api/v1/cases/alpha/alpha-private", headers=auth)).json()
    assert (current["version"], current["title"]) == (1, "Secret-alpha-private partnership")
