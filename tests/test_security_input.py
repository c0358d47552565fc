"""Input the database cannot hold, or that only looks like a number, is a clear 4xx on both engines:
Unicode digits in ids and form versions, ids above 2^31-1, NUL characters in text."""

from __future__ import annotations

import pytest

from casebook.domain.numbers import parse_int
from tests.factory import make_case
from tests.test_pages import csrf, sign_in

BIG = str(2**31)


def test_parse_int_takes_ascii_digits_only():
    assert [parse_int(t) for t in ("12", "³", "١٢", "-1", " 1", "1_0", BIG, "")] == [12, None, None, None, None,
                                                                                  None, None, None]


@pytest.mark.parametrize("path", [
    f"/api/v1/cases/alpha/alpha-private/revisions/{BIG}", f"/api/v1/plans/{BIG}", f"/api/v1/plans/{BIG}/revisions",
    f"/api/v1/contexts/{BIG}", "/api/v1/plans/³", "/api/v1/plans/³.pdf", f"/api/v1/lessons/alpha/x/revisions/{BIG}",
])
async def test_ids_no_column_holds_are_4xx(world, client, path):
    response = await client.get(path, headers=world.auth("alpha_admin"))
    assert response.status_code in (400, 404), response.text


@pytest.mark.parametrize("path", [f"/admin/alpha/members/{BIG}/role", f"/admin/alpha/tokens/{BIG}/revoke",
                                  f"/admin/alpha/invitations/{BIG}/revoke", f"/plans/{BIG}/edit"])
async def test_page_ids_no_column_holds_are_4xx(world, client, path):
    assert (await sign_in(client, "alpha_admin@example.org")).status_code == 303
    token = await csrf(client, "/admin/alpha/members")
    response = await client.post(path, data={"_csrf_token": token, "role": "viewer", "version": "1"})
    assert response.status_code in (400, 404), response.text


async def test_unicode_digits_in_a_form_version_are_4xx(world, client):
    assert (await sign_in(client, "alpha_editor@example.org")).status_code == 303
    token = await csrf(client, "/cases/alpha/alpha-private/edit")
    response = await client.post("/cases/alpha/alpha-private/edit",
                                 data={"_csrf_token": token, "version": "³", "title": "New title"})
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("request_body", [
    ("/api/v1/cases", {"tenant": "alpha", "visibility": "private", "case": make_case("nul", title="Bad\x00title")}),
    ("/api/v1/contexts", {"name": "A\x00name", "context": {"title": "Target site", "country": "RS"}}),
    ("/api/v1/plans", {"template": "alpha/alpha-private", "target": {"title": "T\x00", "country": "RS"}}),
])
async def test_a_nul_character_in_text_is_400_and_writes_nothing(world, client, request_body):
    path, body = request_body
    before = (await client.get(path.replace("/api/v1/cases", "/api/v1/cases?tenant=alpha"),
                               headers=world.auth("alpha_editor"))).json()
    response = await client.post(path, headers=world.auth("alpha_editor"), json=body)
    assert response.status_code == 400, response.text
    after = (await client.get(path.replace("/api/v1/cases", "/api/v1/cases?tenant=alpha"),
                              headers=world.auth("alpha_editor"))).json()
    assert after == before


def _case_yaml(slug: str) -> bytes:
    import yaml
    return yaml.safe_dump(make_case(slug), sort_keys=False).encode()


async def test_a_thousand_files_import_in_one_upload(world, client):
    assert (await sign_in(client, "alpha_editor@example.org")).status_code == 303
    token = await csrf(client, "/import")
    files = [("files", (f"bulk-{n}.yaml", _case_yaml(f"bulk-{n}"), "application/yaml")) for n in range(1000)]
    response = await client.post("/import", data={"_csrf_token": token, "tenant": "alpha", "visibility": "private"},
                                 files=files)
    assert response.status_code == 200, response.text[-500:]
    listed = await client.get("/api/v1/cases?tenant=alpha&per_page=1", headers=world.auth("alpha_editor"))
    assert listed.json()["total"] == 1000 + 3  # the world's three alpha cases


async def test_an_upload_over_the_part_limit_names_the_limit(world, client):
    from casebook.settings import MAX_FORM_PARTS
    assert (await sign_in(client, "alpha_editor@example.org")).status_code == 303
    token = await csrf(client, "/import")
    files = [("files", (f"f{n}.yaml", b"x", "application/yaml")) for n in range(MAX_FORM_PARTS + 1)]
    response = await client.post("/import", data={"_csrf_token": token, "tenant": "alpha"}, files=files)
    assert response.status_code == 400
    assert f"at most 10 MB and {MAX_FORM_PARTS} files and fields per request" in response.text
