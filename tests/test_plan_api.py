"""Plans over the API: create, read, PDF, edit, re-generate, revisions, concurrency, isolation, bad input."""

from __future__ import annotations

import pytest

from casebook.planning import render_pdf

TARGET = {"title": "Mining town in the north", "country": "CO", "context": {"trust": "medium"},
          "population_groups": ["residents", "women"]}


async def create(client, world, user="alpha_editor", template="alpha/alpha-private", target=None):
    return await client.post("/api/v1/plans", json={"template": template, "target": target or TARGET},
                             headers=world.auth(user))


async def test_create_read_edit_regenerate(world, client):
    made = await create(client, world)
    assert made.status_code == 201, made.text
    plan = made.json()
    assert (plan["tenant"], plan["version"], plan["template"]["slug"]) == ("alpha", 1, "alpha-private")
    assert [i["id"] for i in plan["dimensions"]["social"]["items"]] == [
        "adapt-social.population-group-women-map", "adapt-social.population-group-women-involve"]
    pid = plan["id"]
    assert (await client.get(f"/api/v1/plans/{pid}", headers=world.auth("alpha_viewer"))).json()["id"] == pid
    listed = await client.get("/api/v1/plans", headers=world.auth("alpha_viewer"))
    assert [p["id"] for p in listed.json()["items"]] == [pid]

    edit = {"adapt-social.population-group-women-map": {"text": "Hold women's listening sessions first."},
            "task-1.1": {"done": True}}
    edited = await client.patch(f"/api/v1/plans/{pid}", json={"edits": edit, "version": 1},
                                headers=world.auth("alpha_editor"))
    assert edited.status_code == 200, edited.text
    item = edited.json()["dimensions"]["social"]["items"][0]
    assert (item["text"], item["edited"]) == ("Hold women's listening sessions first.", ["text"])
    stale = await client.patch(f"/api/v1/plans/{pid}", json={"edits": {"task-1.2": {"done": True}}, "version": 1},
                               headers=world.auth("alpha_editor"))
    assert stale.status_code == 409

    new_target = {**TARGET, "country": "PE", "population_groups": ["residents", "women", "youth"]}
    regen = await client.post(f"/api/v1/plans/{pid}/regenerate", json={"version": 2, "target": new_target},
                              headers=world.auth("alpha_editor"))
    assert regen.status_code == 200, regen.text
    body = regen.json()
    assert body["version"] == 3 and body["target"]["country"] == "PE"
    social = {i["id"]: i["text"] for i in body["dimensions"]["social"]["items"]}
    assert social["adapt-social.population-group-women-map"] == "Hold women's listening sessions first."
    assert "adapt-social.population-group-youth-map" in social
    assert [i["id"] for i in body["dimensions"]["physical"]["items"]] == [
        "adapt-physical.country-pe-localise", "adapt-physical.country-pe-baseline"]
    task = body["steps"][0]["steps"][0]["tasks"][0]
    assert (task["id"], task["done"]) == ("task-1.1", True)
    revs = await client.get(f"/api/v1/plans/{pid}/revisions", headers=world.auth("alpha_viewer"))
    assert [(r["version"], r["action"]) for r in revs.json()] == [(3, "regenerate"), (2, "edit"), (1, "create")]
    first = await client.get(f"/api/v1/plans/{pid}/revisions/1", headers=world.auth("alpha_viewer"))
    assert first.json()["target"]["country"] == "CO"

    pdf = await client.get(f"/api/v1/plans/{pid}.pdf", headers=world.auth("alpha_viewer"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


async def test_bad_input_names_the_problem(world, client):
    unknown = await create(client, world, template="no-such-case")
    assert unknown.status_code == 400
    assert unknown.json()["problems"] == [{"field": "template",
                                           "message": "no case you may read has the slug 'no-such-case'",
                                           "code": "invalid"}]
    hidden = await create(client, world, template="beta/beta-private")
    assert hidden.status_code == 400 and "Secret" not in hidden.text
    assert hidden.json()["problems"][0]["field"] == "template"
    bad = await create(client, world, target={"title": "Somewhere", "country": "XX", "context": {"trust": "huge"}})
    assert bad.status_code == 400
    assert {p["field"] for p in bad.json()["problems"]} == {"target.country", "target.context.trust"}
    bad_edit = await client.patch("/api/v1/plans/999", json={"edits": {"x": {"done": True}}, "version": 1},
                                  headers=world.auth("alpha_editor"))
    assert bad_edit.status_code == 404
    assert (await client.get("/api/v1/plans", headers=world.auth("alpha_editor"))).json()["total"] == 0


async def test_viewers_read_but_do_not_create(world, client):
    assert (await create(client, world, user="alpha_viewer")).status_code == 403
    assert (await create(client, world, user="anonymous")).status_code == 401


async def test_unknown_edit_lines_are_refused(world, client):
    pid = (await create(client, world)).json()["id"]
    response = await client.patch(f"/api/v1/plans/{pid}", json={"edits": {"nope": {"done": True},
                                                                         "task-1.1": {"colour": "red"}},
                                                                "version": 1}, headers=world.auth("alpha_editor"))
    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == ["edits.nope", "edits.task-1.1.colour"]
    assert (await client.get(f"/api/v1/plans/{pid}", headers=world.auth("alpha_editor"))).json()["version"] == 1


async def test_a_rendering_failure_leaves_the_plan_intact(world, client, monkeypatch):
    pid = (await create(client, world)).json()["id"]

    def broken(plan):
        raise OSError("disk full")
    monkeypatch.setattr(render_pdf, "render", broken)
    response = await client.get(f"/api/v1/plans/{pid}.pdf", headers=world.auth("alpha_editor"))
    assert response.status_code == 503
    assert "saved plan is unchanged" in response.json()["error"]
    after = await client.get(f"/api/v1/plans/{pid}", headers=world.auth("alpha_editor"))
    assert after.status_code == 200 and after.json()["version"] == 1


@pytest.mark.parametrize("user", ["beta_admin", "beta_viewer", "gamma_editor", "net_admin", "outsider", "anonymous"])
async def test_plans_are_private_to_their_tenant(world, client, user):
    made = await create(client, world, target={**TARGET, "title": "Secret-target of alpha"})
    pid = made.json()["id"]
    headers = world.auth(user) if user in world.tokens or user == "anonymous" else {}
    for path in (f"/api/v1/plans/{pid}", f"/api/v1/plans/{pid}.pdf", f"/api/v1/plans/{pid}.html",
                 f"/api/v1/plans/{pid}/revisions", f"/api/v1/plans/{pid}/revisions/1"):
        response = await client.get(path, headers=headers)
        assert response.status_code == 404, (user, path)
        assert response.json() == {"error": "plan not found", "status": 404, "code": "not_found"}
    listed = await client.get("/api/v1/plans", headers=headers)
    assert listed.json() == {"items": [], "total": 0} and "Secret" not in listed.text
    patched = await client.patch(f"/api/v1/plans/{pid}", json={"edits": {"task-1.1": {"done": True}}, "version": 1},
                                 headers=headers)
    assert patched.status_code in (401, 404) and "Secret" not in patched.text


async def test_a_plan_saved_by_an_older_planner_still_reads(world, client):
    """A plan stored before the planner wrote `brief` and `caveats` is answered without them, not with a 500."""
    from casebook.db.tables import Plan
    from casebook.domain.visibility import json_value

    pid = (await create(client, world)).json()["id"]
    row = await Plan.select(Plan.data).where(Plan.id == pid).first()
    data = json_value(row["data"])
    del data["brief"], data["caveats"]
    await Plan.update({Plan.data: data}).where(Plan.id == pid)
    answer = await client.get(f"/api/v1/plans/{pid}", headers=world.auth("alpha_viewer"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == pid and "brief" not in body and "caveats" not in body and body["steps"]
