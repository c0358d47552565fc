"""Matching through the service and the API: access, leaks through statistics, freshness, bad input."""

from __future__ import annotations

import pytest

from casebook.domain.errors import InvalidInput, NotFound
from casebook.matching.weights import resolve_weights
from casebook.services import cases, publishing
from casebook.services import matching as service
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case

EITHER = "send either a case slug or a target context, not both"
CONTEXT = {"title": "Mistrust between a mining company and the community council", "country": "PE",
           "context": {"trust": "low"}, "challenges": ["mistrust"]}


def names(result: dict) -> list[str]:
    return [f"{r['tenant']}/{r['slug']}" for r in result["results"]]


async def test_only_readable_cases_are_candidates(world):
    beta = await world.actor("beta_viewer")
    assert sorted(names(await service.match(beta, context=CONTEXT, top=50, index=RUNTIME.matcher))) == [
        "alpha/alpha-public", "beta/beta-network", "beta/beta-private", "beta/beta-public"]
    alpha = await world.actor("alpha_viewer")
    assert sorted(names(await service.match(alpha, context=CONTEXT, top=50, index=RUNTIME.matcher))) == [
        "alpha/alpha-network", "alpha/alpha-private", "alpha/alpha-public", "beta/beta-public",
        "gamma/gamma-network"]
    anonymous = await world.actor("outsider")
    assert sorted(names(await service.match(anonymous, context=CONTEXT, index=RUNTIME.matcher))) == [
        "alpha/alpha-public", "beta/beta-public"]
    with pytest.raises(NotFound):
        await service.match(alpha, case="beta/beta-private", index=RUNTIME.matcher)
    with pytest.raises(NotFound):
        await service.match(alpha, case="beta-private", index=RUNTIME.matcher)


async def test_private_cases_never_shape_another_tenants_statistics(world):
    """A beta-private case full of rare words must not change alpha's scores, terms or explanations."""
    alpha = await world.actor("alpha_viewer")
    query = dict(CONTEXT, summary="zorblax quendle mining company zorblax")
    before = await service.match(alpha, context=query, top=50, index=RUNTIME.matcher)
    leaky = make_case("beta-leak", title="Zorblax quendle zorblax", summary="zorblax quendle " * 30,
                      challenges=["zorblax"], context={"trust": "low"})
    await cases.create_case(system_actor(world.tenant_ids["beta"]), "beta", leaky, "private")
    after = await service.match(alpha, context=query, top=50, index=RUNTIME.matcher)
    assert after == before
    assert all("zorblax" not in str(r) for r in after["results"])
    beta = await world.actor("beta_viewer")
    own = await service.match(beta, context=query, top=1, index=RUNTIME.matcher)
    assert names(own) == ["beta/beta-leak"]
    assert own["results"][0]["agreements"][-1]["values"][:2] == ["zorblax", "quendle"]


async def test_created_edited_and_deleted_cases_are_matched_at_once(world):
    alpha = await world.actor("alpha_editor")
    owner = system_actor(world.tenant_ids["alpha"])
    query = {"title": "Seaweed farmers and a cosmetics exporter", "country": "TZ", "sectors": ["seaweed"]}
    assert "alpha/fresh" not in names(await service.match(alpha, context=query, index=RUNTIME.matcher))
    created = await cases.create_case(owner, "alpha", make_case(
        "fresh", title="Seaweed farming for a cosmetics exporter", country="TZ", sectors=["seaweed"]), "private")
    first = await service.match(alpha, context=query, top=1, index=RUNTIME.matcher)
    assert names(first) == ["alpha/fresh"]
    assert first["results"][0]["facets"]["sectors"] == 0.2 and first["results"][0]["facets"]["geography"] == 0.2
    await cases.update_case(owner, "alpha", "fresh", make_case("fresh", title="Cocoa buyers", country="GH"),
                            created["version"])
    edited = await service.match(alpha, context=query, top=50, index=RUNTIME.matcher)
    fresh = next(r for r in edited["results"] if r["slug"] == "fresh")
    assert fresh["facets"]["sectors"] == 0.0 and fresh["country"] == "GH"
    await cases.delete_case(owner, "alpha", "fresh")
    assert "alpha/fresh" not in names(await service.match(alpha, context=query, top=50, index=RUNTIME.matcher))


