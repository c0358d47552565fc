"""HTTP-level defences: anchored CSRF exemptions, security headers, links from the configured base URL,
allowed hosts, Secure cookies over TLS, deeply nested JSON and huge values in error messages."""

from __future__ import annotations

import httpx
import pytest

from casebook.services import cases
from casebook.services.actors import system_actor
from casebook.settings import settings_from_env
from tests.factory import make_case
from tests.test_pages import csrf, sign_in


@pytest.mark.parametrize("slug", ["api", "static", "schema-test"])
async def test_a_case_slug_that_names_an_exempt_path_is_still_csrf_protected(world, client, slug):
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", make_case(slug), "private")
    assert (await sign_in(client, "alpha_editor@example.org")).status_code == 303
    form = {"version": "1", "title": "Changed by a cross-origin form"}
    response = await client.post(f"/cases/alpha/{slug}/edit", data=form)  # no CSRF token
    assert response.status_code == 403
    editor = await world.actor("alpha_editor")
    assert (await cases.get_case(editor, "alpha", slug))["title"] == f"Test case {slug}"


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/me", "/cases/alpha/nothing", "/static/js/app.js",
                                  "/feeds/public.atom", "/schema/openapi.json", "/api/v1/plans/x"])
async def test_every_response_carries_the_security_headers(world, client, path):
    response = await client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp.split(
        "script-src")[1].split(";")[0]
    assert (response.headers["x-frame-options"], response.headers["x-content-type-options"],
            response.headers["referrer-policy"]) == ("DENY", "nosniff", "same-origin")


async def test_no_template_has_an_inline_script_or_event_handler():
    import re

    from casebook.settings import FRONTEND_DIR
    offenders = []
    for template in (FRONTEND_DIR / "templates").rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(template.name)
    assert offenders == []


async def test_a_forged_host_header_is_refused_and_never_reaches_a_link(world, client):
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", make_case("feed-me"), "public")
    forged = await client.get("/feeds/public.atom", headers={"Host": "evil.test"})
    assert forged.status_code == 400 and "evil.test" not in forged.text
    feed = await client.get("/feeds/public.atom")
    assert "http://testserver.local/cases/alpha/feed-me" in feed.text and "evil.test" not in feed.text


@pytest.fixture
def environment(monkeypatch, runtime):
    def configure(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(runtime, "settings", settings_from_env())
    yield configure
    monkeypatch.undo()


async def test_links_come_from_the_base_url_even_when_the_host_is_allowed(world, client, environment):
    environment(CASEBOOK_BASE_URL="https://casebook.example.org", CASEBOOK_ALLOWED_HOSTS="testserver.local,other.test")
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", make_case("feed-me"), "public")
    feed = await client.get("/feeds/public.atom", headers={"Host": "other.test"})
    assert feed.status_code == 200
    assert "https://casebook.example.org/cases/alpha/feed-me" in feed.text and "other.test" not in feed.text
    assert (await sign_in(client, "alpha_admin@example.org")).status_code == 303
    invited = await client.post("/admin/alpha/invitations", headers={"Host": "other.test"},
                                data={"role": "viewer", "email": "new@example.org", "days": "7",
                                      "_csrf_token": await csrf(client, "/admin/alpha/members")})
    assert invited.status_code == 201 and "https://casebook.example.org/join/" in invited.text
    assert "other.test/join" not in invited.text


async def test_cookies_are_secure_when_the_site_is_served_over_tls(world, environment, runtime):
    environment(CASEBOOK_TLS="1")
    from casebook.app import create_app
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as tls_client:
        page = await tls_client.get("/login")
        assert "; secure" in page.headers["set-cookie"].lower()
        signed = await sign_in(tls_client, "alpha_viewer@example.org")
        assert all("secure" in c.lower() for c in signed.headers.get_list("set-cookie"))


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/match", "/api/v1/plans", "/api/v1/contexts",
                                  "/api/v1/lessons"])
async def test_json_nested_a_thousand_levels_deep_is_a_clear_400(world, client, path):
    body = '{"x": ' + "[" * 1000 + "]" * 1000 + "}"
    response = await client.post(path, content=body, headers={**world.auth("alpha_editor"),
                                                              "content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["problems"] == [{"field": "body", "message": "the JSON is nested too deeply",
                                            "source": "body", "code": "invalid"}]


async def test_a_huge_value_is_not_echoed_in_the_error(world, client):
    huge = "x" * 9_000_000
    body = {"tenant": "alpha", "visibility": "private", "case": make_case("huge", title=huge)}
    response = await client.post("/api/v1/cases", headers=world.auth("alpha_editor"), json=body)
    assert response.status_code == 400 and len(response.content) < 5000
    assert "characters)" in response.text


async def test_a_405_names_the_allowed_methods(world, client):
    response = await client.delete("/api/v1/me", headers=world.auth("alpha_viewer"))
    assert response.status_code == 405
    assert sorted(response.headers["allow"].split(", ")) == ["GET", "OPTIONS"]
    assert response.json() == {"error": "Method Not Allowed", "status": 405, "code": "method_not_allowed"}


async def test_the_openapi_document_describes_the_error_answers(client):
    document = (await client.get("/schema/openapi.json")).json()
    put = document["paths"]["/api/v1/cases/{tenant}/{slug}"]["put"]["responses"]
    assert sorted(put) == ["200", "400", "401", "403", "404", "409", "503"]
    assert put["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    body = document["components"]["schemas"]["ErrorBody"]
    assert (sorted(body["properties"]), sorted(body["required"])) == (
        ["code", "current", "error", "problems", "status"], ["code", "error", "status"])
