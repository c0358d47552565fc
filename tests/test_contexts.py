"""Saved target contexts: validated like a match target, private to the organisation, reusable as a start
for the find-comparable page and the plan wizard."""

from __future__ import annotations

import json
import re

from casebook.db.tables import AuditEvent, SavedContext
from tests.test_web_plans import signed_in

CONTEXT = {"title": "Copper valley", "country": "PE", "sectors": ["mining"], "context": {"trust": "low"},
           "population_groups": ["women"], "goals": "Water the valley can trust.", "sdgs": [6]}


async def save(client, world, user="alpha_editor", name="Copper valley, 2026", context=None):
    return await client.post("/api/v1/contexts", json={"name": name, "context": context or CONTEXT},
                             headers=world.auth(user))


async def test_save_list_read_delete(world, client):
    made = await save(client, world)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["tenant"], body["name"], body["context"], body["created_by"]) == (
        "alpha", "Copper valley, 2026", CONTEXT, "alpha_editor@example.org")
    cid = body["id"]
    listed = (await client.get("/api/v1/contexts", headers=world.auth("alpha_viewer"))).json()
    assert [c["id"] for c in listed["items"]] == [cid] and listed["total"] == 1
    assert (await client.get(f"/api/v1/contexts/{cid}", headers=world.auth("alpha_viewer"))).json() == body
    assert (await client.delete(f"/api/v1/contexts/{cid}", headers=world.auth("alpha_viewer"))).status_code == 403
    assert (await client.delete(f"/api/v1/contexts/{cid}", headers=world.auth("alpha_editor"))).status_code == 204
    assert (await client.get(f"/api/v1/contexts/{cid}", headers=world.auth("alpha_editor"))).status_code == 404
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.target == f"context/{cid}").order_by(AuditEvent.id)]
    assert actions == ["context.create", "context.delete"]


async def test_bad_input_names_every_field_and_writes_nothing(world, client):
    bad = await save(client, world, name="  ", context={"country": "ZZ", "context": {"trust": "lots"}, "x": 1})
    assert bad.status_code == 400
    fields = sorted(p["field"] for p in bad.json()["problems"])
    assert fields == ["context", "context.context.trust", "context.country", "context.x", "name"]
    assert await SavedContext.count() == 0
    assert (await save(client, world)).status_code == 201
    again = await save(client, world)
    assert again.status_code == 409 and "already has a saved context named" in again.json()["error"]
    assert (await save(client, world, user="alpha_viewer")).status_code == 403
    assert await SavedContext.count() == 1


async def test_other_tenants_never_see_a_saved_context(world, client):
    cid = (await save(client, world)).json()["id"]
    assert (await save(client, world, user="beta_editor", name="Beta site")).status_code == 201
    for user in ("beta_admin", "gamma_editor", "net_admin", "outsider", "anonymous"):
        auth = world.auth(user) if user in world.tokens or user == "anonymous" else {}
        for method, path in (("get", f"/api/v1/contexts/{cid}"), ("delete", f"/api/v1/contexts/{cid}")):
            response = await getattr(client, method)(path, headers=auth)
            assert response.status_code in (401, 404), (user, path, response.status_code)
            assert "Copper" not in response.text
        names = [c["name"] for c in (await client.get("/api/v1/contexts", headers=auth)).json().get("items", [])]
        assert "Copper valley, 2026" not in names, user
    assert [c["name"] for c in (await client.get("/api/v1/contexts", headers=world.auth("beta_viewer"))
                                ).json()["items"]] == ["Beta site"]
    assert await SavedContext.count() == 2


async def test_find_comparable_saves_and_starts_from_a_saved_context(world, client):
    token = await signed_in(client, "alpha_editor")
    page = await client.get("/match?title=Steel+town&country=RS&ctx_trust=low&goals=Clean+air+and+jobs")
    assert page.status_code == 200 and "Save this context" in page.text
    target = json.loads(re.search(r"name=\"context\" value='([^']+)'", page.text).group(1).replace("&#34;", '"'))
    assert target == {"title": "Steel town", "country": "RS", "context": {"trust": "low"},
                      "goals": "Clean air and jobs"}
    blank = await client.post("/match/contexts", data={"name": "", "context": json.dumps(target),
                                                       "_csrf_token": token})
    assert blank.status_code == 400 and "give the context a name" in blank.text
    assert 'value="Steel town"' in blank.text  # the form comes back filled in
    saved = await client.post("/match/contexts", data={"name": "Serbian steel town", "context": json.dumps(target),
                                                       "_csrf_token": token})
    assert saved.status_code == 303
    location = saved.headers["location"]
    cid = int(re.search(r"saved=(\d+)", location).group(1))
    started = await client.get(location)
    assert "Started from your saved context “Serbian steel town”" in started.text
    assert f'<option value="{cid}" selected>Serbian steel town</option>' in started.text
    assert '<option value="RS" selected>' in started.text and ">Clean air and jobs</textarea>" in started.text
    assert re.search(r'<h2 class="results-head">\d+ comparable case', started.text)  # matched at once
    wizard = await client.get(f"/plans/new?saved={cid}&template=alpha/alpha-private")
    assert wizard.status_code == 200
    assert 'value="Steel town"' in wizard.text and 'value="RS"' in wizard.text
    assert ">Clean air and jobs</textarea>" in wizard.text


async def test_pages_refuse_another_organisations_saved_context(world, client):
    cid = (await save(client, world)).json()["id"]
    await signed_in(client, "beta_editor")
    assert (await client.get(f"/match?saved={cid}")).status_code == 404
    assert (await client.get(f"/plans/new?saved={cid}")).status_code == 404
    assert "Copper valley" not in (await client.get("/match")).text
    assert (await client.get("/match?saved=x")).status_code == 404


async def test_saving_junk_from_the_page_is_a_400_that_says_why(world, client):
    token = await signed_in(client, "alpha_editor")
    junk = await client.post("/match/contexts", data={"name": "X", "context": "{not json", "_csrf_token": token})
    assert junk.status_code == 400 and "The context was not saved" in junk.text
    assert await SavedContext.count() == 0
