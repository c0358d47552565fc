"""Tenant isolation in search: hits, facet counts, suggestions and highlights never show another tenant's
private (or foreign-network) case, nor a draft: others find only the published snapshot. The world holds
cases that could leak, in every visibility."""

from __future__ import annotations

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.search.interface import SearchQuery
from casebook.services import cases, publishing
from casebook.services import search as service
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case
from tests.isolation import API_USERS, READS
from tests.search_fixtures import BACKENDS, make_backend, set_backend, use


@pytest.fixture(params=BACKENDS)
async def engine(request, world, tmp_path):
    backend = make_backend(request.param, tmp_path)
    # Beta's private case carries a unique word and a unique country: the bait for leaks.
    await cases.create_case(system_actor(world.tenant_ids["beta"]), "beta",
                            make_case("beta-bait", title="Zanzibarite mediation", country="NZ",
                                      summary="Zanzibarite words only beta may read."), "private")
    previous = await use(backend)
    yield world
    set_backend(previous)


async def who(world, user):
    return ANONYMOUS if user == "anonymous" else await world.actor(user)


async def test_hits_and_facets_follow_the_access_rule(engine):
    world = engine
    for user, readable in READS.items():
        expected = readable | ({"beta-bait"} if user.startswith("beta") else set())
        result = await service.search(await who(world, user), SearchQuery(per_page=100), RUNTIME.search)
        assert {h.slug for h in result.hits} == expected, user
        assert result.total == len(expected), user
        assert sum(result.facets["status"].values()) == len(expected), user
        assert ("NZ" in result.facets["country"]) == user.startswith("beta"), user


@pytest.mark.parametrize("user", ["anonymous", "alpha_admin", "gamma_editor", "net_admin"])
async def test_a_private_word_finds_nothing_elsewhere(engine, user):
    actor = await who(engine, user)
    for q in ("zanzibarite", "zanzibar", "zanzibarit ", "NZ"):
        result = await service.search(actor, SearchQuery(q=q), RUNTIME.search)
        assert (result.total, result.hits) == (0, []), q
        assert all(not counts for counts in result.facets.values()), q
    assert await service.suggest(actor, "zanzi", RUNTIME.search) == []


async def test_the_owner_finds_its_private_case_with_highlights(engine):
    result = await service.search(await engine.actor("beta_viewer"), SearchQuery(q="zanzibarite"), RUNTIME.search)
    assert [h.slug for h in result.hits] == ["beta-bait"]
    assert result.hits[0].highlights["title"] == "<mark>Zanzibarite</mark> mediation"


async def test_api_hits_follow_the_access_rule(engine, client):
    world = engine
    for user in API_USERS:
        expected = READS[user] | ({"beta-bait"} if user.startswith("beta") else set())
        response = await client.get("/api/v1/search", params={"q": "partnership mediation", "per_page": 100},
                                    headers=world.auth(user))
        assert response.status_code == 200, user
        body = response.json()
        assert {h["slug"] for h in body["hits"]} == expected, user


async def slugs_for(actor, q: str) -> list[str]:
    result = await service.search(actor, SearchQuery(q=q, per_page=100), RUNTIME.search)
    assert result.total == len(result.hits) == sum(result.facets["kind"].values()), q
    return [h.slug for h in result.hits]


@pytest.mark.parametrize(("slug", "outsider"), [("alpha-public", "beta_viewer"), ("alpha-network", "gamma_editor")])
async def test_a_draft_edit_keeps_the_published_words_for_others_until_withdrawn(engine, slug, outsider):
    world = engine
    owner, other = await world.actor("alpha_viewer"), await who(world, outsider)
    published = await cases.update_case(system_actor(world.tenant_ids["alpha"]), "alpha", slug,  # publishes at once
                                        make_case(slug, summary="Wombatry fieldwork with the council."), 1)
    editor = await world.actor("alpha_editor")
    await cases.update_case(editor, "alpha", slug, make_case(slug, summary="Quokkanomics replaced the plan."),
                            published["version"])
    await service.sync_pending(RUNTIME.search)
    # The other tenant finds the published snapshot's words, highlighted, and not the draft's.
    assert await slugs_for(other, "wombatry") == [slug]
    result = await service.search(other, SearchQuery(q="wombatry"), RUNTIME.search)
    assert result.hits[0].highlights["summary"] == "<mark>Wombatry</mark> fieldwork with the council."
    assert await slugs_for(other, "quokkanomics") == []
    assert await service.suggest(other, "quokka", RUNTIME.search) == []
    # The owner finds its working copy once, and not the words it replaced.
    assert await slugs_for(owner, "quokkanomics") == [slug]
    assert await slugs_for(owner, "wombatry") == []
    everything = await slugs_for(owner, "")
    assert everything.count(slug) == 1 and len(everything) == len(set(everything))
    # Withdrawn: hidden from the other tenant once the outbox is applied; the owner keeps its draft.
    await publishing.transition(await world.actor("alpha_admin"), publishing.CASES, "alpha", slug, "withdraw")
    await service.sync_pending(RUNTIME.search)
    assert await slugs_for(other, "wombatry") == []
    assert slug not in await slugs_for(other, "")
    assert await service.suggest(other, "wombat", RUNTIME.search) == []
    assert await slugs_for(owner, "quokkanomics") == [slug]


async def test_the_owner_finds_its_sensitive_words_once_and_others_never(engine):
    world = engine
    partners = [{"name": "Elder Tavimoro", "type": "community", "roles": ["community-organisation"],
                 "sensitive": True}]
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", make_case(
        "guarded", locality="Quorvin riverside", partners=partners, sensitive=["locality"]), "network")
    await service.sync_pending(RUNTIME.search)
    owner = await world.actor("alpha_viewer")
    for q in ("quorvin", "tavimoro"):
        assert await slugs_for(owner, q) == ["guarded"], q
        assert await slugs_for(await world.actor("gamma_editor"), q) == [], q
    assert await slugs_for(await world.actor("gamma_editor"), "guarded") == ["guarded"]  # the redacted snapshot
    assert (await slugs_for(owner, "")).count("guarded") == 1
