"""A plan or saved context owned by organisation T holds only what T's members may read (issue 11, High 4).

The user `both` is an editor of alpha (active) and of beta. beta's private case must never reach a plan or
saved context owned by alpha: not as template, not as the case the target was taken from, not among the
similar cases, and not on re-generation. Each refusal writes nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from casebook.db.tables import Plan, SavedContext
from casebook.domain.errors import Forbidden
from casebook.services import contexts, plans, tenants, users
from casebook.services.actors import actor_for_user
from tests.conftest import RUNTIME
from tests.factory import PASSWORD

B_PRIVATE = "beta/beta-private"
B_SECRET = "Secret-beta-private"  # the title of beta's private case
TARGET = {"title": "Mining town like the beta one", "country": "CO", "sectors": ["mining"],
          "context": {"trust": "low", "conflict": "post-conflict"}}
REFUSED = ("beta/beta-private is not readable by every member of the organisation this would belong to; switch "
           "to the organisation that owns the case, or choose a case both may read")


@pytest.fixture
async def both(world):
    user = await users.create_user("both@example.org", "both", PASSWORD)
    for tenant in ("alpha", "beta"):
        await tenants.set_membership(world.tenant_ids[tenant], user["id"], "editor")
    return await actor_for_user(user["id"], active_tenant=world.tenant_ids["alpha"])


async def _nothing_saved() -> None:
    assert (await Plan.count(), await SavedContext.count()) == (0, 0)


async def test_a_plan_of_alpha_cannot_use_betas_private_case(world, both):
    for tenant in (None, "alpha"):
        with pytest.raises(Forbidden) as caught:
            await plans.create_plan(both, B_PRIVATE, TARGET, tenant, index=RUNTIME.matcher)
        assert caught.value.message == REFUSED
        with pytest.raises(Forbidden):
            await plans.create_plan(both, "alpha/alpha-public", TARGET, tenant, source=B_PRIVATE, index=RUNTIME.matcher)
    await _nothing_saved()
    owned_by_beta = await plans.create_plan(both, B_PRIVATE, TARGET, "beta", index=RUNTIME.matcher)
    assert (owned_by_beta["tenant"], owned_by_beta["template"]["title"]) == ("beta", f"{B_SECRET} partnership")


async def test_similar_cases_and_regeneration_keep_to_what_alpha_reads(world, both):
    plan = await plans.create_plan(both, "alpha/alpha-private", TARGET, index=RUNTIME.matcher)
    assert plan["tenant"] == "alpha" and B_SECRET not in json.dumps(plan, default=str)
    assert "beta-private" not in json.dumps(plan, default=str)
    again = await plans.regenerate_plan(both, plan["id"], plan["version"], index=RUNTIME.matcher)
    assert again["version"] == 2 and "beta-private" not in json.dumps(again, default=str)


async def test_a_context_of_alpha_cannot_be_taken_from_betas_private_case(world, both):
    with pytest.raises(Forbidden):
        await contexts.create_context(both, "From beta", TARGET, source=B_PRIVATE)
    await _nothing_saved()
    saved = await contexts.create_context(both, "From alpha", TARGET, source="alpha/alpha-private")
    assert saved["tenant"] == "alpha"
    in_beta = await contexts.create_context(both, "From beta", TARGET, "beta", source=B_PRIVATE)
    assert in_beta["tenant"] == "beta"


async def _sign_in(client) -> str:
    page = await client.get("/login")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    response = await client.post("/login", data={"email": "both@example.org", "password": PASSWORD,
                                                 "_csrf_token": token, "next": "/"})
    assert response.status_code == 303
    return token


async def test_pages_refuse_and_save_nothing(world, both, client):
    token = await _sign_in(client)
    started = await client.get("/match", params={"case": B_PRIVATE})
    assert started.status_code == 200
    assert f'name="source" value="{B_PRIVATE}"' in started.text and 'name="tenant" value="alpha"' in started.text
    context = re.search(r"name=\"context\" value='([^']+)'", started.text).group(1)
    saved = await client.post("/match/contexts", data={"_csrf_token": token, "name": "Copied", "tenant": "alpha",
                                                       "source": B_PRIVATE, "context": context})
    assert saved.status_code == 403 and "is not readable by every member" in saved.text
    form = {"_csrf_token": token, "template": B_PRIVATE, "tenant": "alpha", "title": "Mining town",
            "country": "CO"}
    made = await client.post("/plans/new", data=form)
    assert made.status_code == 403 and "is not readable by every member" in made.text
    made = await client.post("/plans/new", data={**form, "template": "alpha/alpha-public", "source": B_PRIVATE})
    assert made.status_code == 403
    await _nothing_saved()
    link = re.search(r'href="(/plans/new\?[^"]+)"', started.text)
    assert link is not None and "source=beta%2Fbeta-private" in link.group(1)


async def test_the_api_checks_the_source_case_too(world, both, client):
    from casebook.services import tokens
    secret = (await tokens.create_token(both.user_id, world.tenant_ids["alpha"], "alpha"))["token"]
    headers = {"Authorization": f"Bearer {secret}"}  # a token acts for alpha only
    plan = await client.post("/api/v1/plans", json={"template": "alpha/alpha-public", "target": TARGET,
                                                    "source": B_PRIVATE}, headers=headers)
    assert plan.status_code == 400
    assert plan.json()["problems"] == [{"field": "source", "message": "no case you may read has the slug "
                                                                       "'beta/beta-private'", "code": "invalid"}]
    saved = await client.post("/api/v1/contexts", json={"name": "Copied", "context": TARGET, "source": B_PRIVATE},
                              headers=headers)
    assert saved.status_code == 400
    await _nothing_saved()
    ok = await client.post("/api/v1/contexts", json={"name": "Own", "context": TARGET, "source": "alpha/alpha-private"},
                           headers=headers)
    assert ok.status_code == 201 and ok.json()["tenant"] == "alpha"
