"""The plan wizard and plan pages: generate, list, tick, edit, re-generate, download; private to the organisation."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from tests.factory import PASSWORD

TEMPLATE = "alpha/alpha-private"
FORM = {"template": TEMPLATE, "title": "Mining town in the north", "country": "co", "context.trust": "medium",
        "population_groups": "residents, women", "goals": "Rebuild trust between the mine and the town."}


async def signed_in(client, user):
    page = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"email": f"{user}@example.org", "password": PASSWORD,
                                                 "_csrf_token": token, "next": "/"})
    assert response.status_code == 303
    return token


async def generated(client, token, **changes):
    response = await client.post("/plans/new", data={**FORM, **changes, "_csrf_token": token})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


async def edit(client, token, plan_id, line, field, value, version, accept="application/json"):
    return await client.post(f"/plans/{plan_id}/edit", headers={"Accept": accept},
                             data={"line": line, "field": field, "value": value, "version": str(version),
                                   "_csrf_token": token})


async def test_wizard_prefills_from_a_comparable_search_and_ignores_junk(world, client):
    await signed_in(client, "alpha_editor")
    target = {"title": "Steel town", "country": "RS", "sectors": ["steel"], "context": {"trust": "low"},
              "population_groups": ["workers"], "goals": "Clean air", "summary": "A steel town.", "sdgs": [3, 11]}
    page = await client.get(f"/plans/new?template={TEMPLATE}&from={quote(json.dumps(target))}")
    assert page.status_code == 200
    assert 'name="template" list="template-choices" value="alpha/alpha-private"' in page.text
    assert 'value="Steel town"' in page.text and 'value="RS"' in page.text and 'value="workers"' in page.text
    assert '<option value="low" selected>low</option>' in page.text and ">Clean air</textarea>" in page.text
    assert ">A steel town.</textarea>" in page.text
    assert '<input type="hidden" name="carry" value="{&#34;sdgs&#34;: [3, 11]}">' in page.text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    plan_id = await generated(client, token, carry='{"sdgs": [3, 11]}', summary="A steel town.")
    saved = (await client.get(f"/plans/{plan_id}.json")).json()["target"]
    assert (saved["sdgs"], saved["summary"], saved["country"]) == ([3, 11], "A steel town.", "CO")
    junk = await client.get("/plans/new?from=%7Bnot-json")
    assert junk.status_code == 200 and 'name="title" value=""' in junk.text
    listed = await client.get("/plans/new?from=%5B1%2C2%5D")
    assert listed.status_code == 200 and 'name="title" value=""' in listed.text


async def test_generate_list_tick_edit_regenerate_download(world, client):
    token = await signed_in(client, "alpha_editor")
    plan_id = await generated(client, token)
    page = await client.get(f"/plans/{plan_id}")
    assert page.status_code == 200
    assert ": replicating “Secret-alpha-private" in page.text
    assert [d for d in ("social", "physical", "political", "conceptual") if f'id="dim-{d}"' in page.text] == [
        "social", "physical", "political", "conceptual"]
    assert len(re.findall(r'class="step" id="step-\d+"', page.text)) == 12
    assert "0 of 32</span> guideline tasks done" in page.text
    listed = await client.get("/plans")
    assert f'href="/plans/{plan_id}"' in listed.text

    ticked = await edit(client, token, plan_id, "task-1.1", "done", "true", 1)
    assert ticked.status_code == 200 and ticked.json() == {"version": 2, "done": 1, "total": 32}
    stale = await edit(client, token, plan_id, "task-1.2", "done", "true", 1)
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["error"]
    line = "adapt-social.population-group-women-map"
    text = await edit(client, token, plan_id, line, "text", "Hold women's listening sessions first.", 2)
    assert text.status_code == 200 and text.json()["version"] == 3
    bad = await edit(client, token, plan_id, "no-such-line", "text", "x", 3)
    assert bad.status_code == 400 and bad.json()["problems"][0]["field"] == "edits.no-such-line"

    regen = await client.post(f"/plans/{plan_id}/regenerate", data={"version": "3", "_csrf_token": token})
    assert (regen.status_code, regen.headers["location"]) == (303, f"/plans/{plan_id}?said=regenerated")
    page = await client.get(regen.headers["location"])
    assert "Hold women&#39;s listening sessions first." in page.text and "your edits and ticks were kept" in page.text
    assert 'id="done-task-1.1" data-tick="task-1.1" checked' in page.text
    conflict = await client.post(f"/plans/{plan_id}/regenerate", data={"version": "3", "_csrf_token": token})
    assert conflict.headers["location"] == f"/plans/{plan_id}?said=conflict"

    pdf = await client.get(f"/plans/{plan_id}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    data = await client.get(f"/plans/{plan_id}.json")
    assert data.status_code == 200 and data.json()["id"] == plan_id and data.json()["version"] == 4


async def test_bad_input_names_the_field_and_saves_nothing(world, client):
    token = await signed_in(client, "alpha_editor")
    response = await client.post("/plans/new", data={**FORM, "country": "XX", "context.trust": "huge",
                                                     "template": "beta/beta-private", "_csrf_token": token})
    assert response.status_code == 400
    assert "unknown country code &#39;XX&#39;" in response.text and 'id="err-template"' in response.text
    assert 'id="err-context-trust"' in response.text and "Secret-beta-private" not in response.text
    assert "no saved plans" in (await client.get("/plans")).text


async def test_viewer_reads_but_cannot_tick(world, client):
    token = await signed_in(client, "alpha_editor")
    plan_id = await generated(client, token)
    await client.post("/logout", data={"_csrf_token": token})
    token = await signed_in(client, "alpha_viewer")
    page = await client.get(f"/plans/{plan_id}")
    assert page.status_code == 200 and 'data-tick="task-1.1" disabled' in page.text
    assert (await edit(client, token, plan_id, "task-1.1", "done", "true", 1)).status_code == 403


@pytest.mark.parametrize("user", ["beta_admin", "gamma_editor", "net_admin", "outsider"])
async def test_other_organisations_get_404_on_every_plan_page(world, client, user):
    token = await signed_in(client, "alpha_editor")
    plan_id = await generated(client, token)
    await client.post("/logout", data={"_csrf_token": token})
    token = await signed_in(client, user)
    for path in (f"/plans/{plan_id}", f"/plans/{plan_id}.pdf", f"/plans/{plan_id}.json"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "Secret" not in response.text and "Mining town" not in response.text, path
    for accept in ("application/json", "text/html"):
        response = await edit(client, token, plan_id, "task-1.1", "done", "true", 1, accept=accept)
        assert response.status_code == 404 and "Secret" not in response.text
    regen = await client.post(f"/plans/{plan_id}/regenerate", data={"version": "1", "_csrf_token": token})
    assert regen.status_code == 404
    listed = await client.get("/plans")
    assert listed.status_code == 200 and f"/plans/{plan_id}" not in listed.text and "Mining town" not in listed.text


async def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for path in ("/plans", "/plans/new?template=a/b", "/plans/1"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), path


async def test_delete_from_the_plan_page_after_confirming(world, client):
    token = await signed_in(client, "alpha_editor")
    plan_id = await generated(client, token)
    page = await client.get(f"/plans/{plan_id}")
    assert f'action="/plans/{plan_id}/delete"' in page.text and "Yes, delete the plan" in page.text
    assert (await edit(client, token, plan_id, "task-1.1", "done", "true", 1)).status_code == 200
    stale = await client.post(f"/plans/{plan_id}/delete", data={"version": "1", "_csrf_token": token})
    assert stale.headers["location"] == f"/plans/{plan_id}?said=conflict"
    done = await client.post(f"/plans/{plan_id}/delete", data={"version": "2", "_csrf_token": token})
    assert (done.status_code, done.headers["location"]) == (303, "/plans?said=deleted")
    listed = await client.get("/plans?said=deleted")
    assert "The plan and its history were deleted." in listed.text and f'href="/plans/{plan_id}"' not in listed.text
    assert (await client.get(f"/plans/{plan_id}")).status_code == 404


async def test_viewers_get_no_delete_button_and_other_tenants_a_404(world, client):
    token = await signed_in(client, "alpha_editor")
    plan_id = await generated(client, token)
    client.cookies.clear()
    token = await signed_in(client, "alpha_viewer")
    assert "Yes, delete the plan" not in (await client.get(f"/plans/{plan_id}")).text
    assert (await client.post(f"/plans/{plan_id}/delete", data={"version": "1", "_csrf_token": token})
            ).status_code == 403
    client.cookies.clear()
    token = await signed_in(client, "beta_admin")
    assert (await client.post(f"/plans/{plan_id}/delete", data={"version": "1", "_csrf_token": token})
            ).status_code == 404
