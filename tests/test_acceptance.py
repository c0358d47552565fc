"""Bugs found by running every README command and API row as a user would; each test pins one fix."""

from __future__ import annotations

from pathlib import Path

from tests.test_library_io import run_cli
from tests.test_plan_api import create


async def test_regenerate_takes_the_version_from_if_match_without_a_body(world, client):
    pid = (await create(client, world)).json()["id"]
    auth = world.auth("alpha_editor")
    again = await client.post(f"/api/v1/plans/{pid}/regenerate", headers={**auth, "If-Match": '"v1"'})
    assert again.status_code == 200, again.text
    assert again.json()["version"] == 2


async def test_a_missing_body_or_field_is_named_in_the_problem(world, client):
    auth = world.auth("alpha_editor")
    empty = await client.post("/api/v1/match", headers={**auth, "Content-Type": "application/json"})
    assert empty.status_code == 400
    assert empty.json()["problems"][0]["field"] == "body"
    missing = await client.post("/api/v1/contexts", json={"name": "A target"}, headers=auth)
    assert missing.status_code == 400
    assert missing.json()["problems"][0]["field"] == "context"
    unknown = await client.post("/api/v1/contexts", json={"name": "A", "context": {}, "colour": 1}, headers=auth)
    assert unknown.status_code == 400
    assert unknown.json()["problems"][0]["field"] == "colour"


async def test_the_csv_export_names_its_charset_once(world, client):
    response = await client.get("/api/v1/export", params={"format": "csv"}, headers=world.auth("alpha_viewer"))
    assert response.status_code == 200
    assert response.headers["content-type"].count("charset") == 1


def test_the_cli_plan_reports_an_unwritable_output_without_a_traceback(tmp_path: Path):
    home = tmp_path / "home"
    assert run_cli("init", home=home).returncode == 0
    target = tmp_path / "target.yaml"
    target.write_text("title: Steel plant community relations in Serbia\ncountry: RS\n")
    html = tmp_path / "plan.html"
    result = run_cli("plan", "--template", "bosnia-zenica-steelworks", "--target", str(target),
                     "--html", str(html), "--pdf", str(tmp_path / "missing" / "plan.pdf"), home=home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "missing/plan.pdf" in result.stderr
    assert not html.exists()  # nothing written when one output cannot be


async def test_a_network_submission_from_an_organisation_in_no_network_is_refused(world, client):
    """Nobody could ever approve it, so it must not sit in review forever."""
    from tests.factory import make_case
    headers = world.auth("beta_editor")
    created = await client.post("/api/v1/cases", headers=headers, json={
        "tenant": "beta", "visibility": "network", "case": make_case("lonely")})
    assert created.status_code == 201
    submitted = await client.post("/api/v1/cases/beta/lonely/submit", headers=headers, json={})
    assert submitted.status_code == 409 and "belongs to no network" in submitted.json()["error"]
    after = (await client.get("/api/v1/cases/beta/lonely", headers=headers)).json()
    assert after["publication"]["state"] == "draft" and after["version"] == 1
