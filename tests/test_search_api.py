"""GET /api/v1/search: hits with highlights and facet counts; bad input is a 400 naming the problem."""

from __future__ import annotations

import pytest

from tests.search_fixtures import seeded_library_fixture

library = seeded_library_fixture("api-index")


async def test_search_returns_hits_highlights_and_facets(library, client):
    response = await client.get("/api/v1/search?q=hospitality&country=KH&sdg=4,8&page=1")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 20)
    hit = body["hits"][0]
    assert (hit["kind"], hit["tenant"], hit["slug"], hit["country"]) == ("case", "lib", "youth-hospitality-kh", "KH")
    assert hit["url"] == "/cases/lib/youth-hospitality-kh"
    assert hit["highlights"]["title"] == "<mark>Hospitality</mark> training for youth in Siem Reap"
    assert body["facets"]["sdg"] == {"4": 1, "8": 1}


async def test_repeated_facets_are_alternatives(library, client):
    body = (await client.get("/api/v1/search?country=KH&country=PH&sort=date")).json()
    assert [h["slug"] for h in body["hits"]] == ["youth-hospitality-kh", "wash-ph"]


@pytest.mark.parametrize(("query", "field"), [
    ("colour=red", "colour"), ("country=XX", "country"), ("sdg=18", "sdg"), ("sdg=abc", "sdg"),
    ("status=maybe", "status"), ("kind=story", "kind"), ("region=Atlantis", "region"),
    ("sector=Not%20a%20slug!", "sector"),
    ("human_security=spiritual", "human_security"), ("per_page=0", "per_page"), ("per_page=101", "per_page"),
    ("page=abc", "page"), ("page=0", "page"), ("page=1000&per_page=100", "page"), ("sort=popular", "sort"),
    ("q=" + "x" * 1001, "q"),
])
async def test_bad_input_is_a_400_naming_the_field(library, client, query, field):
    response = await client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == [field]


@pytest.mark.parametrize("q", ['"unbalanced', "title:(x OR", "*?~^", "a" * 1000, "", "   "])
async def test_odd_queries_answer_200(library, client, q):
    response = await client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200


async def test_suggest_and_token(library, client):
    response = await client.get("/api/v1/search/suggest?q=hosp")
    assert response.json() == [{"kind": "case", "tenant": "lib", "slug": "youth-hospitality-kh",
                                "title": "Hospitality training for youth in Siem Reap",
                                "url": "/cases/lib/youth-hospitality-kh"}]
    assert (await client.get("/api/v1/search/token")).status_code == 404  # embedded backend: no direct search
