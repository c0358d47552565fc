"""Deleting a plan: versioned, tenant-private, audited; the plan and its revisions go in one transaction."""

from __future__ import annotations

from casebook.db.tables import AuditEvent, Plan, PlanRevision
from tests.test_plan_api import create


async def test_delete_needs_the_current_version_and_removes_plan_and_revisions(world, client):
    plan = (await create(client, world)).json()
    pid = plan["id"]
    edited = await client.patch(f"/api/v1/plans/{pid}", json={"edits": {"task-1.1": {"done": True}}, "version": 1},
                                headers=world.auth("alpha_editor"))
    assert edited.status_code == 200
    auth = world.auth("alpha_editor")

    missing = await client.delete(f"/api/v1/plans/{pid}", headers=auth)
    assert missing.status_code == 400 and missing.json()["problems"][0]["field"] == "version"
    stale = await client.delete(f"/api/v1/plans/{pid}", headers={**auth, "If-Match": '"v1"'})
    assert stale.status_code == 409 and stale.json()["current"] == {"id": pid, "version": 2}
    assert await PlanRevision.count().where(PlanRevision.plan == pid) == 2  # the 409 rolled back

    gone = await client.delete(f"/api/v1/plans/{pid}", headers={**auth, "If-Match": '"v2"'})
    assert gone.status_code == 204
    assert await Plan.count().where(Plan.id == pid) == 0
    assert await PlanRevision.count().where(PlanRevision.plan == pid) == 0
    assert (await client.get(f"/api/v1/plans/{pid}", headers=auth)).status_code == 404
    assert (await client.get("/api/v1/plans", headers=auth)).json()["items"] == []
    event = await AuditEvent.select(AuditEvent.action, AuditEvent.tenant, AuditEvent.target).where(
        AuditEvent.action == "plan.delete").first()
    assert event == {"action": "plan.delete", "tenant": world.tenant_ids["alpha"], "target": f"plan/{pid}"}
    again = await client.delete(f"/api/v1/plans/{pid}?version=2", headers=auth)
    assert again.status_code == 404


async def test_only_editors_of_the_owner_delete_and_others_see_nothing(world, client):
    pid = (await create(client, world)).json()["id"]
    for user, status in (("beta_admin", 404), ("gamma_editor", 404), ("anonymous", 404), ("alpha_viewer", 403)):
        response = await client.delete(f"/api/v1/plans/{pid}?version=1", headers=world.auth(user))
        assert response.status_code == status, (user, response.text)
        assert "Mining town" not in response.text
    assert await Plan.count().where(Plan.id == pid) == 1
    assert await AuditEvent.count().where(AuditEvent.action == "plan.delete") == 0
    bad = await client.delete(f"/api/v1/plans/{pid}", headers={**world.auth("alpha_editor"), "If-Match": "soon"})
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "If-Match"
