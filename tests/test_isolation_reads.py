"""The tenant-isolation matrix for reads: every role, every case, every read endpoint."""

from __future__ import annotations

import pytest

from tests.isolation import ALL, API_USERS, READS, owner


@pytest.mark.parametrize("user", API_USERS)
async def test_reads_match_the_access_rule(shared_world, client, user):
    headers = shared_world.auth(user)
    listed = await client.get("/api/v1/cases", params={"per_page": 100}, headers=headers)
    assert listed.status_code == 200
    assert {c["slug"] for c in listed.json()["items"]} == READS[user]
    assert listed.json()["total"] == len(READS[user])
    for slug in sorted(ALL):
        for path in (f"/api/v1/cases/{owner(slug)}/{slug}", f"/api/v1/cases/{owner(slug)}/{slug}/revisions",
                     f"/api/v1/cases/{owner(slug)}/{slug}/revisions/1"):
            response = await client.get(path, headers=headers)
            if slug in READS[user]:
                assert response.status_code == 200, (user, path)
            else:
                assert response.status_code == 404, (user, path)
                # Same answer as for a case that does not exist: nothing about the hidden one.
                assert response.json() == {"error": "case not found", "status": 404, "code": "not_found"}
                assert "Secret" not in response.text


@pytest.mark.parametrize("user", API_USERS)
async def test_filters_do_not_reveal_hidden_cases(shared_world, client, user):
    for params in ({"tenant": "beta"}, {"visibility": "private"}, {"country": "CO"}, {"sdg": "16"},
                   {"sector": "mining"}, {"deleted": "true"}):
        response = await client.get("/api/v1/cases", params=params, headers=shared_world.auth(user))
        assert response.status_code == 200
        assert {c["slug"] for c in response.json()["items"]} <= READS[user], params


