"""A new access scope reuses the public model (model_cache.py, Reuse): its first match fits nothing, a tenant's
private words never reach the shared model or another tenant's results, and a scope with many extra
cases gets a model of its own in the background while the reused one serves."""

from __future__ import annotations

import asyncio

import pytest

from casebook.matching import scope_models, service, store
from casebook.matching.index import MatcherIndex
from casebook.matching.scopes import PUBLIC
from casebook.services import cases
from casebook.services.actors import system_actor
from tests.factory import make_case

QUERY = {"title": "Quarry communities and a cement company", "country": "CO", "context": {"trust": "low"},
         "summary": "zorblax quarry relocation"}
RARE = make_case("alpha-rare", title="Zorblax quarry partnership", summary="Zorblax zorblax quarry relocation.",
                 context={"trust": "low"})


@pytest.fixture
def reuse_small_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world's public scope is tiny; treat it as large enough to be reused by every other scope."""
    for name, value in (("CHEAP_REFIT", 0), ("REUSE_SHARE", 100.0), ("REUSE_MAX", 500)):
        monkeypatch.setattr(scope_models, name, value)


def found(result: dict, ref: str) -> dict | None:
    return next((r for r in result["results"] if f"{r['tenant']}/{r['slug']}" == ref), None)


def text_terms(result: dict | None) -> list[str]:
    assert result is not None
    return next((a["values"] for a in result["agreements"] if a["facet"] == "text"), [])


async def test_a_new_scope_reuses_the_stored_public_model_without_fitting(world, reuse_small_scopes, monkeypatch):
    anonymous, alpha = await world.actor("outsider"), await world.actor("alpha_viewer")
    await service.match(anonymous, context=QUERY, index=MatcherIndex())  # fits and stores the public model

    def no_fit(*args: object) -> None:
        raise AssertionError("fitted a model for a scope that can reuse the public one")
    monkeypatch.setattr(MatcherIndex, "_fit", no_fit)
    restarted = MatcherIndex()
    result = await service.match(alpha, context=QUERY, top=50, index=restarted)
    assert sorted(f"{r['tenant']}/{r['slug']}" for r in result["results"]) == [
        "alpha/alpha-network", "alpha/alpha-private", "alpha/alpha-public", "beta/beta-public",
        "gamma/gamma-network"]
    scope = restarted.scopes[restarted.scope_key(alpha)]
    assert scope.base is restarted.scopes[PUBLIC] and scope.model is scope.base.model
    assert not restarted.refits


async def test_private_words_never_reach_the_shared_public_model(world, reuse_small_scopes):
    """A rare word only in alpha's private case: beta's scores and shared terms stay the same, and the
    public model (shared by both scopes, in memory and on disk) never learns or caches it."""
    index = MatcherIndex()
    alpha, beta = await world.actor("alpha_viewer"), await world.actor("beta_viewer")
    before = await service.match(beta, context=QUERY, top=50, index=index)
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", RARE, "private")
    own = found(await service.match(alpha, context=QUERY, top=50, index=index), "alpha/alpha-rare")
    assert own is not None and "zorblax" not in text_terms(own)  # the price: words only in it do not count
    after = await service.match(beta, context=QUERY, top=50, index=index)
    assert after == before and "zorblax" not in str(after).lower()
    public = index.scopes[PUBLIC]
    assert index.scopes[index.scope_key(alpha)].model is public.model is index.scopes[index.scope_key(beta)].model
    assert "zorblax" not in public.model.words.vocabulary_
    assert not any("zorblax" in word for word in public.model.__dict__.get("_grams", {}))
    stored = store._path(PUBLIC.name).read_bytes()
    assert b"Zorblax" not in stored and b"zorblax" not in stored


async def test_many_extra_cases_get_their_own_model_in_the_background(world, reuse_small_scopes, monkeypatch):
    index = MatcherIndex(persist=False)
    alpha, beta = await world.actor("alpha_viewer"), await world.actor("beta_viewer")
    await service.match(alpha, context=QUERY, index=index)
    monkeypatch.setattr(scope_models, "REUSE_MAX", index.scopes[index.scope_key(alpha)].slots.size)
    beta_before = await service.match(beta, context=QUERY, top=50, index=index)
    await cases.create_case(system_actor(world.tenant_ids["alpha"]), "alpha", RARE, "private")
    at_once = found(await service.match(alpha, context=QUERY, top=50, index=index), "alpha/alpha-rare")
    assert "zorblax" not in text_terms(at_once) and index.refits  # served by the public model meanwhile
    await asyncio.gather(*index.refits.values())
    refitted = found(await service.match(alpha, context=QUERY, top=50, index=index), "alpha/alpha-rare")
    assert "zorblax" in text_terms(refitted)
    scope = index.scopes[index.scope_key(alpha)]
    assert scope.base is None and scope.model is not index.scopes[PUBLIC].model and not index.refits
    assert await service.match(beta, context=QUERY, top=50, index=index) == beta_before
    assert "zorblax" not in index.scopes[PUBLIC].model.words.vocabulary_


async def test_a_reused_scope_follows_its_own_published_snapshot_and_deletions(world, reuse_small_scopes):
    """alpha edits its public case: alpha reads its working copy, others the published snapshot (a
    public row alpha's reused scope masks); a deleted private case leaves alpha's results."""
    index = MatcherIndex(persist=False)
    admin, beta = await world.actor("alpha_admin"), await world.actor("beta_viewer")
    current = await cases.get_case(admin, "alpha", "alpha-public")
    edited = dict(current["case"], title="Wombat quarry partnership")
    await cases.update_case(admin, "alpha", "alpha-public", edited, current["version"])
    mine = await service.match(admin, context=QUERY, top=50, index=index)
    assert [r["title"] for r in mine["results"] if r["slug"] == "alpha-public"] == ["Wombat quarry partnership"]
    assert index.scopes[index.scope_key(admin)].base is not None
    theirs = await service.match(beta, context=QUERY, top=50, index=index)
    assert [r["title"] for r in theirs["results"] if r["slug"] == "alpha-public"] == [
        "Secret-alpha-public partnership"]
    await cases.delete_case(system_actor(world.tenant_ids["alpha"]), "alpha", "alpha-private")
    assert found(await service.match(admin, context=QUERY, top=50, index=index), "alpha/alpha-private") is None
