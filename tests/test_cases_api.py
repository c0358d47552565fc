"""The case API: CRUD, revisions, optimistic concurrency, soft delete, and 4xx answers that name the field."""

from __future__ import annotations

from tests.factory import make_case


async def create(client, world, slug="api-case", **extra):
    body = {"tenant": "alpha", "case": make_case(slug), **extra}
    return await client.post("/api/v1/cases", json=body, headers=world.auth("alpha_editor"))


async def test_create_read_update_with_revisions(world, client):
    created = await create(client, world)
    assert created.status_code == 201
    assert created.headers["etag"] == '"v1"'
    assert created.json()["visibility"] == "private"
    headers = world.auth("alpha_editor")
    changed = make_case("api-case", title="A better title")
    updated = await client.put("/api/v1/cases/alpha/api-case", json={"case": changed},
                               headers={**headers, "If-Match": '"v1"'})
    assert updated.status_code == 200
    assert (updated.json()["version"], updated.json()["title"]) == (2, "A better title")
    revisions = (await client.get("/api/v1/cases/alpha/api-case/revisions", headers=headers)).json()
    assert [(r["version"], r["action"], r["author"]) for r in revisions] == [
        (2, "update", "alpha_editor"), (1, "create", "alpha_editor")]
    first = (await client.get("/api/v1/cases/alpha/api-case/revisions/1", headers=headers)).json()
    assert first["case"]["title"] == "Test case api-case"


async def test_a_stale_write_gets_409_and_changes_nothing(world, client):
    await create(client, world)
    headers = world.auth("alpha_editor")
    url = "/api/v1/cases/alpha/api-case"
    first = await client.put(url, json={"version": 1, "case": make_case("api-case", title="First")}, headers=headers)
    stale = await client.put(url, json={"version": 1, "case": make_case("api-case", title="Second")}, headers=headers)
    assert first.status_code == 200 and stale.status_code == 409
    assert stale.json()["current"]["title"] == "First" and stale.json()["current"]["version"] == 2
    assert (await client.get("/api/v1/cases/alpha/api-case", headers=headers)).json()["title"] == "First"


async def test_an_update_without_a_version_is_refused(world, client):
    await create(client, world)
    response = await client.put("/api/v1/cases/alpha/api-case", json={"case": make_case("api-case")},
                                headers=world.auth("alpha_editor"))
    assert response.status_code == 400
    assert response.json()["problems"][0]["field"] == "version"


