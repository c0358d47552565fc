"""The tenant-isolation matrix for writes: every role against every case, then nothing else changed."""

from __future__ import annotations

import pytest

from tests.factory import USERS, make_case
from tests.isolation import ALL, API_USERS, READS, WRITES, owner


@pytest.mark.parametrize("user", API_USERS)
async def test_writes_match_the_access_rule(world, client, user):
    headers = world.auth(user)
    for slug in sorted(ALL):
        base = f"/api/v1/cases/{owner(slug)}/{slug}"
        body = {"version": 1, "case": make_case(slug, title="Overwritten")}
        put = await client.put(base, json=body, headers=headers)
        delete = await client.delete(base, headers=headers)
        restore = await client.post(f"{base}/restore", headers=headers)
        if slug in WRITES.get(user, set()):
            assert (put.status_code, delete.status_code, restore.status_code) == (200, 204, 200), (user, slug)
        elif slug in READS[user]:
            expected = 401 if user == "anonymous" else 403
            assert {put.status_code, delete.status_code, restore.status_code} <= {expected, 404}, (user, slug)
            assert put.status_code == expected and delete.status_code == expected
        else:
            assert (put.status_code, delete.status_code, restore.status_code) == (404, 404, 404), (user, slug)
    # Nothing outside the user's writable set changed.
    for slug in sorted(ALL - WRITES.get(user, set())):
        owner_headers = world.auth(f"{owner(slug)}_editor" if owner(slug) != "gamma" else "gamma_editor")
        got = await client.get(f"/api/v1/cases/{owner(slug)}/{slug}", headers=owner_headers)
        assert got.json()["version"] == 1 and got.json()["title"] == f"Secret-{slug} partnership"


@pytest.mark.parametrize("user", API_USERS)
async def test_create_only_in_own_organisations(world, client, user):
    for tenant in ("alpha", "beta", "gamma", "net"):
        response = await client.post("/api/v1/cases", headers=world.auth(user),
                                     json={"tenant": tenant, "case": make_case(f"new-{tenant}")})
        home, role = USERS.get(user, (None, None))
        if home == tenant and role in ("editor", "admin"):
            assert response.status_code == 201
        elif home == tenant:
            assert response.status_code == 403
        else:
            assert response.status_code == (401 if user == "anonymous" else 404), (user, tenant)


async def test_a_token_acts_only_within_its_own_organisation(world, client):
    """A user in two organisations: a token made for one never reads the other's private cases."""
    from casebook.services import tenants, tokens
    both = world.user_ids["alpha_viewer"]
    await tenants.set_membership(world.tenant_ids["beta"], both, "viewer")
    token = (await tokens.create_token(both, world.tenant_ids["alpha"], "alpha only"))["token"]
    listed = await client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert "beta-private" not in {c["slug"] for c in listed.json()["items"]}
