"""Sensitive keys: identifying ones are refused, and every reader copes with any key a snapshot leaves out.

A published public case with sensitive keys is read by anonymous callers and other organisations on every
path that lists or shows cases (issue 11, High 1): each answers 200 and none carries a hidden value.
"""

from __future__ import annotations

import json

import pytest

from casebook.db.tables import CaseRecord
from casebook.domain.casefile import check_case, sensitive_keys
from casebook.domain.redaction import NEVER_SENSITIVE
from casebook.services import cases, search
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case
from tests.test_web_plans import signed_in

SECRET = {"locality": "Hamlet-Quorvin riverside", "summary": "Quorvin summary that names the elders",
          "lesson": "Quorvin lesson kept inside", "source": "Quorvin confidential memo"}
# Every key a case may hide, filled with something that must not leave the owner.
HIDDEN_KEYS = ["locality", "summary", "lessons", "sources", "partners", "context", "sectors", "period",
               "scenarios", "sdgs", "human_security", "evidence_level", "population_groups", "challenges"]


def guarded_case(slug: str) -> dict:
    return make_case(slug, title="Open title of the guarded case", locality=SECRET["locality"],
                     summary=SECRET["summary"], lessons=[SECRET["lesson"]],
                     sources=[{"title": SECRET["source"], "locator": "p. 1"}], sensitive=HIDDEN_KEYS)


def test_identifying_keys_are_refused_and_the_others_allowed():
    assert set(NEVER_SENSITIVE) == {"slug", "title", "country", "status", "sensitive"}
    for key in NEVER_SENSITIVE:
        problems = check_case(make_case("x-case", sensitive=[key, "locality"]))
        assert [(p.field, p.message) for p in problems] == [
            ("sensitive[0]", f"{key!r} identifies the case and cannot be sensitive")]
    problems = check_case(make_case("x-case", sensitive=["nonsense"]))
    assert [(p.field, p.message) for p in problems] == [("sensitive[0]", "'nonsense' is not a key of a case")]
    assert check_case(make_case("x-case", sensitive=sorted(sensitive_keys()))) == []


async def test_api_refuses_an_identifying_sensitive_key_and_writes_nothing(world, client):
    body = {"tenant": "alpha", "visibility": "public", "case": make_case("named-secret", sensitive=["title"])}
    response = await client.post("/api/v1/cases", json=body, headers=world.auth("alpha_admin"))
    assert response.status_code == 400
    assert response.json()["problems"] == [
        {"field": "case.sensitive[0]", "message": "'title' identifies the case and cannot be sensitive",
         "code": "invalid"}]
    assert await CaseRecord.count().where(CaseRecord.slug == "named-secret") == 0


async def _publish_guarded(world) -> None:
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", guarded_case("guarded"), "public")


async def _legacy_hides_identifying_keys() -> None:
    """A snapshot stored before the rule: it hides the title, country, status and summary too."""
    row = await CaseRecord.select(CaseRecord.published_data).where(CaseRecord.slug == "guarded").first()
    data = json.loads(row["published_data"]) if isinstance(row["published_data"], str) else row["published_data"]
    data["sensitive"] = [*HIDDEN_KEYS, "title", "country", "status", "slug"]
    data["title"] = "Quorvin hidden title"
    await CaseRecord.update({CaseRecord.published_data: json.dumps(data)}).where(CaseRecord.slug == "guarded")


READ_PATHS = ["/api/v1/cases", "/api/v1/cases?tenant=alpha", "/api/v1/cases/alpha/guarded",
              "/api/v1/cases/alpha/guarded/revisions/1", "/feeds/public.atom", "/feeds/networks/net.atom",
              "/api/v1/export?format=un-registry", "/api/v1/export?format=json", "/api/v1/export?format=yaml",
              "/api/v1/export?format=csv", "/api/v1/search?q=guarded", "/match?case=alpha/guarded",
              "/match?title=Mining+town&country=CO", "/compare?cases=alpha/guarded,alpha/alpha-public",
              "/cases/alpha/guarded", "/plans/new?template=alpha/guarded", "/"]


@pytest.mark.parametrize("legacy", [False, True], ids=["valid", "legacy-identifying"])
async def test_outsiders_read_every_path_without_error_or_leak(world, client, legacy):
    await _publish_guarded(world)
    if legacy:
        await _legacy_hides_identifying_keys()
    await search.sync_pending(RUNTIME.search)
    for user in ("anonymous", "gamma_editor", "beta_viewer"):
        client.cookies.clear()
        headers = world.auth(user)
        if user != "anonymous":
            await signed_in(client, user)  # pages read the session, the API the token
        for path in READ_PATHS:
            if path.startswith("/feeds/networks") and user != "gamma_editor":
                continue  # only the network's members read its feed
            if path.startswith("/plans/new") and user == "anonymous":
                continue  # the wizard asks anonymous visitors to sign in
            response = await client.get(path, headers=headers)
            assert response.status_code == 200, (user, path, response.text[:300])
            for word in SECRET.values():
                assert word not in response.text, (user, path, word)
            assert "Quorvin" not in response.text, (user, path)
        match = await client.post("/api/v1/match", json={"context": {"title": "Mining town", "country": "CO"}},
                                  headers=headers)
        assert match.status_code == 200 and "Quorvin" not in match.text
        listed = (await client.get("/api/v1/cases?tenant=alpha", headers=headers)).json()["items"]
        guarded = next(item for item in listed if item["slug"] == "guarded")
        expected_title = "guarded" if legacy else "Open title of the guarded case"
        assert (guarded["title"], guarded.get("summary")) == (expected_title, None)


async def test_owner_still_reads_every_hidden_key(world, client):
    await _publish_guarded(world)
    case = (await client.get("/api/v1/cases/alpha/guarded", headers=world.auth("alpha_viewer"))).json()["case"]
    assert (case["locality"], case["summary"], case["lessons"]) == (SECRET["locality"], SECRET["summary"],
                                                                  [SECRET["lesson"]])
