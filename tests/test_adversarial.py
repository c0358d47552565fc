"""Adversarial input on the publishing, lessons, contexts and plans paths: every bad request is a clear 4xx
that names the field and changes nothing, and no refusal tells one tenant about another's records."""

from __future__ import annotations

import pytest

from casebook.db.tables import LessonRecord
from tests.conftest import RUNTIME
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson

HUGE = 10**20  # beyond any database integer column
TARGET = {"title": "Mining town in the north", "country": "CO"}


async def lesson(client, world):
    made = await client.post("/api/v1/lessons", headers=world.auth("alpha_editor"), json={
        "tenant": "alpha", "visibility": "network", "lesson": make_lesson("probe")})
    assert made.status_code == 201, made.text
    return "/api/v1/lessons/alpha/probe"


@pytest.mark.parametrize("header", [f'"v{HUGE}"', str(HUGE), f'W/"v{HUGE}"'])
async def test_a_huge_version_in_if_match_is_a_400(world, client, header):
    base = await lesson(client, world)
    headers = {**world.auth("alpha_editor"), "If-Match": header}
    for response in (await client.put(base, headers=headers, json={"lesson": make_lesson("probe", title="New")}),
                     await client.delete(base, headers=headers),
                     await client.delete("/api/v1/cases/alpha/alpha-public", headers=headers)):
        assert response.status_code == 400, response.text
        assert response.json()["problems"][0]["field"] == "If-Match"
    row = await LessonRecord.select(LessonRecord.version, LessonRecord.title, LessonRecord.deleted_at).first()
    assert row == {"version": 1, "title": "Lesson probe", "deleted_at": None}


async def test_a_huge_version_in_the_body_is_a_400(world, client):
    base = await lesson(client, world)
    response = await client.put(base, headers=world.auth("alpha_editor"),
                                json={"version": HUGE, "lesson": make_lesson("probe", title="New")})
    assert response.status_code == 400, response.text
    assert response.json()["problems"][0]["field"] == "version"
    case = await client.get("/api/v1/cases/alpha/alpha-public", headers=world.auth("alpha_editor"))
    response = await client.put("/api/v1/cases/alpha/alpha-public", headers=world.auth("alpha_editor"),
                                json={"version": HUGE, "case": case.json()["case"]})
    assert response.status_code == 400 and response.json()["problems"][0]["field"] == "version"


async def test_a_huge_plan_or_context_id_is_not_found(world, client):
    headers = world.auth("alpha_editor")
    for method, path in (("GET", f"/api/v1/plans/{HUGE}"), ("GET", f"/api/v1/plans/{HUGE}.pdf"),
                         ("DELETE", f"/api/v1/plans/{HUGE}"), ("PATCH", f"/api/v1/plans/{HUGE}"),
                         ("GET", f"/api/v1/contexts/{HUGE}"), ("DELETE", f"/api/v1/contexts/{HUGE}")):
        kwargs = {"json": {"edits": {}, "version": 1}} if method == "PATCH" else {}
        response = await client.request(method, path, headers=headers, **kwargs)
        assert response.status_code == 404, (method, path, response.text)


async def test_plan_delete_with_a_garbage_or_huge_version_changes_nothing(world, client):
    made = await client.post("/api/v1/plans", headers=world.auth("alpha_editor"),
                             json={"template": "alpha/alpha-public", "target": TARGET})
    assert made.status_code == 201, made.text
    path = f"/api/v1/plans/{made.json()['id']}"
    for kwargs in ({"headers": {"If-Match": "garbage"}}, {"headers": {"If-Match": f'"v{HUGE}"'}},
                   {"params": {"version": "x"}}, {"params": {"version": str(HUGE)}}):
        headers = {**world.auth("alpha_editor"), **kwargs.get("headers", {})}
        response = await client.delete(path, headers=headers, params=kwargs.get("params"))
        assert response.status_code == 400, (kwargs, response.text)
    assert (await client.get(path, headers=world.auth("alpha_editor"))).status_code == 200


async def test_another_tenants_saved_context_and_plan_are_not_found(world, client):
    context = await client.post("/api/v1/contexts", headers=world.auth("beta_editor"),
                                json={"name": "Beta's secret site", "context": TARGET})
    assert context.status_code == 201, context.text
    plan = await client.post("/api/v1/plans", headers=world.auth("beta_editor"),
                             json={"template": "beta/beta-private", "target": TARGET})
    assert plan.status_code == 201, plan.text
    for method, path in (("GET", f"/api/v1/contexts/{context.json()['id']}"),
                         ("DELETE", f"/api/v1/contexts/{context.json()['id']}"),
                         ("GET", f"/api/v1/plans/{plan.json()['id']}"),
                         ("DELETE", f"/api/v1/plans/{plan.json()['id']}?version=1")):
        response = await client.request(method, path, headers=world.auth("alpha_admin"))
        assert response.status_code == 404 and "secret" not in response.text and "beta-private" not in response.text
    listed = await client.get("/api/v1/contexts", headers=world.auth("alpha_admin"))
    assert "secret" not in listed.text
    assert (await client.get(f"/api/v1/contexts/{context.json()['id']}",
                             headers=world.auth("beta_viewer"))).status_code == 200


