"""Lessons learned in the search index, on both backends: found by the words of their Markdown body, told
apart from cases (`kind` facet, filter, url), and isolated like cases: others find only the published
snapshot, never a private lesson."""

from __future__ import annotations

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.search.interface import SearchQuery
from casebook.services import cases, lessons, publishing
from casebook.services import search as service
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson
from tests.search_fixtures import BACKENDS, make_backend, set_backend, use

BODY = ("Brickmakers need **respirators** before the kiln season.\n\n"
        "- ask the [cooperative](https://example.org/zymurgy)\n- `ventilate` the sheds")


@pytest.fixture(params=BACKENDS)
async def engine(request, world, tmp_path):
    backend = make_backend(request.param, tmp_path)
    alpha = system_actor(world.tenant_ids["alpha"])  # publishes network/public records at once
    await lessons.create_lesson(alpha, "alpha", make_lesson(
        "kiln-safety", title="Kiln safety comes first", body=BODY, tags=["occupational health"],
        dimensions=["social", "physical"]), "public")
    await lessons.create_lesson(alpha, "alpha", make_lesson("kiln-network", title="Kiln rota for the network",
                                                            body="Shared rota across sites."), "network")
    await cases.create_case(alpha, "alpha", make_case("kiln-case", title="Kiln workers partnership"), "public")
    # Beta's private lesson carries a unique word: the bait for leaks.
    await lessons.create_lesson(system_actor(world.tenant_ids["beta"]), "beta", make_lesson(
        "beta-lesson", title="Zanzibarite lesson", body="Zanzibarite notes only beta may read."), "private")
    previous = await use(backend)
    yield world
    set_backend(previous)


async def search(actor, q: str = "", **kw):
    return await service.search(actor, SearchQuery(q=q, per_page=100, **kw), RUNTIME.search)


async def test_a_lesson_is_found_by_a_word_of_its_body(engine):
    result = await search(ANONYMOUS, "respirators")
    assert [(h.kind, h.tenant, h.slug, h.url) for h in result.hits] == [
        ("lesson", "alpha", "kiln-safety", "/lessons/alpha/kiln-safety")]
    hit = result.hits[0]
    assert hit.highlights["summary"].startswith("Brickmakers need <mark>respirators</mark> before the kiln season.")
    assert "**" not in hit.summary and "https://" not in hit.summary  # plain text of the Markdown
    assert [h.slug for h in (await search(ANONYMOUS, "ventilate")).hits] == ["kiln-safety"]
    assert (await search(ANONYMOUS, "zymurgy")).total == 0  # a link target is not text
    assert [h.slug for h in (await search(ANONYMOUS, "occupational")).hits] == ["kiln-safety"]  # tags


async def test_kind_is_a_facet_and_a_filter(engine):
    result = await search(ANONYMOUS, "kiln")
    assert {(h.kind, h.slug) for h in result.hits} == {("lesson", "kiln-safety"), ("case", "kiln-case")}
    assert result.facets["kind"] == {"case": 1, "lesson": 1}
    only = await search(ANONYMOUS, "kiln", filters={"kind": ["lesson"]})
    assert [h.slug for h in only.hits] == ["kiln-safety"] and only.facets["kind"] == {"lesson": 1}
    assert [h.url for h in (await search(ANONYMOUS, "kiln", filters={"kind": ["case"]})).hits] == [
        "/cases/alpha/kiln-case"]
    scaled = await search(ANONYMOUS, filters={"kind": ["lesson"], "scaling": ["physical"]})
    assert [h.slug for h in scaled.hits] == ["kiln-safety"]


async def test_a_private_lesson_is_found_only_by_its_owner(engine):
    world = engine
    for user in ("anonymous", "alpha_admin", "gamma_editor", "net_admin"):
        actor = ANONYMOUS if user == "anonymous" else await world.actor(user)
        for q in ("zanzibarite", "zanzibar", "zanzibarit "):
            result = await search(actor, q)
            assert (result.total, result.hits) == (0, []), (user, q)
            assert all(not counts for counts in result.facets.values()), (user, q)
        assert await service.suggest(actor, "zanzi", RUNTIME.search) == [], user
        assert "beta-lesson" not in {h.slug for h in (await search(actor, filters={"kind": ["lesson"]})).hits}
    result = await search(await world.actor("beta_viewer"), "zanzibarite")
    assert [(h.kind, h.slug) for h in result.hits] == [("lesson", "beta-lesson")]
    assert result.hits[0].highlights["title"] == "<mark>Zanzibarite</mark> lesson"


async def test_a_network_lesson_reaches_the_network_only(engine):
    world = engine
    assert [h.slug for h in (await search(await world.actor("gamma_editor"), "rota")).hits] == ["kiln-network"]
    assert (await search(await world.actor("beta_viewer"), "rota")).total == 0
    assert (await search(ANONYMOUS, "rota")).total == 0


async def test_a_draft_edit_of_a_published_lesson_and_its_withdrawal(engine):
    world = engine
    owner, other = await world.actor("alpha_viewer"), await world.actor("beta_viewer")
    await lessons.update_lesson(await world.actor("alpha_editor"), "alpha", "kiln-safety", make_lesson(
        "kiln-safety", title="Kiln safety comes first", body="Quokkanomics instead of masks."), 1)
    await service.sync_pending(RUNTIME.search)
    assert [h.slug for h in (await search(other, "respirators")).hits] == ["kiln-safety"]
    assert (await search(other, "quokkanomics")).total == 0
    assert [h.slug for h in (await search(owner, "quokkanomics")).hits] == ["kiln-safety"]
    assert (await search(owner, "respirators")).total == 0
    mine = [h.slug for h in (await search(owner, "kiln", filters={"kind": ["lesson"]})).hits]
    assert sorted(mine) == ["kiln-network", "kiln-safety"]  # each once: the snapshot is not the owner's hit
    await publishing.transition(await world.actor("alpha_admin"), publishing.LESSONS, "alpha", "kiln-safety",
                                "withdraw")
    await service.sync_pending(RUNTIME.search)
    assert (await search(other, "respirators")).total == 0
    assert (await search(other, "kiln", filters={"kind": ["lesson"]})).total == 0
    assert [h.slug for h in (await search(owner, "quokkanomics")).hits] == ["kiln-safety"]
