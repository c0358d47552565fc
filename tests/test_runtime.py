"""The runtime owns the process's state: the app's lifespan builds one from explicit settings, serves it
to handlers, runs its background loops (woken after each commit), and closes everything it started."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest

from casebook import active
from casebook.app import create_app
from casebook.db import outbox
from casebook.db.migrate import migrate
from casebook.db.tables import CaseRecord, Outbox
from casebook.db.transaction import write_transaction
from casebook.domain.access import ANONYMOUS
from casebook.search.interface import SearchQuery
from casebook.services import cases, search, tenants
from casebook.services.actors import system_actor
from tests.factory import make_case


async def test_the_apps_lifespan_runs_a_runtime_of_its_own_and_closes_it(clean, runtime, tmp_path):
    settings = replace(runtime.settings, home=tmp_path)  # its own search index (and, on SQLite, database)
    app = create_app(settings=settings)
    async with app.lifespan():
        own = app.state.runtime
        assert own is not runtime and own.settings == settings
        assert active.runtime() is own and CaseRecord._meta.db is own.engine
        await migrate()
        tenant = await tenants.create_tenant("lib", "Library")
        await cases.create_case(system_actor(tenant["id"]), "lib", make_case("kiln", title="Brick kiln workers"),
                                "public")
        for _ in range(200):  # no sync call: the commit woke the runtime's search sync loop
            found = await search.search(ANONYMOUS, SearchQuery(q="kiln"), own.search)
            if found.hits:
                break
            await asyncio.sleep(0.05)
        assert [h.slug for h in found.hits] == ["kiln"]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
            answer = (await c.get("/api/v1/search", params={"q": "kiln"})).json()
        assert [h["slug"] for h in answer["hits"]] == ["kiln"]
        executor = own.matcher.executor
        assert executor is not None and executor._max_workers == 1
    assert own.matcher.executor is None and executor._shutdown
    assert active.runtime() is runtime and CaseRecord._meta.db is runtime.engine


async def test_outbox_listeners_are_woken_once_the_write_commits_and_never_for_a_rollback(clean, runtime):
    woken: list[int] = []
    remove = runtime.outbox.add(lambda: woken.append(len(woken) + 1))
    try:
        async with write_transaction():
            await outbox.enqueue("case", 1)
            async with write_transaction():  # a nested write joins: still one wake-up, after the outer commit
                await outbox.enqueue("case", 2)
            assert woken == []
        assert woken == [1]
        with pytest.raises(RuntimeError):
            async with write_transaction():
                await outbox.enqueue("case", 3)
                raise RuntimeError("rolled back")
        assert woken == [1]
        assert [r["entity_id"] for r in await Outbox.select(Outbox.entity_id).order_by(Outbox.id)] == [1, 2]
        await outbox.enqueue("case", 4)  # outside a transaction the row is committed already
        assert woken == [1, 2]
    finally:
        remove()