async def test_soft_delete_then_restore(world, client):
    await create(client, world)
    headers = world.auth("alpha_editor")
    assert (await client.delete("/api/v1/cases/alpha/api-case", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/cases/alpha/api-case", headers=headers)).status_code == 404
    deleted = (await client.get("/api/v1/cases", params={"deleted": "true"}, headers=headers)).json()
    assert [c["slug"] for c in deleted["items"]] == ["api-case"]
    again = await create(client, world)
    assert again.status_code == 409 and "restore it" in again.json()["error"]
    restored = await client.post("/api/v1/cases/alpha/api-case/restore", headers=headers)
    assert restored.status_code == 200 and restored.json()["version"] == 3
    revisions = await client.get("/api/v1/cases/alpha/api-case/revisions", headers=headers)
    actions = [r["action"] for r in revisions.json()]
    assert actions == ["restore", "delete", "create"]


async def test_invalid_payloads_get_400_naming_the_field(world, client):
    bad = make_case("bad-case", country="ZZ", status="wonderful")
    response = await create(client, world, slug="x", case=bad)
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"case.country", "case.status"}
    missing = await client.post("/api/v1/cases", json={"case": make_case("y")}, headers=world.auth("alpha_editor"))
    assert missing.status_code == 400
    not_json = await client.post("/api/v1/cases", content=b"{nope", headers={**world.auth("alpha_editor"),
                                                                              "content-type": "application/json"})
    assert not_json.status_code == 400
    bad_visibility = await create(client, world, slug="z", visibility="everyone")
    assert bad_visibility.json()["problems"] == [{"message": "must be one of private, network, public",
                                                  "field": "visibility", "code": "invalid"}]


async def test_duplicate_slug_is_a_conflict(world, client):
    assert (await create(client, world)).status_code == 201
    assert (await create(client, world)).status_code == 409


async def test_list_filters_and_paging(world, client):
    headers = world.auth("alpha_editor")
    for i, country in enumerate(["NP", "NP", "KH"]):
        await client.post("/api/v1/cases", headers=headers, json={"tenant": "alpha", "case": make_case(
            f"paged-{i}", country=country, sectors=["health"] if i else ["steel"], sdgs=[3])})
    nepal = (await client.get("/api/v1/cases", params={"country": "np"}, headers=headers)).json()
    assert sorted(c["slug"] for c in nepal["items"]) == ["paged-0", "paged-1"]
    health = (await client.get("/api/v1/cases", params={"sector": "health", "sdg": "3"}, headers=headers)).json()
    assert sorted(c["slug"] for c in health["items"]) == ["paged-1", "paged-2"]
    page2 = (await client.get("/api/v1/cases", params={"per_page": 2, "page": 2, "sdg": 3}, headers=headers)).json()
    assert (page2["total"], len(page2["items"])) == (3, 1)
    bad = await client.get("/api/v1/cases", params={"per_page": 1000, "sdg": "x"}, headers=headers)
    assert bad.status_code == 400


async def test_unknown_routes_and_bad_tokens(world, client):
    assert (await client.get("/api/v1/nothing")).status_code == 404
    unknown = await client.get("/api/v1/cases", headers={"Authorization": "Bearer cbk_not-a-token"})
    assert unknown.status_code == 401 and unknown.json()["error"] == "the token is unknown or revoked"
    assert (await client.get("/api/v1/cases", headers={"Authorization": "Basic abc"})).status_code == 401


async def test_a_revoked_token_stops_working(world, client):
    from casebook.db.tables import ApiToken
    from casebook.services import tokens
    actor = await world.actor("alpha_editor")
    token_id = (await ApiToken.select(ApiToken.id).where(ApiToken.user == world.user_ids["alpha_editor"]).first())["id"]
    await tokens.revoke_token(actor, world.tenant_ids["alpha"], token_id)
    assert (await client.get("/api/v1/me", headers=world.auth("alpha_editor"))).status_code == 401


async def test_making_a_case_public_needs_an_admin(world, client):
    """An editor may ask for `public` (a draft); publishing it to everyone needs an admin's approval."""
    editor = await client.post("/api/v1/cases", headers=world.auth("alpha_editor"),
                               json={"tenant": "alpha", "case": make_case("pub"), "visibility": "public"})
    assert editor.status_code == 201
    assert editor.json()["publication"]["state"] == "draft"
    assert (await client.get("/api/v1/cases/alpha/pub")).status_code == 404
    base = "/api/v1/cases/alpha/pub"
    assert (await client.post(f"{base}/submit", headers=world.auth("alpha_editor"))).status_code == 200
    denied = await client.post(f"{base}/approve", headers=world.auth("alpha_editor"), json={"version": 1})
    approved = await client.post(f"{base}/approve", headers=world.auth("alpha_admin"), json={"version": 1})
    assert (denied.status_code, approved.status_code) == (403, 200)
    assert (await client.get(base)).json()["visibility"] == "public"


async def test_openapi_schema_is_served(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/cases" in schema["paths"]


async def test_a_case_untouched_for_a_year_is_stale_until_its_owner_confirms_it(world, client):
    from datetime import timedelta

    from casebook.db.tables import CaseRecord
    from casebook.domain.clock import now
    await CaseRecord.update({CaseRecord.updated_at: now() - timedelta(days=400)}).where(
        CaseRecord.slug == "alpha-public")
    headers = world.auth("alpha_editor")
    before = (await client.get("/api/v1/cases/alpha/alpha-public", headers=headers)).json()
    assert before["stale"] is True and before["confirmed_at"] is None
    assert (await client.post("/api/v1/cases/alpha/alpha-public/confirm", headers=world.auth("beta_editor"))
            ).status_code == 403
    confirmed = await client.post("/api/v1/cases/alpha/alpha-public/confirm", headers=headers)
    assert confirmed.status_code == 200
    assert (confirmed.json()["stale"], confirmed.json()["version"]) == (False, 1)
    listed = (await client.get("/api/v1/cases", params={"tenant": "alpha"}, headers=headers)).json()["items"]
    assert {c["slug"]: c["stale"] for c in listed} == {"alpha-private": False, "alpha-network": False,
                                                      "alpha-public": False}
