"""The contract both search backends pass: ranking, typos, prefixes, synonyms, facets, filters, highlights."""

from __future__ import annotations

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.domain.errors import InvalidInput
from casebook.search.interface import SearchQuery
from casebook.services import search as service
from tests.conftest import RUNTIME, wipe
from tests.search_fixtures import BACKENDS, make_backend, seed_library, set_backend, use


@pytest.fixture(scope="module", params=BACKENDS)
async def engine(request, migrated, tmp_path_factory):
    backend = make_backend(request.param, tmp_path_factory.mktemp(f"contract-{request.param}"))
    await wipe()
    await seed_library()
    previous = await use(backend)
    yield backend
    set_backend(previous)


async def find(q: str = "", **kw) -> list[str]:
    result = await service.search(ANONYMOUS, SearchQuery(q=q, **kw), RUNTIME.search)
    return [h.slug for h in result.hits]


async def test_field_boosts_rank_title_matches_first(engine):
    assert (await find("hospitality"))[0] == "youth-hospitality-kh"
    assert (await find("mistrust mining concession"))[0] == "mining-liberia"


@pytest.mark.parametrize(("q", "expected"), [
    ("hospitalty ", ["youth-hospitality-kh"]),      # 1 edit in a 10-letter word
    ("concesion ", ["mining-liberia"]),             # 1 edit
    ("hosspitalty ", ["youth-hospitality-kh"]),     # 2 edits in an 11-letter word
    ("trxxning ", []),                              # 2 edits in an 8-letter word: too many
    ("yuth ", []),                                  # 4 letters: no typo allowed
])
async def test_typo_tolerance_depends_on_word_length(engine, q, expected):
    assert await find(q) == expected


async def test_the_last_word_is_a_prefix_while_typing(engine):
    assert await find("hospi") == ["youth-hospitality-kh"]
    assert await find("hospi ") == []


@pytest.mark.parametrize(("q", "slug"), [
    ("multinational ", "mining-liberia"), ("TNC", "mining-liberia"), ("LR", "mining-liberia"),
    ("Bosnia", "zenica-ba"), ("sdg 4", "youth-hospitality-kh"), ("quality education", "youth-hospitality-kh"),
    ("Philippines", "wash-ph"),
])
async def test_shared_synonyms(engine, q, slug):
    assert slug in await find(q)


async def test_facets_count_every_value(engine):
    result = await service.search(ANONYMOUS, SearchQuery(), RUNTIME.search)
    assert result.total == 4
    assert result.facets["country"] == {"BA": 1, "KH": 1, "LR": 1, "PH": 1}
    assert result.facets["sdg"] == {"16": 2, "3": 1, "4": 1, "6": 1, "8": 1}
    assert result.facets["region"] == {"Asia": 2, "South-eastern Asia": 2, "Africa": 1, "Europe": 1,
                                       "Southern Europe": 1, "Sub-Saharan Africa": 1}
    assert result.facets["status"] == {"proposed": 2, "active": 1, "completed": 1}
    assert result.facets["evidence_level"] == {"documented": 2, "independently-evaluated": 1, "self-reported": 1}
    assert result.facets["human_security"] == {"economic": 2, "health": 2, "environmental": 1}
    assert result.facets["scaling"] == {"physical": 1, "social": 1}
    assert result.facets["scenario"] == {"company-community-relations": 3, "service-delivery": 1}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"country": ["kh"]}, {"youth-hospitality-kh"}),
    ({"sdg": ["4", "16"]}, {"youth-hospitality-kh", "mining-liberia", "zenica-ba"}),
    ({"sdg": ["16"], "country": ["KH"]}, set()),
    ({"region": ["Asia"]}, {"youth-hospitality-kh", "wash-ph"}),
    ({"region": ["sub-saharan africa"]}, {"mining-liberia"}),
    ({"status": ["proposed"], "human_security": ["health"]}, {"zenica-ba", "wash-ph"}),
    ({"evidence_level": ["independently-evaluated"]}, {"youth-hospitality-kh"}),
    ({"scaling": ["physical"]}, {"mining-liberia"}),
    ({"sector": ["steel"]}, {"zenica-ba"}),
    ({"scenario": ["service-delivery"]}, {"wash-ph"}),
])
async def test_filters_on_every_facet(engine, filters, expected):
    result = await service.search(ANONYMOUS, SearchQuery(filters=filters), RUNTIME.search)
    assert {h.slug for h in result.hits} == expected
    assert result.total == len(expected)


