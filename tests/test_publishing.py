"""Publishing: draft -> in review -> published (and withdrawn), who may do what, and what others read."""

from __future__ import annotations

import json

from casebook.db.tables import AuditEvent, CaseRecord, CaseRevision, Outbox
from casebook.services import lessons, library, publishing
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson
from tests.test_feeds import titles
from tests.test_pages import csrf, sign_in

BASE = "/api/v1/cases/alpha/draft"


async def snapshot(slug: str = "draft") -> tuple:
    """Everything a refused transition must leave untouched: the row, its revisions, the audit log, the outbox."""
    row = await CaseRecord.select().where(CaseRecord.slug == slug).first()
    revisions = await CaseRevision.select().where(CaseRevision.case == row["id"]).order_by(CaseRevision.version)
    return row, revisions, await AuditEvent.count(), await Outbox.count()


async def create(client, world, user="alpha_editor", visibility="network", slug="draft", **overrides):
    response = await client.post("/api/v1/cases", headers=world.auth(user), json={
        "tenant": "alpha", "visibility": visibility, "case": make_case(slug, title=f"Draft {slug}", **overrides)})
    assert response.status_code == 201, response.text
    return response.json()


async def act(client, world, user, action, base=BASE, **body):
    return await client.post(f"{base}/{action}", headers=world.auth(user), json=body)


async def submitted(client, world, **kwargs):
    created = await create(client, world, **kwargs)
    base = f"/api/v1/cases/alpha/{created['slug']}"
    assert (await act(client, world, "alpha_editor", "submit", base)).status_code == 200
    return created


async def test_a_case_made_through_the_api_is_a_draft_nobody_else_reads(world, client):
    created = await create(client, world)
    assert created["publication"]["state"] == "draft" and created["publication"]["published_version"] is None
    assert (await client.get(BASE, headers=world.auth("gamma_editor"))).status_code == 404
    assert (await client.get(f"{BASE}/revisions", headers=world.auth("gamma_editor"))).status_code == 404
    listed = (await client.get("/api/v1/cases", headers=world.auth("gamma_editor"))).json()["items"]
    assert "draft" not in {c["slug"] for c in listed}
    export = (await client.get("/api/v1/export?format=json", headers=world.auth("gamma_editor"))).json()
    assert "draft" not in {c["slug"] for c in export["cases"]}
    mine = (await client.get(BASE, headers=world.auth("alpha_viewer"))).json()
    assert mine["publication"]["state"] == "draft" and mine["title"] == "Draft draft"


async def test_network_admin_approves_and_members_then_read_the_published_version(world, client):
    await submitted(client, world)
    before = await snapshot()
    # The owner's own admin is not the network's reviewer; another member cannot even see the draft.
    assert (await act(client, world, "alpha_admin", "approve", version=1)).status_code == 403
    assert (await act(client, world, "gamma_editor", "approve", version=1)).status_code == 404
    stale = await act(client, world, "net_admin", "approve", version=7)
    assert stale.status_code == 409
    assert await snapshot() == before
    approved = await act(client, world, "net_admin", "approve", version=1)
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "published" and approved.json()["published_version"] == 1
    read = await client.get(BASE, headers=world.auth("gamma_editor"))
    assert read.status_code == 200 and read.json()["title"] == "Draft draft"
    assert "publication" not in read.json()  # the owner's workflow is not shown to others
    revisions = (await client.get(f"{BASE}/revisions", headers=world.auth("gamma_editor"))).json()
    assert [(r["version"], r["published_at"] is not None) for r in revisions] == [(1, True)]
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.target == "alpha/draft").order_by(AuditEvent.id)]
    assert actions == ["case.create", "case.submit", "case.approve"]
    row = await CaseRecord.select(CaseRecord.id).where(CaseRecord.slug == "draft").first()
    assert await Outbox.count().where((Outbox.entity == "case") & (Outbox.entity_id == row["id"])) == 3


