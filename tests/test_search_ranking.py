"""The ranking rules both backends follow, in Meilisearch's order: words, typo, proximity, attribute, sort,
exactness, then the quality tie-break evidence_rank:desc. Each test pits two rules against each other with
records whose BM25 would order them the other way."""

from __future__ import annotations

import json

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.search.interface import ATTRIBUTE_ORDER, RANKING_RULES, SearchQuery
from casebook.services import cases, tenants
from casebook.services import search as service
from casebook.services.actors import system_actor
from casebook.settings import SEARCH_CONFIG_DIR
from tests.conftest import RUNTIME, wipe
from tests.factory import make_case
from tests.search_fixtures import BACKENDS, make_backend, set_backend, use

FILLER = "the committee met the council and agreed on a plan for the season ahead with care"


def plain(slug: str, title: str, summary: str, evidence: str = "self-reported", **kw: object) -> dict:
    """A case whose only searchable words are the ones given (no default sectors, challenges or lessons)."""
    return make_case(slug, title=title, summary=summary, evidence_level=evidence, sectors=[], scenarios=[],
                     challenges=[], lessons=[], population_groups=[], locality=None, human_security=[],
                     sdgs=[], partners=kw.pop("partners", [{"name": "Village board", "type": "community"}]), **kw)


RANKED = [
    # words: both concepts (mistrust, or a synonym, and mining) before a record strong on "mining" alone
    plain("mining-only", "Mining mining guild", "Mining for mining families: mining jobs.", "documented"),
    plain("both-words", "Village water committee", "Residents' mistrust of the mining company delayed it."),
    plain("synonym-distrust", "Farm roads", "Distrust between the mining firm and farmers grew."),
    plain("synonym-lack", "School meals", "A lack of trust around the mining site slowed work."),
    # among records matching as many words, the earlier word of the query counts more
    plain("lantern-only", "Street lights", "A lantern for each stall."),
    plain("kayak-only", "Kayak kayak club", "Kayak trips on kayak days.", "documented"),
    # typo before attribute: the exact word in partners beats a one-typo word in the title
    plain("typo-title", "Cooperativ cooperativ store", "Cooperativ members sell grain.", "documented"),
    plain("exact-partner", "Grain store", "Members sell grain.",
          partners=[{"name": "Cooperative union", "type": "civil-society"}]),
    # proximity before attribute order within a field and before BM25
    plain("near", "Riverside day", "A river cleanup day for the town."),
    plain("far", "Riverside week", f"The river river walk, {FILLER}, then cleanup cleanup.", "documented"),
    # attribute before evidence: a title match beats a partners-only match of a better-evidenced record
    plain("orchard-title", "Orchard renewal", "Growers replant trees."),
    plain("orchard-partner", "Tree renewal", "Growers replant trees.", "independently-evaluated",
          partners=[{"name": "Orchard orchard orchard network", "type": "civil-society"}]),
    # evidence_rank: equal in every other rule and in BM25
    plain("bees-self", "Beekeeping groups", "Beekeeping for honey."),
    plain("bees-documented", "Beekeeping groups", "Beekeeping for honey.", "documented"),
    plain("bees-evaluated", "Beekeeping groups", "Beekeeping for honey.", "independently-evaluated"),
]


@pytest.fixture(scope="module", params=BACKENDS)
async def ranked(request, migrated, tmp_path_factory):
    backend = make_backend(request.param, tmp_path_factory.mktemp(f"ranking-{request.param}"))
    await wipe()
    owner = system_actor((await tenants.create_tenant("rank", "Ranking"))["id"])
    for case in RANKED:
        await cases.create_case(owner, "rank", case, "public")
    previous = await use(backend)
    yield backend
    set_backend(previous)


async def find(q: str) -> list[str]:
    return [h.slug for h in (await service.search(ANONYMOUS, SearchQuery(q=q), RUNTIME.search)).hits]


def test_both_backends_declare_the_same_rules():
    settings = json.loads((SEARCH_CONFIG_DIR / "meilisearch.json").read_text())["settings"]
    assert tuple(settings["rankingRules"]) == RANKING_RULES
    assert tuple(settings["searchableAttributes"]) == ATTRIBUTE_ORDER


async def test_records_matching_more_words_come_first_synonyms_included(ranked):
    slugs = await find("mistrust mining ")
    assert set(slugs[:3]) == {"both-words", "synonym-distrust", "synonym-lack"}
    assert slugs[3:] in ([], ["mining-only"])  # Meilisearch leaves out a record without the first word


async def test_the_first_words_of_the_query_count_most(ranked):
    slugs = await find("lantern kayak ")
    assert slugs[0] == "lantern-only" and slugs[1:] in ([], ["kayak-only"])


async def test_fewer_typos_outrank_a_better_attribute(ranked):
    assert (await find("cooperative "))[:2] == ["exact-partner", "typo-title"]


async def test_words_close_together_come_first(ranked):
    assert await find("river cleanup ") == ["near", "far"]


async def test_a_better_attribute_outranks_better_evidence(ranked):
    assert await find("orchard ") == ["orchard-title", "orchard-partner"]


async def test_better_evidence_breaks_ties(ranked):
    assert await find("beekeeping ") == ["bees-evaluated", "bees-documented", "bees-self"]


async def test_scores_follow_the_order(ranked):
    result = await service.search(ANONYMOUS, SearchQuery(q="beekeeping "), RUNTIME.search)
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3