async def test_transitions_refuse_bad_bodies_and_unknown_actions(world, client):
    base = await lesson(client, world)
    before = await LessonRecord.select().first()
    headers = {**world.auth("net_admin"), "Content-Type": "application/json"}
    for body in ("not json", "[]", '{"version": "x"}', '{"comment": 5}', '{"extra": 1}',
                 '{"comment": "%s"}' % ("c" * 5000)):
        for action in ("submit", "approve", "return", "withdraw"):
            response = await client.post(f"{base}/{action}", content=body, headers=headers)
            assert response.status_code == 400, (body, action, response.text)
    unknown = await client.post(f"{base}/frobnicate", json={}, headers=world.auth("alpha_admin"))
    assert unknown.status_code in (400, 404) and "frobnicate" not in unknown.text.replace("frobnicate:", "")
    assert await LessonRecord.select().first() == before


async def test_a_lesson_body_over_the_limit_is_a_400_naming_it(world, client):
    response = await client.post("/api/v1/lessons", headers=world.auth("alpha_editor"), json={
        "tenant": "alpha", "lesson": make_lesson("long", body="x" * 20_001)})
    assert response.status_code == 400
    assert response.json()["problems"] == [{"message": "must be 1 to 20000 characters (it is 20001)",
                                            "field": "lesson.body", "code": "invalid"}]
    assert await LessonRecord.count() == 0


async def test_a_lesson_cannot_cite_another_tenants_private_case(world, client):
    for ref in ("beta/beta-private", "beta/no-such-case"):
        response = await client.post("/api/v1/lessons", headers=world.auth("alpha_editor"), json={
            "tenant": "alpha", "lesson": make_lesson("cites", cases=[ref])})
        assert response.status_code == 400
        # The same answer whether the case exists or not.
        assert response.json()["problems"] == [{"message": f"no case you may read is {ref!r}",
                                                "field": "lesson.cases[0]", "code": "invalid"}]
    assert await LessonRecord.count() == 0


async def test_bad_kind_and_step_filters_are_400s(world, client):
    for path, field in (("/api/v1/search?kind=bad", "kind"), ("/api/v1/search?kind=", "kind"),
                        ("/api/v1/lessons?step=99", "step"), ("/api/v1/export?kind=bad", "kind")):
        response = await client.get(path)
        assert response.status_code == 400 and response.json()["problems"][0]["field"] == field, path
    page = await client.get("/lessons?step=99")
    assert page.status_code == 400 and "MSP step number from 1 to 12" in page.text


async def test_a_network_admin_loses_review_of_an_organisation_that_left_the_network(world, client):
    """There is no "leave" command yet; the membership row goes, as an operator would remove it."""
    from casebook.db.tables import NetworkMember
    from casebook.services import publishing
    editor, reviewer = world.auth("alpha_editor"), world.auth("net_admin")
    for slug in ("waiting", "shown"):
        made = await client.post("/api/v1/cases", headers=editor, json={
            "tenant": "alpha", "visibility": "network", "case": make_case(slug, title=f"Left-{slug}")})
        assert made.status_code == 201, made.text
        assert (await client.post(f"/api/v1/cases/alpha/{slug}/submit", headers=editor, json={})).status_code == 200
    approved = await client.post("/api/v1/cases/alpha/shown/approve", headers=reviewer, json={"version": 1})
    assert approved.status_code == 200
    await NetworkMember.delete().where((NetworkMember.network == world.tenant_ids["net"])
                                       & (NetworkMember.member == world.tenant_ids["alpha"]))
    for slug, action, body in (("waiting", "approve", {"version": 1}), ("waiting", "return", {"comment": "no"}),
                               ("shown", "withdraw", {})):
        response = await client.post(f"/api/v1/cases/alpha/{slug}/{action}", headers=reviewer, json=body)
        assert response.status_code == 404 and "Left-" not in response.text, (slug, action)
    assert await publishing.review_queue(await world.actor("net_admin")) == []
    assert (await client.get("/api/v1/cases/alpha/shown", headers=world.auth("gamma_editor"))).status_code == 404
    mine = (await client.get("/api/v1/cases/alpha/waiting", headers=editor)).json()["publication"]
    assert mine["state"] == "in_review"  # nothing changed; the owner's admin can still withdraw what is shown


async def test_a_huge_version_from_a_page_form_is_a_conflict_and_changes_nothing(world, client):
    """Page forms reach the services without the API's If-Match check: the optimistic lock itself must
    treat a version no column can hold as stale, not hand it to the driver."""
    from casebook.domain.errors import Conflict
    from casebook.services import cases, lessons, plans
    from tests.test_plan_api import create
    actor = await world.actor("alpha_editor")
    base = await lesson(client, world)
    plan_id = (await create(client, world)).json()["id"]
    current = await cases.get_case(actor, "alpha", "alpha-private")
    attempts = (
        lambda: cases.update_case(actor, "alpha", "alpha-private", {**current["case"], "title": "New"}, HUGE),
        lambda: cases.delete_case(actor, "alpha", "alpha-private", HUGE),
        lambda: lessons.update_lesson(actor, "alpha", "probe", make_lesson("probe", title="New"), HUGE),
        lambda: plans.regenerate_plan(actor, plan_id, HUGE, index=RUNTIME.matcher),
        lambda: plans.delete_plan(actor, plan_id, HUGE),
    )
    for attempt in attempts:
        with pytest.raises(Conflict):
            await attempt()
    assert (await cases.get_case(actor, "alpha", "alpha-private"))["version"] == current["version"]
    assert (await client.get(base, headers=world.auth("alpha_editor"))).json()["version"] == 1
    assert (await plans.get_plan(actor, plan_id))["version"] == 1