async def test_an_edit_after_publication_is_a_new_draft_while_others_keep_the_published_one(world, client):
    await submitted(client, world)
    assert (await act(client, world, "net_admin", "approve", version=1)).status_code == 200
    edited = await client.put(BASE, headers=world.auth("alpha_editor"), json={
        "version": 1, "case": make_case("draft", title="Draft draft, rewritten", country="PE")})
    assert edited.status_code == 200
    assert edited.json()["publication"] | {"published_at": None} == {
        "state": "draft", "visibility": "network", "published_version": 1, "published_visibility": "network",
        "published_at": None, "review_comment": None, "pending": True}
    other = world.auth("gamma_editor")
    read = (await client.get(BASE, headers=other)).json()
    assert (read["title"], read["version"], read["country"]) == ("Draft draft", 1, "CO")
    # Nor does the date: others see when the snapshot was published, not when the owner last saved.
    owner_read = (await client.get(BASE, headers=world.auth("alpha_viewer"))).json()
    assert read["updated_at"] == owner_read["publication"]["published_at"] != owner_read["updated_at"]
    assert (await client.get(f"{BASE}/revisions/2", headers=other)).status_code == 404
    assert [r["version"] for r in (await client.get(f"{BASE}/revisions", headers=other)).json()] == [1]
    # List filters match what others read, not the unpublished edit.
    peru = (await client.get("/api/v1/cases?country=PE", headers=other)).json()["items"]
    colombia = (await client.get("/api/v1/cases?country=CO&tenant=alpha", headers=other)).json()["items"]
    assert "draft" not in {c["slug"] for c in peru} and "draft" in {c["slug"] for c in colombia}
    owner_peru = (await client.get("/api/v1/cases?country=PE", headers=world.auth("alpha_viewer"))).json()
    assert [c["title"] for c in owner_peru["items"]] == ["Draft draft, rewritten"]
    for fmt in ("json", "csv", "yaml", "un-registry"):
        body = (await client.get(f"/api/v1/export?format={fmt}", headers=other)).text
        assert "Draft draft" in body and "rewritten" not in body, fmt
    await sign_in(client, "gamma_editor@example.org")
    for path in ("/cases/alpha/draft", "/cases/alpha/draft/history", "/compare?cases=alpha/draft,alpha/alpha-public",
                 "/cases/alpha/draft/history?from=1&to=2"):
        page = await client.get(path)
        assert "rewritten" not in page.text, path
        assert page.status_code == 400 if "to=2" in path else "Draft draft" in page.text, path
    # Resubmitted and approved: the new version replaces the old one for everyone.
    assert (await act(client, world, "alpha_editor", "submit")).status_code == 200
    assert (await act(client, world, "net_admin", "approve", version=2)).status_code == 200
    assert (await client.get(BASE, headers=other)).json()["title"] == "Draft draft, rewritten"
    assert [r["version"] for r in (await client.get(f"{BASE}/revisions", headers=other)).json()] == [2, 1]


async def test_approve_after_the_record_changed_is_a_conflict(world, client):
    await submitted(client, world)
    await client.put(BASE, headers=world.auth("alpha_editor"), json={
        "version": 1, "case": make_case("draft", title="Changed while in review")})
    before = await snapshot()
    response = await act(client, world, "net_admin", "approve", version=1)
    assert response.status_code == 409  # back in draft after the edit, and the version moved on
    assert await snapshot() == before


async def test_send_back_needs_a_comment_and_shows_it_to_the_owner(world, client):
    await submitted(client, world)
    before = await snapshot()
    missing = await act(client, world, "net_admin", "return")
    assert missing.status_code == 400 and missing.json()["problems"][0]["field"] == "comment"
    assert await snapshot() == before
    sent = await act(client, world, "net_admin", "return", comment="Name the municipality's role.")
    assert sent.status_code == 200 and sent.json()["state"] == "draft"
    mine = (await client.get(BASE, headers=world.auth("alpha_editor"))).json()["publication"]
    assert mine["review_comment"] == "Name the municipality's role."
    detail = json.loads((await AuditEvent.select(AuditEvent.detail).where(
        AuditEvent.action == "case.return").first())["detail"])
    assert detail["comment"] == "Name the municipality's role."


