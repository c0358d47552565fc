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
                                            "field": "format"}]
