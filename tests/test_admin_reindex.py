"""Rebuilding the search index from the admin page: admins only, in the background, with progress and errors."""

from __future__ import annotations

import pytest

from casebook.db.tables import AuditEvent
from casebook.search import sync
from casebook.services.reindex_job import ReindexRunner
from tests.test_web_plans import signed_in


@pytest.fixture(autouse=True)
def reindex_job(monkeypatch, runtime):
    """A runner with no past rebuild, in place of the run's runtime's one."""
    runner = ReindexRunner(lambda: runtime.search)
    monkeypatch.setattr(runtime, "reindex", runner)
    return runner


async def test_an_admin_rebuilds_and_follows_the_progress(world, client, reindex_job):
    token = await signed_in(client, "alpha_admin")
    page = await client.get("/admin/alpha/search")
    assert page.status_code == 200 and "Rebuild the search index" in page.text
    assert "No rebuild has run since the app started." in page.text
    started = await client.post("/admin/alpha/search/reindex", headers={"HX-Request": "true"},
                                data={"_csrf_token": token})
    assert started.status_code == 200 and 'id="reindex-status"' in started.text
    assert 'data-state="running"' in started.text and 'hx-trigger="every 500ms"' in started.text
    await reindex_job.wait()
    done = await client.get("/admin/alpha/search/status")
    assert 'data-state="done"' in done.text and "hx-trigger" not in done.text  # polling stops
    documents = len(await sync.all_documents())
    assert f"indexed {documents} documents" in done.text and documents > 0
    assert reindex_job.status()["done"] == reindex_job.status()["total"] == documents
    assert await AuditEvent.count().where((AuditEvent.action == "search.reindex")
                                          & (AuditEvent.tenant == world.tenant_ids["alpha"])) == 1


async def test_only_admins_and_a_failure_is_reported(world, client, monkeypatch, reindex_job):
    token = await signed_in(client, "alpha_editor")
    assert (await client.get("/admin/alpha/search")).status_code == 403
    assert (await client.post("/admin/alpha/search/reindex", data={"_csrf_token": token})).status_code == 403
    assert (await client.get("/admin/alpha/search/status")).status_code == 403
    assert "Search index" not in (await client.get("/admin/alpha/members")).text
    assert reindex_job.status() is None
    client.cookies.clear()
    token = await signed_in(client, "beta_admin")
    assert (await client.get("/admin/alpha/search")).status_code == 404

    class Broken:
        name = "broken"

        def rebuild(self, docs):
            next(iter(docs))
            raise RuntimeError("disk full")

    monkeypatch.setattr(reindex_job, "backend", lambda: Broken())
    started = await client.post("/admin/beta/search/reindex", data={"_csrf_token": token})
    assert (started.status_code, started.headers["location"]) == (303, "/admin/beta/search")
    await reindex_job.wait()
    page = await client.get("/admin/beta/search")
    assert "The rebuild failed:</strong> disk full." in page.text and 'data-state="failed"' in page.text