async def test_publishing_to_everyone_needs_an_admin_of_the_owner(world, client):
    await submitted(client, world, visibility="public")
    assert (await act(client, world, "net_admin", "approve", version=1)).status_code == 404  # not its reviewer
    assert (await act(client, world, "alpha_editor", "approve", version=1)).status_code == 403
    assert (await client.get(BASE)).status_code == 404
    assert (await act(client, world, "alpha_admin", "approve", version=1)).status_code == 200
    assert (await client.get(BASE)).json()["visibility"] == "public"
    assert "Draft draft" in titles((await client.get("/feeds/public.atom")).text)


async def test_withdraw_hides_it_from_others_at_once(world, client):
    await submitted(client, world, visibility="public")
    await act(client, world, "alpha_admin", "approve", version=1)
    assert (await act(client, world, "beta_admin", "withdraw")).status_code == 403  # reads it, may not withdraw
    assert (await act(client, world, "alpha_editor", "withdraw")).status_code == 403
    row = await CaseRecord.select(CaseRecord.id).where(CaseRecord.slug == "draft").first()
    queued = await Outbox.count().where(Outbox.entity_id == row["id"])
    response = await act(client, world, "alpha_admin", "withdraw")
    assert response.status_code == 200 and response.json()["published_visibility"] is None
    assert await Outbox.count().where(Outbox.entity_id == row["id"]) == queued + 1
    assert (await client.get(BASE)).status_code == 404
    assert "Draft draft" not in titles((await client.get("/feeds/public.atom")).text)
    assert "draft" not in (await client.get("/api/v1/export?format=csv")).text.split()
    revision = await CaseRevision.select(CaseRevision.published_at).where(CaseRevision.case == row["id"]).first()
    assert revision["published_at"] is not None  # the history stays
    before = await snapshot()
    assert (await act(client, world, "alpha_admin", "withdraw")).status_code == 409
    assert await snapshot() == before
    assert (await act(client, world, "alpha_editor", "submit")).status_code == 200  # withdrawn -> in review


async def test_transitions_not_allowed_in_the_state_are_conflicts_and_change_nothing(world, client):
    await create(client, world)
    await create(client, world, visibility="private", slug="mine")
    before = await snapshot()
    assert (await act(client, world, "net_admin", "approve", version=1)).status_code == 409
    assert (await act(client, world, "alpha_admin", "withdraw")).status_code == 409
    assert await snapshot() == before
    assert (await act(client, world, "alpha_editor", "submit", "/api/v1/cases/alpha/mine")).status_code == 409
    assert (await act(client, world, "alpha_editor", "submit")).status_code == 200
    assert (await act(client, world, "alpha_editor", "submit")).status_code == 409


async def test_roles_and_strangers(world, client):
    await create(client, world)
    before = await snapshot()
    assert (await act(client, world, "alpha_viewer", "submit")).status_code == 403
    assert (await act(client, world, "beta_admin", "submit")).status_code == 404  # never learns it exists
    assert (await client.post(f"{BASE}/submit")).status_code == 401
    unknown = await act(client, world, "alpha_editor", "publish")
    assert unknown.status_code == 400 and unknown.json()["problems"][0]["field"] == "action"
    assert (await act(client, world, "beta_admin", "publish")).status_code == 400  # the same for a stranger
    assert await snapshot() == before


async def test_the_review_queue_holds_what_the_actor_may_approve(world, client):
    await submitted(client, world)
    await submitted(client, world, visibility="public", slug="open")
    queue = {a: [(r["kind"], r["tenant"], r["slug"]) for r in await publishing.review_queue(await world.actor(a))]
             for a in ("net_admin", "alpha_admin", "alpha_editor", "beta_admin")}
    assert queue == {"net_admin": [("case", "alpha", "draft")], "alpha_admin": [("case", "alpha", "open")],
                     "alpha_editor": [], "beta_admin": []}


