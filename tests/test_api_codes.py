"""Error codes and answer shapes: every API error names a stable machine code beside its message, forms
branch on codes (not on wording), and the OpenAPI document gives each operation its answer's shape."""

from __future__ import annotations

import msgspec
import pytest

from casebook.api.schemas import shaped
from casebook.api.schemas.cases import Case
from casebook.domain.casefile import check_case, dump_case
from casebook.domain.errors import InvalidInput
from casebook.matching.target import validate_context
from casebook.web.match import error_map
from tests.factory import make_case
from tests.test_web_plans import signed_in

API = "/api/v1/cases"


async def _create(client, world, slug="coded", **extra):
    body = {"tenant": "alpha", "case": make_case(slug), **extra}
    return await client.post(API, json=body, headers=world.auth("alpha_editor"))


async def test_each_failure_names_its_code(world, client):
    editor = world.auth("alpha_editor")
    assert (await _create(client, world)).status_code == 201
    missing = await client.get(f"{API}/alpha/no-such-case", headers=editor)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    again = await _create(client, world)
    assert (again.status_code, again.json()["code"]) == (409, "already_exists")
    url = f"{API}/alpha/coded"
    await client.put(url, json={"version": 1, "case": make_case("coded", title="First")}, headers=editor)
    stale = await client.put(url, json={"version": 1, "case": make_case("coded", title="Second")}, headers=editor)
    assert (stale.status_code, stale.json()["code"], stale.json()["current"]["version"]) == (409, "stale_version", 2)
    viewer = await client.post(f"{url}/submit", json={}, headers=world.auth("alpha_viewer"))
    assert (viewer.status_code, viewer.json()["code"]) == (403, "forbidden")
    withdraw = await client.post(f"{url}/withdraw", json={}, headers=world.auth("alpha_admin"))
    assert (withdraw.status_code, withdraw.json()["code"]) == (409, "invalid_transition")
    unknown_token = await client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert (unknown_token.status_code, unknown_token.json()["code"]) == (401, "unauthenticated")


async def test_an_invalid_case_file_names_each_missing_key(world, client):
    doc = make_case("incomplete")
    del doc["summary"]
    response = await _create(client, world, slug="incomplete", case=doc)
    body = response.json()
    assert (response.status_code, body["code"]) == (400, "invalid_case_file")
    assert {"field": "case", "message": "'summary' is required", "code": "required", "missing": "summary"} in \
        body["problems"]
    wrong_visibility = await _create(client, world, slug="elsewhere", visibility="everyone")
    assert wrong_visibility.json()["code"] == "invalid_input"  # not the document's fault
    unknown_body_field = await client.post(API, json={"tenant": "alpha", "case": make_case("x"), "extra": 1},
                                           headers=world.auth("alpha_editor"))
    assert [(p["field"], p["code"]) for p in unknown_body_field.json()["problems"]] == [("extra", "unknown_field")]


def test_forms_place_required_problems_by_code_not_wording():
    problems = check_case({**make_case("x"), "partners": [{"name": "No type"}]})
    assert [(p.field, p.code, p.missing) for p in problems] == [("partners[0]", "required", "type")]
    with pytest.raises(InvalidInput) as exc:
        validate_context({"summary": "a context without a title or a country"})
    exc.value.problems[0].message = "reworded"  # the wording may change; the form still finds the field
    assert error_map(exc.value) == {"title": ["this field is required"], "country": ["this field is required"]}


async def test_the_import_page_offers_its_own_replace_box_for_a_slug_that_exists(world, client):
    token = await signed_in(client, "alpha_editor")
    existing = dump_case(make_case("alpha-private"))
    response = await client.post("/import", data={"_csrf_token": token, "tenant": "alpha", "visibility": "private"},
                                 files=[("files", ("again.yaml", existing.encode(), "application/x-yaml"))])
    assert response.status_code == 400
    assert ("a case with slug &#39;alpha-private&#39; already exists in alpha (tick &#39;Replace cases that "
            "exist&#39; to update it)") in response.text
    assert "--replace" not in response.text


async def test_the_openapi_document_gives_every_answer_its_shape(client):
    document = (await client.get("/schema/openapi.json")).json()
    paths, schemas = document["paths"], document["components"]["schemas"]

    def answer(path: str, method: str, status: str = "200") -> dict:
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]

    assert answer("/api/v1/cases/{tenant}/{slug}", "get") == {"$ref": "#/components/schemas/Case"}
    assert answer("/api/v1/cases", "get") == {"$ref": "#/components/schemas/CasePage"}
    assert answer("/api/v1/lessons", "post", "201") == {"$ref": "#/components/schemas/Lesson"}
    assert answer("/api/v1/lessons/{tenant}/{slug}/approve", "post") == {"$ref": "#/components/schemas/Publication"}
    assert answer("/api/v1/match", "post") == {"$ref": "#/components/schemas/MatchResults"}
    assert answer("/api/v1/plans", "get") == {"$ref": "#/components/schemas/PlanList"}
    assert answer("/api/v1/me", "get") == {"$ref": "#/components/schemas/Me"}
    assert {"case", "publication", "stale", "version"} <= set(schemas["Case"]["properties"])
    assert "case" in schemas["Case"]["required"] and "publication" not in schemas["Case"]["required"]
    assert set(schemas["ProblemBody"]["required"]) == {"code", "message"}


def test_a_key_no_shape_declares_fails_loudly_instead_of_vanishing():
    with pytest.raises(msgspec.ValidationError, match="unknown field `surprise`"):
        shaped(Case, {"surprise": 1})