async def test_withdrawn_cases_leave_other_tenants_results(world):
    """Asking for `private` keeps the last published snapshot up (publishing model); withdrawing takes it down."""
    beta = await world.actor("beta_viewer")
    assert "alpha/alpha-public" in names(await service.match(beta, context=CONTEXT, top=50, index=RUNTIME.matcher))
    admin = await world.actor("alpha_admin")
    current = await cases.get_case(admin, "alpha", "alpha-public")
    await cases.update_case(admin, "alpha", "alpha-public", current["case"], current["version"], "private")
    assert "alpha/alpha-public" in names(await service.match(beta, context=CONTEXT, top=50, index=RUNTIME.matcher))
    await publishing.transition(admin, publishing.CASES, "alpha", "alpha-public", "withdraw")
    assert "alpha/alpha-public" not in names(await service.match(beta, context=CONTEXT, top=50, index=RUNTIME.matcher))
    assert "alpha/alpha-public" in names(await service.match(admin, context=CONTEXT, top=50, index=RUNTIME.matcher))


async def test_case_reference_bare_or_qualified_and_ambiguity(world):
    alpha = await world.actor("alpha_viewer")
    by_slug = await service.match(alpha, case="alpha-private", top=50, index=RUNTIME.matcher)
    assert "alpha/alpha-private" not in names(by_slug)  # never matched against itself
    assert names(by_slug) == names(await service.match(alpha, case="alpha/alpha-private", top=50,
                                                       index=RUNTIME.matcher))
    for tenant in ("alpha", "beta"):
        await cases.create_case(system_actor(world.tenant_ids[tenant]), tenant, make_case("twin"), "public")
    await cases.create_case(system_actor(world.tenant_ids["beta"]), "beta", make_case("hidden-twin"), "private")
    with pytest.raises(InvalidInput) as exc:
        await service.match(alpha, case="twin", index=RUNTIME.matcher)
    assert str(exc.value) == ("case: more than one case you may read has this slug; use one of alpha/twin, "
                              "beta/twin")
    with pytest.raises(NotFound):
        await service.match(alpha, case="hidden-twin", index=RUNTIME.matcher)


async def test_api_match_and_bad_input(world, client):
    headers = world.auth("alpha_viewer")
    ok = await client.post("/api/v1/match", json={"context": CONTEXT, "top": 500}, headers=headers)
    assert ok.status_code == 200
    body = ok.json()
    assert (body["top"], body["capped"], body["note"]) == (50, True, "top is capped at 50; 500 was asked")
    assert set(body["results"][0]) == {"tenant", "slug", "title", "country", "score", "facets", "agreements",
                                       "differences", "explanation"}
    bad = {
        "unknown body key": ({"context": CONTEXT, "colour": 1},
                             [("colour", "unknown key; use case, context, weights, top")]),
        "both": ({"case": "x", "context": CONTEXT}, [("case", EITHER)]),
        "neither": ({}, [("case", EITHER)]),
        "unknown context key": ({"context": dict(CONTEXT, colour="red")}, [("context.colour", "unknown key")]),
        "bad value": ({"context": dict(CONTEXT, context={"trust": "none"})},
                      [("context.context.trust", "'none' is not one of: low, medium, high")]),
        "unknown country": ({"context": dict(CONTEXT, country="ZZ")},
                            [("context.country", "unknown country code 'ZZ' (ISO 3166-1 alpha-2 expected)")]),
        "empty": ({"context": {}}, [("context", "'title' is required"), ("context", "'country' is required")]),
        "negative weight": ({"context": CONTEXT, "weights": {"text": -1}}, [("weights.text", "must not be negative")]),
        "all zero": ({"context": CONTEXT, "weights": dict.fromkeys(resolve_weights(), 0)},
                     [("weights", "at least one weight must be above zero")]),
        "bad top": ({"context": CONTEXT, "top": 0},
                    [("top", "must be a whole number from 1 (at most 50 are returned)")]),
    }
    for name, (payload, expected) in bad.items():
        response = await client.post("/api/v1/match", json=payload, headers=headers)
        assert response.status_code == 400, name
        assert [(p.get("field"), p["message"]) for p in response.json()["problems"]] == expected, name
    unknown_facet = await client.post("/api/v1/match", json={"context": CONTEXT, "weights": {"colour": 1}},
                                      headers=headers)
    assert unknown_facet.json()["problems"][0]["field"] == "weights.colour"
    hidden = await client.post("/api/v1/match", json={"case": "beta/beta-private"}, headers=headers)
    assert (hidden.status_code, hidden.json()) == (404, {"error": "case not found", "status": 404, "code": "not_found"})