async def test_the_system_actor_publishes_directly(world, client):
    operator = system_actor(world.tenant_ids["alpha"])
    await library.import_documents(operator, "alpha", [("x.yaml", make_case("imported"))], visibility="network")
    assert (await client.get("/api/v1/cases/alpha/imported", headers=world.auth("gamma_editor"))).status_code == 200
    published = await CaseRevision.select(CaseRevision.published_at).where(
        CaseRevision.case.slug == "imported").first()
    assert published["published_at"] is not None
    # A replacement by the operator publishes the new version too; by an editor it would wait for review.
    await library.import_documents(operator, "alpha", [("x.yaml", make_case("imported", title="Re-imported"))],
                                   visibility="network", replace=True)
    read = (await client.get("/api/v1/cases/alpha/imported", headers=world.auth("gamma_editor"))).json()
    assert (read["title"], read["version"]) == ("Re-imported", 2)


async def test_feeds_carry_published_lessons_with_their_rendered_body(world, client):
    operator = system_actor(world.tenant_ids["alpha"])
    await lessons.create_lesson(operator, "alpha", make_lesson("trust", body="Build **trust** <script>x</script>"),
                                "public")
    await lessons.create_lesson(await world.actor("alpha_editor"), "alpha", make_lesson("hidden"), "public")
    feed = (await client.get("/feeds/public.atom")).text
    assert "Lesson trust" in titles(feed) and "Lesson hidden" not in titles(feed)
    assert "/lessons/alpha/trust" in feed
    assert "&lt;strong&gt;trust&lt;/strong&gt;" in feed and "<script>" not in feed


async def test_the_case_page_shows_the_workflow_to_the_owner_and_the_snapshot_to_others(world, client):
    await submitted(client, world)
    await act(client, world, "net_admin", "approve", version=1)
    await client.put(BASE, headers=world.auth("alpha_editor"), json={
        "version": 1, "case": make_case("draft", title="Draft draft, rewritten")})
    await sign_in(client, "alpha_editor@example.org")
    page = (await client.get("/cases/alpha/draft")).text
    assert "published v1 (network), your changes in v2 not yet reviewed" in page
    assert "Submit for review" in page and "Approve" not in page
    token = await csrf(client, "/cases/alpha/draft")
    sent = await client.post("/review/case/alpha/draft/submit", data={"_csrf_token": token})
    assert sent.status_code == 303
    await client.post("/logout", data={"_csrf_token": token})
    await sign_in(client, "net_admin@example.org")
    queue = (await client.get("/review")).text
    assert "Draft draft, rewritten" in queue and "/review/case/alpha/draft" in queue
    review = (await client.get("/review/case/alpha/draft")).text
    assert "rewritten" in review and "Approve v2" in review
    token = await csrf(client, "/review/case/alpha/draft")
    refused = await client.post("/review/case/alpha/draft/return", data={"_csrf_token": token, "from": "review"})
    assert refused.status_code == 400 and "say what should change" in refused.text
    await sign_in(client, "gamma_editor@example.org")
    other = (await client.get("/cases/alpha/draft")).text
    assert "Draft draft" in other and "rewritten" not in other and "Publishing" not in other


async def test_a_stale_case_is_flagged_and_its_writers_confirm_it(world, client):
    from datetime import timedelta

    from casebook.domain.clock import now
    long_ago = now() - timedelta(days=400)
    # Others date a case by its published snapshot, the owner by its working copy: age both.
    await CaseRecord.update({CaseRecord.updated_at: long_ago, CaseRecord.published_at: long_ago}).where(
        CaseRecord.slug == "alpha-public")
    await sign_in(client, "beta_viewer@example.org")
    page = (await client.get("/cases/alpha/alpha-public")).text
    assert "Not updated since" in page and "Confirm still current" not in page
    await sign_in(client, "alpha_editor@example.org")
    page = (await client.get("/cases/alpha/alpha-public")).text
    assert "Confirm still current" in page
    token = await csrf(client, "/cases/alpha/alpha-public")
    assert (await client.post("/cases/alpha/alpha-public/confirm", data={"_csrf_token": token})).status_code == 303
    assert "Not updated since" not in (await client.get("/cases/alpha/alpha-public")).text
