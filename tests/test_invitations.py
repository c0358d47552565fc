"""Invitations: an admin's link adds a person with a role, once; other organisations see nothing."""

from __future__ import annotations

import pytest

from casebook.db.tables import Invitation
from casebook.domain.errors import Forbidden, InvalidInput, NotFound
from casebook.services import invitations, tenants, users
from casebook.services.actors import actor_for_user


async def test_an_invitation_adds_the_member_once(world):
    admin = await world.actor("alpha_admin")
    made = await invitations.create_invitation(admin, world.tenant_ids["alpha"], "editor", "New@Example.org")
    assert made["token"].startswith("inv_") and made["email"] == "new@example.org"
    offer = await invitations.open_invitation(made["token"])
    assert (offer["tenant_slug"], offer["role"], offer["email"]) == ("alpha", "editor", "new@example.org")
    user = await users.create_user("new@example.org", "New", "a long password")
    joined = await invitations.accept_invitation(made["token"], user["id"])
    assert joined == {"tenant": "alpha", "tenant_id": world.tenant_ids["alpha"], "role": "editor"}
    actor = await actor_for_user(user["id"])
    assert actor.roles == {world.tenant_ids["alpha"]: "editor"}
    with pytest.raises(NotFound):
        await invitations.accept_invitation(made["token"], world.user_ids["outsider"])
    listed = await invitations.list_invitations(admin, world.tenant_ids["alpha"])
    assert [(i["state"], i["accepted_by"]) for i in listed] == [("accepted", "new@example.org")]
    stored = await Invitation.select(Invitation.token_hash).first()
    assert made["token"] not in stored["token_hash"]


async def test_a_named_invitation_refuses_another_address(world):
    admin = await world.actor("alpha_admin")
    made = await invitations.create_invitation(admin, world.tenant_ids["alpha"], "viewer", "someone@example.org")
    with pytest.raises(Forbidden, match="this invitation is for someone@example.org"):
        await invitations.accept_invitation(made["token"], world.user_ids["outsider"])
    assert (await actor_for_user(world.user_ids["outsider"])).roles == {}


async def test_an_existing_higher_role_is_kept(world):
    admin = await world.actor("alpha_admin")
    made = await invitations.create_invitation(admin, world.tenant_ids["alpha"], "viewer")
    await invitations.accept_invitation(made["token"], world.user_ids["alpha_editor"])
    members = {m["email"]: m["role"] for m in await tenants.members(admin, world.tenant_ids["alpha"])}
    assert members["alpha_editor@example.org"] == "editor"


async def test_revoked_unknown_and_bad_invitations(world):
    admin = await world.actor("alpha_admin")
    alpha = world.tenant_ids["alpha"]
    made = await invitations.create_invitation(admin, alpha, "viewer")
    await invitations.revoke_invitation(admin, alpha, made["id"])
    for token in (made["token"], "inv_unknown", "cbk_wrong-kind"):
        with pytest.raises(NotFound, match="not valid"):
            await invitations.open_invitation(token)
    with pytest.raises(NotFound):
        await invitations.revoke_invitation(admin, alpha, made["id"])
    with pytest.raises(InvalidInput) as bad:
        await invitations.create_invitation(admin, alpha, "owner", "not-an-email", days=90)
    assert [p.field for p in bad.value.problems] == ["role", "email", "days"]
    assert len(await invitations.list_invitations(admin, alpha)) == 1


@pytest.mark.parametrize("user", ["alpha_editor", "beta_admin", "net_admin", "outsider"])
async def test_only_the_organisations_admins_manage_invitations(world, user):
    actor = await world.actor(user)
    alpha = world.tenant_ids["alpha"]
    made = await invitations.create_invitation(await world.actor("alpha_admin"), alpha, "viewer")
    expected = Forbidden if user == "alpha_editor" else NotFound
    with pytest.raises(expected):
        await invitations.create_invitation(actor, alpha, "viewer")
    with pytest.raises(expected):
        await invitations.list_invitations(actor, alpha)
    with pytest.raises(expected):
        await invitations.revoke_invitation(actor, alpha, made["id"])
