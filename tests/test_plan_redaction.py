"""A plan only holds what its author reads of other tenants' cases: the redacted published snapshot.

A network case of alpha has a sensitive locality and a sensitive partner, and an unpublished working copy;
a plan made in gamma (same network) from it, or matching it as a similar case, shows none of that in its
JSON, HTML or PDF, while a plan made in alpha itself uses the working copy."""

from __future__ import annotations

import pytest

from casebook.services import cases
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.test_plan_pdf import pdf_text

SECRET_PLACE = "Hamlet-Quorvin riverside"
SECRET_PERSON = "Elder Tavimoro"
DRAFT_LESSON = "Unpublished-Zyxwv lesson from the working copy."
SECRETS = (SECRET_PLACE, SECRET_PERSON, "Zyxwv")
TARGET = {"title": "Mining valley", "country": "CO", "locality": "Valley town", "context": {"trust": "low"},
          "sectors": ["mining"], "population_groups": ["residents", "women"]}


@pytest.fixture
async def guarded(world):
    partners = [{"name": "Mining Co", "type": "business-multinational", "roles": ["company"]},
                {"name": SECRET_PERSON, "type": "community", "roles": ["community-organisation"], "sensitive": True}]
    data = make_case("guarded", locality=SECRET_PLACE, partners=partners, sensitive=["locality"])
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", data, "network")  # published
    editor = await world.actor("alpha_editor")
    draft = {**data, "lessons": [*data["lessons"], DRAFT_LESSON]}
    await cases.update_case(editor, "alpha", "guarded", draft, 1)  # a draft: the snapshot stays version 1
    return world


async def _all_forms(client, world, user, template):
    made = await client.post("/api/v1/plans", json={"template": template, "target": TARGET},
                             headers=world.auth(user))
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    html = (await client.get(f"/api/v1/plans/{pid}.html", headers=world.auth(user))).text
    pdf = (await client.get(f"/api/v1/plans/{pid}.pdf", headers=world.auth(user))).content
    return made.json(), made.text, html, pdf_text(pdf)


async def test_a_plan_from_another_tenants_template_shows_only_its_redacted_snapshot(guarded, client):
    plan, *forms = await _all_forms(client, guarded, "gamma_editor", "alpha/guarded")
    assert plan["template"]["slug"] == "guarded"
    template_roles = {p["name"] for row in plan["partner_map"]["rows"] for p in row["template"]}
    assert template_roles == {"Mining Co"}
    for text in forms:
        for secret in SECRETS:
            assert secret not in text, secret
    assert "A lesson of guarded." in forms[1]  # the published lesson is there: the plan is not empty


async def test_a_matched_similar_case_of_another_tenant_is_redacted_too(guarded, client):
    plan, *forms = await _all_forms(client, guarded, "gamma_editor", "gamma/gamma-network")
    assert "alpha/guarded" in {f"{s['tenant']}/{s['slug']}" for s in plan["similar_cases"]}
    for text in forms:
        for secret in SECRETS:
            assert secret not in text, secret


async def test_the_owner_plans_from_its_working_copy(guarded, client):
    plan, body, html, _ = await _all_forms(client, guarded, "alpha_editor", "alpha/guarded")
    assert DRAFT_LESSON in body and DRAFT_LESSON in html
    assert SECRET_PERSON in {p["name"] for row in plan["partner_map"]["rows"] for p in row["template"]}
