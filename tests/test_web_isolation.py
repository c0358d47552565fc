"""The editor, history, compare, import and admin pages never show another organisation's private data."""

from __future__ import annotations

import re

import pytest

from tests.factory import PASSWORD


async def signed_in(client, email):
    page = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"email": email, "password": PASSWORD, "_csrf_token": token,
                                                 "next": "/"})
    assert response.status_code == 303
    return token


PRIVATE = "alpha/alpha-private"
PATHS = [f"/cases/{PRIVATE}", f"/cases/{PRIVATE}/edit", f"/cases/{PRIVATE}/history",
         f"/compare?cases={PRIVATE},beta/beta-public", "/admin/alpha/members", "/admin/alpha/tokens",
         "/admin/alpha/audit"]


@pytest.mark.parametrize("user", ["beta_admin", "gamma_editor", "net_admin", "outsider"])
async def test_other_organisations_get_404_without_the_data(world, client, user):
    await signed_in(client, f"{user}@example.org")
    for path in PATHS:
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Secret-alpha-private" not in response.text and "alpha_admin" not in response.text, path
    compare = await client.get("/compare?cases=beta/beta-public")
    assert compare.status_code == 200 and "alpha-private" not in compare.text


async def test_a_viewer_cannot_open_the_editor_or_post_a_change(world, client):
    token = await signed_in(client, "alpha_viewer@example.org")
    assert (await client.get(f"/cases/{PRIVATE}/edit")).status_code == 403
    response = await client.post(f"/cases/{PRIVATE}/edit", data={"_csrf_token": token, "version": "1",
                                                                 "title": "Hijacked"})
    assert response.status_code == 403
    page = await client.get(f"/cases/{PRIVATE}")
    assert "Hijacked" not in page.text and "version 1," in page.text


async def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for path in ("/cases/new", "/import", "/admin", f"/cases/{PRIVATE}/edit"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), path