async def test_highlights_mark_words_and_escape_html(engine):
    result = await service.search(ANONYMOUS, SearchQuery(q="hospitality"), RUNTIME.search)
    assert result.hits[0].highlights["title"] == "<mark>Hospitality</mark> training for youth in Siem Reap"
    assert result.hits[0].highlights["summary"] == (
        "Young adults from poor families get <mark>hospitality</mark> training and hotel internships.")
    result = await service.search(ANONYMOUS, SearchQuery(q="sanitation"), RUNTIME.search)
    assert result.hits[0].highlights["title"] == (
        "Water &amp; <mark>sanitation</mark> &lt;script&gt;alert(1)&lt;/script&gt; pilot")


async def test_sort_by_date_and_paging(engine):
    assert await find(sort="date") == ["youth-hospitality-kh", "mining-liberia", "zenica-ba", "wash-ph"]
    assert await find(sort="date", page=2, per_page=3) == ["wash-ph"]


async def test_sort_by_evidence_puts_the_best_documented_first_and_pages_across_levels(engine):
    # independently evaluated, then documented (newest first without words), then self-reported
    assert await find(sort="evidence") == ["youth-hospitality-kh", "mining-liberia", "zenica-ba", "wash-ph"]
    assert await find(sort="evidence", per_page=2) == ["youth-hospitality-kh", "mining-liberia"]
    assert await find(sort="evidence", page=2, per_page=2) == ["zenica-ba", "wash-ph"]
    assert await find(sort="evidence", page=2, per_page=3) == ["wash-ph"]
    assert await find(sort="evidence", filters={"evidence_level": ["documented", "self-reported"]}) == [
        "mining-liberia", "zenica-ba", "wash-ph"]
    assert await find("health", sort="evidence") == ["zenica-ba", "wash-ph"]  # documented before self-reported
    # with words, evaluated and documented records share the first tier, by relevance
    assert (await find("mistrust mining", sort="evidence"))[:1] == ["mining-liberia"]
    assert (await find("mistrust mining", sort="evidence"))[-1] == "wash-ph"
    result = await service.search(ANONYMOUS, SearchQuery(sort="evidence", per_page=3), RUNTIME.search)
    assert result.total == 4 and result.facets["evidence_level"] == {
        "documented": 2, "independently-evaluated": 1, "self-reported": 1}
    assert [(h.evidence_level, h.status) for h in result.hits] == [
        ("independently-evaluated", "completed"), ("documented", "active"), ("documented", "proposed")]


@pytest.mark.parametrize("q", ['"', "AND", "title:foo", "(a", "[1 TO 2]", "*", "mining~2", "x^3", "-", "\\",
                               "a:b:c", "{}", "'", "+-!&&||", "NOT", "%", "<>", "中文", "16.7", "m" * 60])
async def test_query_syntax_characters_are_plain_text(engine, q):
    result = await service.search(ANONYMOUS, SearchQuery(q=q), RUNTIME.search)
    assert result.total >= 0


async def test_bad_input_names_the_problem(engine):
    with pytest.raises(InvalidInput) as caught:
        await service.search(ANONYMOUS, SearchQuery(q="x" * 1001, filters={"colour": ["red"], "sdg": ["18"]},
                                                    per_page=0, sort="popular"), RUNTIME.search)
    assert {p.field for p in caught.value.problems} == {"q", "colour", "sdg", "per_page", "sort"}
    assert (await service.search(ANONYMOUS, SearchQuery(q="mining " * 142), RUNTIME.search)).total >= 1
