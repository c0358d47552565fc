"""Exports: each format holds exactly what the caller may read, and the registry export follows its fields."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from casebook.services import cases
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.isolation import READS


@pytest.mark.parametrize("user", ["anonymous", "alpha_viewer", "beta_editor", "net_admin"])
async def test_every_format_exports_exactly_what_the_caller_may_read(world, client, user):
    expected = READS[user]
    as_json = (await client.get("/api/v1/export", params={"format": "json"}, headers=world.auth(user))).json()
    assert {c["slug"] for c in as_json["cases"]} == expected and as_json["count"] == len(expected)
    as_csv = (await client.get("/api/v1/export", params={"format": "csv"}, headers=world.auth(user))).text
    assert {row["slug"] for row in csv.DictReader(io.StringIO(as_csv))} == expected
    as_yaml = (await client.get("/api/v1/export", params={"format": "yaml"}, headers=world.auth(user))).text
    assert {d["slug"] for d in yaml.safe_load_all(as_yaml)} == expected
    registry = (await client.get("/api/v1/export", params={"format": "un-registry"}, headers=world.auth(user))).json()
    assert {r["title"] for r in registry["registrations"]} == {f"Secret-{s} partnership" for s in expected}
    for body in (json.dumps(as_json), as_csv, as_yaml, json.dumps(registry)):
        assert all(f"Secret-{hidden}" not in body for hidden in {"alpha-private", "beta-private"} - expected)


async def test_the_registry_export_uses_the_registry_fields(world, client):
    registry = (await client.get("/api/v1/export", params={"format": "un-registry"})).json()
    entry = next(r for r in registry["registrations"] if r["title"] == "Secret-alpha-public partnership")
    assert entry == {
        "title": "Secret-alpha-public partnership",
        "description": "Summary of alpha-public: a company, a municipality and a community organisation work together.",
        "sdgs": [8, 16],
        "partners": [{"name": "Mining Co", "type": "Private sector"},
                     {"name": "Community Council", "type": "Civil society organization"}],
        "countries": ["Colombia"], "start": 2019, "end": None,
    }


async def test_csv_cells_cannot_run_as_spreadsheet_formulas(world, client):
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha",
                            make_case("formula", title="=HYPERLINK(\"http://x\")", locality="+1"), "public")
    rows = list(csv.DictReader(io.StringIO((await client.get("/api/v1/export", params={"format": "csv"})).text)))
    row = next(r for r in rows if r["slug"] == "formula")
    assert (row["title"], row["locality"]) == ("'=HYPERLINK(\"http://x\")", "'+1")


async def test_an_unknown_format_is_a_400(client, clean):
    response = await client.get("/api/v1/export", params={"format": "xlsx"})
    assert response.status_code == 400
    assert response.json()["problems"] == [{"message": "must be one of json, yaml, csv, un-registry",
                                            "field": "format", "code": "invalid"}]


async def lessons_world(world, client) -> None:
    """alpha: a network lesson approved then edited (pending), a private one, and a draft nobody approved."""
    from tests.lesson_fixtures import make_lesson
    editor = world.auth("alpha_editor")
    for slug, visibility in (("shared", "network"), ("notes", "private"), ("unapproved", "network")):
        made = await client.post("/api/v1/lessons", headers=editor, json={
            "tenant": "alpha", "visibility": visibility, "lesson": make_lesson(
                slug, title=f"Approved {slug}", cases=["alpha/alpha-private", "alpha/alpha-public"])})
        assert made.status_code == 201, made.text
    base = "/api/v1/lessons/alpha/shared"
    assert (await client.post(f"{base}/submit", headers=editor, json={})).status_code == 200
    approved = await client.post(f"{base}/approve", headers=world.auth("net_admin"), json={"version": 1})
    assert approved.status_code == 200
    edited = await client.put(base, headers=editor, json={"version": 1, "lesson": make_lesson(
        "shared", title="Unreviewed rewrite", body="Unreviewed words.", cases=["alpha/alpha-private"])})
    assert edited.status_code == 200, edited.text


async def test_lessons_are_exported_as_each_reader_reads_them(world, client):
    await lessons_world(world, client)
    other = (await client.get("/api/v1/export", headers=world.auth("gamma_editor"))).json()
    assert [(r["tenant"], r["slug"], r["visibility"], r["version"], r["lesson"]["title"], r["lesson"].get("cases"))
            for r in other["lessons"]] == [("alpha", "shared", "network", 1, "Approved shared", ["alpha/alpha-public"])]
    assert other["lesson_count"] == 1 and other["count"] == len(other["cases"])
    owner = (await client.get("/api/v1/export", headers=world.auth("alpha_viewer"))).json()
    assert [(r["slug"], r["version"], r["lesson"]["title"]) for r in owner["lessons"]] == [
        ("notes", 1, "Approved notes"), ("shared", 2, "Unreviewed rewrite"), ("unapproved", 1, "Approved unapproved")]
    assert owner["lessons"][1]["lesson"]["cases"] == ["alpha/alpha-private"]
    assert (await client.get("/api/v1/export", headers=world.auth("beta_admin"))).json()["lessons"] == []
    for user in ("gamma_editor", "net_admin", "beta_admin", "anonymous"):
        for params in ({"format": "json"}, {"format": "yaml"}, {"format": "csv", "kind": "lesson"},
                       {"format": "csv"}, {"format": "un-registry"}):
            body = (await client.get("/api/v1/export", params=params, headers=world.auth(user))).text
            for hidden in ("Unreviewed", "notes", "unapproved", "alpha-private"):
                assert hidden not in body, (user, params, hidden)


async def test_yaml_and_csv_shapes_of_lessons(world, client):
    await lessons_world(world, client)
    headers = world.auth("gamma_editor")
    as_yaml = (await client.get("/api/v1/export", params={"format": "yaml"}, headers=headers)).text
    assert "---\n# lesson alpha/shared (network, version 1)\nslug: shared\n" in as_yaml
    documents = list(yaml.safe_load_all(as_yaml))
    lesson = next(d for d in documents if d["slug"] == "shared")
    assert lesson["title"] == "Approved shared" and lesson["cases"] == ["alpha/alpha-public"] and "body" in lesson
    rows = list(csv.DictReader(io.StringIO((await client.get(
        "/api/v1/export", params={"format": "csv", "kind": "lesson"}, headers=headers)).text)))
    assert [(r["tenant"], r["slug"], r["visibility"], r["version"], r["title"], r["tags"], r["msp_steps"], r["cases"])
            for r in rows] == [("alpha", "shared", "network", "1", "Approved shared", "trust; dialogue", "3",
                                "alpha/alpha-public")]
    assert rows[0]["body"].startswith("Build **trust** first in shared.")
    # Cases stay the default of CSV and the only content of the registry format; kind=case leaves lessons out.
    cases_csv = (await client.get("/api/v1/export", params={"format": "csv"}, headers=headers)).text
    assert "shared" not in cases_csv and cases_csv.startswith("tenant,slug,visibility,version,updated_at,title,country")
    only_cases = (await client.get("/api/v1/export", params={"kind": "case"}, headers=headers)).json()
    assert "lessons" not in only_cases and only_cases["count"] == len(only_cases["cases"]) > 0
    only_lessons = (await client.get("/api/v1/export", params={"kind": "lesson"}, headers=headers)).json()
    assert "cases" not in only_lessons and only_lessons["lesson_count"] == 1


async def test_an_unknown_kind_is_a_400(client, clean):
    for params, message in (({"kind": "plan"}, "must be one of case, lesson"),
                            ({"format": "un-registry", "kind": "lesson"}, "the un-registry format holds cases only")):
        response = await client.get("/api/v1/export", params=params)
        assert response.status_code == 400
        assert response.json()["problems"] == [{"message": message, "field": "kind", "code": "invalid"}]
