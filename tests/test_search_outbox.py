"""Nothing is lost: writes made while the index is unavailable appear after recovery; drift is reported."""

from __future__ import annotations

import asyncio

import pytest

from casebook.db.tables import NetworkMember, Outbox
from casebook.domain.access import ANONYMOUS
from casebook.search import sync
from casebook.search.interface import SearchQuery, SearchUnavailable
from casebook.search.tantivy_backend import TantivyBackend
from casebook.services import cases, lessons, tenants
from casebook.services import search as service
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson
from tests.search_fixtures import set_backend


@pytest.fixture
async def lib(clean, tmp_path):
    tenant = await tenants.create_tenant("lib", "Library")
    previous = set_backend(TantivyBackend(tmp_path / "index"))
    yield system_actor(tenant["id"])
    set_backend(previous)


async def slugs(q: str = "") -> list[str]:
    return [h.slug for h in (await service.search(ANONYMOUS, SearchQuery(q=q), RUNTIME.search)).hits]


async def test_a_write_during_an_outage_appears_after_recovery(lib, tmp_path, client):
    blocker = tmp_path / "disk"
    blocker.write_text("not a folder")  # the index folder cannot be created: the engine is down
    set_backend(TantivyBackend(blocker / "index"))
    await cases.create_case(lib, "lib", make_case("quarry-dialogue", title="Quarry dialogue"), "public")
    for _ in range(2):
        with pytest.raises(SearchUnavailable):
            await service.sync_pending(RUNTIME.search)
    row = await Outbox.select(Outbox.attempts, Outbox.processed_at, Outbox.last_error).first()
    assert (row["attempts"], row["processed_at"]) == (2, None)
    assert "cannot be opened" in row["last_error"]
    response = await client.get("/api/v1/search", params={"q": "quarry"})
    assert response.status_code == 503
    blocker.unlink()  # recovery
    assert await service.sync_pending(RUNTIME.search) == {"applied": 1, "pending": 0}
    assert await slugs("quarry") == ["quarry-dialogue"]
    assert await Outbox.count().where(Outbox.processed_at.is_null()) == 0


async def test_updates_deletes_and_restores_reach_the_index(lib):
    created = await cases.create_case(lib, "lib", make_case("kiln", title="Brick kiln workers"), "public")
    await service.sync_pending(RUNTIME.search)
    assert await slugs("workers ") == ["kiln"]
    await cases.update_case(lib, "lib", "kiln", make_case("kiln", title="Brick makers' cooperative"),
                            created["version"])
    await service.sync_pending(RUNTIME.search)
    assert (await slugs("workers "), await slugs("cooperative")) == ([], ["kiln"])
    await cases.delete_case(lib, "lib", "kiln")
    await service.sync_pending(RUNTIME.search)
    assert await slugs("cooperative") == []
    await cases.restore_case(lib, "lib", "kiln")
    await service.sync_pending(RUNTIME.search)
    assert await slugs("cooperative") == ["kiln"]


async def test_lesson_writes_reach_the_index(lib):
    await lessons.create_lesson(lib, "lib", make_lesson("kiln-lesson", body="Masks for every brickmaker."), "public")
    await service.sync_pending(RUNTIME.search)
    found = (await service.search(ANONYMOUS, SearchQuery(q="brickmaker"), RUNTIME.search)).hits
    assert [(h.kind, h.url) for h in found] == [("lesson", "/lessons/lib/kiln-lesson")]
    await lessons.delete_lesson(lib, "lib", "kiln-lesson")
    await service.sync_pending(RUNTIME.search)
    assert await slugs("brickmaker") == []
    await lessons.restore_lesson(lib, "lib", "kiln-lesson")
    await service.sync_pending(RUNTIME.search)
    assert await slugs("brickmaker") == ["kiln-lesson"]


async def test_check_reports_drift_and_reindex_repairs_it(lib):
    case = await cases.create_case(lib, "lib", make_case("one"), "network")
    lesson = await lessons.create_lesson(lib, "lib", make_lesson("first-lesson"), "network")
    rows = await Outbox.select(Outbox.entity, Outbox.entity_id).order_by(Outbox.id)
    ids = [f"{r['entity'][0]}{r['entity_id']}" for r in rows]  # document ids: c1, l1
    assert len(ids) == 2 and {i[0] for i in ids} == {"c", "l"}
    report = await service.check_drift(RUNTIME.search)
    assert (report["missing"], report["pending"], report["ok"]) == (sorted(ids), 2, False)
    assert (report["documents"], report["kinds"]) == (2, {"case": 1, "lesson": 1, "block": 0})
    await service.sync_pending(RUNTIME.search)
    assert (await service.check_drift(RUNTIME.search))["ok"] is True
    # Joining a network changes who may read the network records: the join queues their re-labelling.
    net = await tenants.create_tenant("net", "Net", "network")
    await tenants.join_network(net["id"], lib.active_tenant)
    drift = await service.check_drift(RUNTIME.search)
    assert (drift["stale"], drift["pending"]) == (sorted(ids), 2)
    await service.sync_pending(RUNTIME.search)
    assert (await service.check_drift(RUNTIME.search))["ok"] is True
    # A hand-made drift (the index written behind the outbox's back) is repaired by a reindex.
    net2 = await tenants.create_tenant("net2", "Net 2", "network")
    await NetworkMember.insert(NetworkMember(network=net2["id"], member=lib.active_tenant))
    assert (await service.check_drift(RUNTIME.search))["stale"] == sorted(ids)
    assert await service.reindex(RUNTIME.search) == {"indexed": 2, "replayed": 0, "backend": "tantivy"}
    assert (await service.check_drift(RUNTIME.search))["ok"] is True
    assert (case["slug"], lesson["slug"]) == ("one", "first-lesson")


async def test_the_background_loop_applies_writes_after_a_kick(lib, runtime):
    loop = sync.SyncLoop(lambda: RUNTIME.search, idle=30)
    remove = runtime.outbox.add(loop.kick)
    task = asyncio.create_task(loop.run())
    try:
        await cases.create_case(lib, "lib", make_case("loop-case", title="Looping cooperative"), "public")
        for _ in range(100):
            if await slugs("looping"):
                break
            await asyncio.sleep(0.05)
        assert await slugs("looping") == ["loop-case"]
    finally:
        remove()
        task.cancel()


async def test_an_index_of_an_older_schema_is_rebuilt_by_the_next_sync(lib, tmp_path):
    await cases.create_case(lib, "lib", make_case("quarry-dialogue", title="Quarry dialogue"), "public")
    await Outbox.update({Outbox.processed_at: sync.now()}).where(Outbox.processed_at.is_null())
    folder = tmp_path / "old"
    (folder / "v1-g1").mkdir(parents=True)
    (folder / "CURRENT").write_text("v1-g1")  # left by an older release
    backend = TantivyBackend(folder)
    set_backend(backend)
    assert await slugs("quarry") == []  # the new schema starts empty
    assert backend.needs_rebuild
    assert await service.sync_pending(RUNTIME.search) == {"applied": 1, "pending": 0}
    assert await slugs("quarry") == ["quarry-dialogue"]
    assert not backend.needs_rebuild
