"""Pages: the library and case pages, sign-in with CSRF protection and rate limiting, and tenant isolation."""

from __future__ import annotations

import re

from tests.factory import PASSWORD
from tests.search_fixtures import make_backend, set_backend, use


async def csrf(client, path="/login") -> str:
    page = await client.get(path)
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)


async def sign_in(client, email, password=PASSWORD):
    token = await csrf(client)
    return await client.post("/login", data={"email": email, "password": password, "_csrf_token": token,
                                             "next": "/"})


async def test_home_lists_only_what_the_visitor_may_read(world, client, tmp_path):
    # The home page is the library search: index the world's cases in a fresh index first.
    previous = await use(make_backend("tantivy", tmp_path))
    try:
        page = await client.get("/")
    finally:
        set_backend(previous)
    assert page.status_code == 200
    assert "Secret-alpha-public" in page.text and "Secret-beta-public" in page.text
    assert "Secret-alpha-private" not in page.text and "Secret-alpha-network" not in page.text


async def test_case_page_shows_the_case_and_hides_private_ones(world, client):
    public = await client.get("/cases/alpha/alpha-public")
    assert public.status_code == 200 and "Secret-alpha-public partnership" in public.text
    assert "Mining Co" in public.text and "section 1" in public.text
    hidden = await client.get("/cases/alpha/alpha-private")
    assert hidden.status_code == 404 and "Secret" not in hidden.text


async def test_sign_in_reveals_own_private_cases_and_not_others(world, client):
    response = await sign_in(client, "alpha_viewer@example.org")
    assert response.status_code == 303
    assert (await client.get("/cases/alpha/alpha-private")).status_code == 200
    assert (await client.get("/cases/gamma/gamma-network")).status_code == 200
    beta = await client.get("/cases/beta/beta-private")
    assert beta.status_code == 404 and "Secret" not in beta.text


async def test_a_wrong_password_is_refused_with_a_clear_message(world, client):
    response = await sign_in(client, "alpha_viewer@example.org", "wrong password!")
    assert response.status_code == 401 and "email or password is wrong" in response.text


async def test_sign_in_without_the_csrf_token_is_refused(world, client):
    await client.get("/login")
    response = await client.post("/login", data={"email": "alpha_viewer@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert (await client.get("/cases/alpha/alpha-private")).status_code == 404


async def test_sign_in_is_rate_limited_per_account(world, client):
    for _ in range(5):
        assert (await sign_in(client, "beta_viewer@example.org", "not the password")).status_code == 401
    blocked = await sign_in(client, "beta_viewer@example.org")
    assert blocked.status_code == 429 and "too many failed sign-ins" in blocked.text


async def test_sign_out_ends_the_session(world, client):
    await sign_in(client, "alpha_viewer@example.org")
    token = await csrf(client, "/")
    assert (await client.post("/logout", data={"_csrf_token": token})).status_code == 303
    assert (await client.get("/cases/alpha/alpha-private")).status_code == 404


async def test_an_open_redirect_after_sign_in_is_not_possible(world, client):
    token = await csrf(client)
    response = await client.post("/login", data={"email": "alpha_viewer@example.org", "password": PASSWORD,
                                                  "_csrf_token": token, "next": "//evil.example/"})
    assert response.headers["location"] == "/"


async def test_bad_query_strings_never_give_a_500(world, client):
    for query in ("?page=abc", "?sdg=99", "?country=%00%ff", "?status=<script>", "?page=-5&sdg=" + "9" * 500):
        response = await client.get("/" + query)
        assert response.status_code == 200, query


async def test_history_says_when_only_the_visibility_changed(world, client):
    api = "/api/v1/cases/alpha/alpha-private"
    current = (await client.get(api, headers=world.auth("alpha_admin"))).json()
    moved = await client.put(api, headers=world.auth("alpha_admin"), json={
        "version": current["version"], "case": current["case"], "visibility": "network"})
    assert moved.status_code == 200
    await sign_in(client, "alpha_viewer@example.org")
    page = (await client.get("/cases/alpha/alpha-private/history")).text
    assert "only the visibility changed, from private to network" in page
