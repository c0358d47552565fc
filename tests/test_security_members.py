"""Membership changes (issue 11: Medium 5, Low 15, 19, 22) and the review page of a draft (Low 11).

The role form changes existing members only: it never adds a user (ids are sequential, so any account
could be pulled in), an unknown id is a 404 rather than a foreign-key 500, and the last admin cannot step
down. Removing a member revokes their API tokens there, so re-adding them revives none.
"""

from __future__ import annotations

import pytest

from casebook.db.tables import ApiToken, CaseRecord, Membership
from casebook.domain.errors import Conflict, NotFound
from casebook.services import cases, publishing, tenants, tokens
from tests.factory import make_case
from tests.test_web_plans import signed_in


async def _members_of(tenant_id: int) -> dict[int, str]:
    rows = await Membership.select(Membership.user, Membership.role).where(Membership.tenant == tenant_id)
    return {r["user"]: r["role"] for r in rows}


@pytest.mark.parametrize("who", ["outsider", "beta_admin", "unknown"])
async def test_the_role_form_never_adds_anyone(world, client, who):
    alpha = world.tenant_ids["alpha"]
    before = await _members_of(alpha)
    user_id = world.user_ids.get(who, max(world.user_ids.values()) + 1000)
    token = await signed_in(client, "alpha_admin")
    response = await client.post(f"/admin/alpha/members/{user_id}/role", data={"_csrf_token": token, "role": "admin"})
    assert response.status_code == 404 and "member not found" in response.text
    assert await _members_of(alpha) == before
    with pytest.raises(NotFound):
        await tenants.change_role(await world.actor("alpha_admin"), alpha, user_id, "viewer")


async def test_the_role_form_changes_an_existing_member(world, client):
    token = await signed_in(client, "alpha_admin")
    response = await client.post(f"/admin/alpha/members/{world.user_ids['alpha_viewer']}/role",
                                 data={"_csrf_token": token, "role": "editor"})
    assert response.status_code == 303
    assert (await _members_of(world.tenant_ids["alpha"]))[world.user_ids["alpha_viewer"]] == "editor"


async def test_the_only_admin_cannot_step_down(world, client):
    alpha, me = world.tenant_ids["alpha"], world.user_ids["alpha_admin"]
    token = await signed_in(client, "alpha_admin")
    response = await client.post(f"/admin/alpha/members/{me}/role", data={"_csrf_token": token, "role": "viewer"})
    assert response.status_code == 409 and "an organisation needs at least one admin" in response.text
    assert (await _members_of(alpha))[me] == "admin"
    await tenants.set_membership(alpha, world.user_ids["alpha_editor"], "admin")  # a second admin: now it may
    await tenants.change_role(await world.actor("alpha_admin"), alpha, me, "viewer")
    assert (await _members_of(alpha))[me] == "viewer"
    with pytest.raises(Conflict):
        await tenants.change_role(await world.actor("alpha_editor"), alpha, world.user_ids["alpha_editor"], "editor")


async def test_a_removed_members_token_stays_dead_when_they_come_back(world, client):
    alpha, viewer = world.tenant_ids["alpha"], world.user_ids["alpha_viewer"]
    other = await tokens.create_token(world.user_ids["alpha_viewer"], alpha, "second")
    assert (await client.get("/api/v1/me", headers=world.auth("alpha_viewer"))).status_code == 200
    await tenants.remove_member(await world.actor("alpha_admin"), alpha, viewer)
    revoked = await ApiToken.select(ApiToken.revoked_at).where((ApiToken.user == viewer) & (ApiToken.tenant == alpha))
    assert len(revoked) == 2 and all(r["revoked_at"] is not None for r in revoked)
    await tenants.set_membership(alpha, viewer, "viewer")  # invited back
    for secret in (world.tokens["alpha_viewer"], other["token"]):
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.status_code == 401
        listed = await client.get("/api/v1/cases?tenant=alpha", headers={"Authorization": f"Bearer {secret}"})
        assert "alpha-private" not in listed.text
    beta_token = await ApiToken.select(ApiToken.revoked_at).where(ApiToken.user == world.user_ids["beta_viewer"])
    assert [r["revoked_at"] for r in beta_token] == [None]  # only that member's tokens, only in that org


@pytest.mark.parametrize("kind", ["case", "lesson"])
async def test_a_network_reviewer_cannot_open_a_draft_nobody_submitted(world, client, kind):
    from casebook.services import lessons
    from tests.lesson_fixtures import make_lesson
    editor = await world.actor("alpha_editor")
    if kind == "case":
        await cases.create_case(editor, "alpha", make_case("unsent", title="Unsent Zephyrine draft"), "network")
    else:
        await lessons.create_lesson(editor, "alpha", make_lesson("unsent", title="Unsent Zephyrine draft"), "network")
    token = await signed_in(client, "net_admin")
    page = await client.get(f"/review/{kind}/alpha/unsent")
    assert page.status_code == 404 and "Zephyrine" not in page.text
    await publishing.transition(editor, publishing.kind_named(kind), "alpha", "unsent", "submit")
    page = await client.get(f"/review/{kind}/alpha/unsent")
    assert page.status_code == 200 and "Zephyrine" in page.text  # submitted: now it is the reviewer's to see
    approved = await client.post(f"/review/{kind}/alpha/unsent/approve",
                                 data={"_csrf_token": token, "version": "1", "from": "review"})
    assert approved.status_code == 303
    assert await publishing.actions_for(await world.actor("net_admin"), publishing.kind_named(kind), "alpha",
                                        "unsent") == ["withdraw"]
    assert await CaseRecord.count().where(CaseRecord.slug == "unsent") == (1 if kind == "case" else 0)
