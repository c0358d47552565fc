"""Sessions end on the server: a cookie saved before sign-out, a password change or a removal from the
organisation no longer signs anyone in."""

from __future__ import annotations

import httpx
import pytest

from casebook.services import tenants, users
from tests.test_pages import csrf, sign_in


async def _copy(client: httpx.AsyncClient, app) -> httpx.AsyncClient:
    """A second client holding the same cookies, as an attacker who copied them would."""
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local")
    other.cookies = httpx.Cookies(client.cookies)
    return other


@pytest.fixture
async def signed_in(world, client):
    assert (await sign_in(client, "alpha_viewer@example.org")).status_code == 303
    assert (await client.get("/cases/alpha/alpha-private")).status_code == 200
    return client


async def test_a_cookie_saved_before_sign_out_no_longer_works(world, app, signed_in):
    async with await _copy(signed_in, app) as saved:
        token = await csrf(signed_in, "/")
        assert (await signed_in.post("/logout", data={"_csrf_token": token})).status_code == 303
        assert (await saved.get("/cases/alpha/alpha-private")).status_code == 404


async def test_a_password_change_ends_the_sessions(world, app, signed_in):
    async with await _copy(signed_in, app) as saved:
        await users.set_password(world.user_ids["alpha_viewer"], "a brand new password")
        assert (await saved.get("/cases/alpha/alpha-private")).status_code == 404
        assert (await signed_in.get("/cases/alpha/alpha-private")).status_code == 404
    assert (await sign_in(signed_in, "alpha_viewer@example.org", "a brand new password")).status_code == 303
    assert (await signed_in.get("/cases/alpha/alpha-private")).status_code == 200


async def test_removal_from_the_organisation_ends_the_session_even_after_being_added_back(world, app, signed_in):
    admin = await world.actor("alpha_admin")
    await tenants.remove_member(admin, world.tenant_ids["alpha"], world.user_ids["alpha_viewer"])
    await tenants.set_membership(world.tenant_ids["alpha"], world.user_ids["alpha_viewer"], "viewer")  # invited back
    assert (await signed_in.get("/cases/alpha/alpha-private")).status_code == 404
    assert (await signed_in.get("/login")).text.count('name="password"') == 1  # signed out
