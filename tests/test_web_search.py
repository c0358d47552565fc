"""The library search page (/ and its htmx partial /search/results): hits, facets with readable names,
chips, highlights, paging, bad input as messages, and no leak of another tenant's private case."""

from __future__ import annotations

import re

import pytest

from casebook.services import cases, lessons, tenants
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.lesson_fixtures import make_lesson
from tests.search_fixtures import make_backend, seeded_library_fixture, set_backend, use
from tests.test_pages import sign_in

HTMX = {"HX-Request": "true"}


library = seeded_library_fixture("page-index")


def titles(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<a class="card-link"[^>]*>.*?<h2>(.*?)</h2>', html, re.S)]


def facet(html: str, name: str) -> dict[str, tuple[str, int, bool]]:
    """value -> (label, count, checked) of one facet group's checkboxes."""
    found = re.findall(rf'<input type="checkbox" id="[^"]+" name="{name}" value="([^"]+)" (checked)?>\s*'
                       r'<label[^>]*><span class="facet-name">([^<]+)</span> <span class="facet-count"[^>]*>(\d+)<',
                       html)
    return {value: (label, int(count), bool(checked)) for value, checked, label, count in found}


def count(html: str) -> str:
    return re.search(r'<p id="result-count"[^>]*>(.*?)</p>', html, re.S).group(1).strip()


async def test_a_query_finds_the_case_with_highlighted_snippets(library, client):
    page = await client.get("/", params={"q": "mistrust mining"})
    assert page.status_code == 200
    # Any word may match (the service ranks); the case with both words comes first.
    assert titles(page.text) == ["Rebuilding trust around mining concessions",
                                 "Hospitality training for youth in Siem Reap",
                                 "Company and community dialogue in Zenica",
                                 "Water &amp; sanitation &lt;script&gt;alert(1)&lt;/script&gt; pilot"]
    assert count(page.text) == "4 cases match “mistrust mining”"
    # "trust" is a telling word of the synonym "lack of trust", so the highlighter marks it too.
    assert "<h2>Rebuilding <mark>trust</mark> around <mark>mining</mark> concessions</h2>" in page.text
    assert "overcome <mark>mistrust</mark> about" in page.text
    assert 'value="mistrust mining"' in page.text


async def test_every_facet_has_counts_and_readable_names(library, client):
    page = await client.get("/")
    assert count(page.text) == "4 cases"
    assert facet(page.text, "country") == {"BA": ("Bosnia and Herzegovina", 1, False), "KH": ("Cambodia", 1, False),
                                           "LR": ("Liberia", 1, False), "PH": ("Philippines", 1, False)}
    assert facet(page.text, "sdg")["16"] == ("SDG 16 · Peace, justice and strong institutions", 2, False)
    assert facet(page.text, "status") == {"proposed": ("Proposed", 2, False), "active": ("Active", 1, False),
                                          "completed": ("Completed", 1, False)}
    for legend in ("Kind", "Country", "Region", "Sector", "Sustainable Development Goal", "Scenario", "Human security",
                   "Scaling dimension", "Status", "Evidence level"):
        assert f"<legend>{legend}</legend>" in page.text
    assert facet(page.text, "region")["Sub-Saharan Africa"] == ("Sub-Saharan Africa", 1, False)
    assert facet(page.text, "evidence_level")["independently-evaluated"] == ("Independently evaluated", 1, False)


async def test_a_ticked_facet_filters_and_shows_a_removable_chip(library, client):
    page = await client.get("/?sdg=16&q=trust")
    assert sorted(titles(page.text)) == ["Company and community dialogue in Zenica",
                                         "Rebuilding trust around mining concessions"]
    assert facet(page.text, "sdg")["16"] == ("SDG 16 · Peace, justice and strong institutions", 2, True)
    assert ('<a class="chip-x" href="/?q=trust" hx-get="/search/results?q=trust" hx-target="#search-results"\n'
            '           aria-label="Remove filter Sustainable Development Goal: SDG 16 · Peace, justice and strong '
            'institutions">') in page.text
    both = await client.get("/?country=LR&country=KH&sort=date")
    assert titles(both.text) == ["Hospitality training for youth in Siem Reap",
                                 "Rebuilding trust around mining concessions"]
    assert 'href="/?country=KH&amp;sort=date"' in both.text  # removing Liberia keeps the rest of the state


async def test_the_partial_pushes_the_page_url_and_plain_requests_are_redirected(library, client):
    part = await client.get("/search/results?q=hosp&status=completed", headers=HTMX)
    assert part.status_code == 200 and "<html" not in part.text
    assert part.headers["hx-push-url"] == "/?q=hosp&status=completed"
    assert titles(part.text) == ["Hospitality training for youth in Siem Reap"]
    assert '<span hx-swap-oob="innerHTML:#result-count">1 case matches “hosp”' in part.text
    plain = await client.get("/search/results?q=hosp", follow_redirects=False)
    assert (plain.status_code, plain.headers["location"]) == (302, "/?q=hosp")


async def test_nothing_found_is_an_empty_state(library, client):
    page = await client.get("/?q=xylophone&status=active")
    assert titles(page.text) == [] and count(page.text) == "0 cases match “xylophone”"
    assert "<h2>No cases found</h2>" in page.text and "Nothing matches “xylophone” with these filters." in page.text
    assert facet(page.text, "status") == {"active": ("Active", 0, True)}


async def test_bad_input_is_a_message_on_the_page_and_the_rest_still_searches(library, client):
    page = await client.get("/?country=XX&sdg=99&page=abc&sort=popular&q=hospitality")
    assert page.status_code == 200
    alert = re.search(r'<div class="alert" role="alert">(.*?)</div>', page.text, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", alert) == [
        "page: &#39;abc&#39; is not a page number; showing page 1",
        "country: &#39;XX&#39; is not an ISO 3166-1 alpha-2 country code",
        "sdg: &#39;99&#39; is not a goal number from 1 to 17",
        "sort: must be one of relevance, date, evidence"]
    assert titles(page.text) == ["Hospitality training for youth in Siem Reap"]
    for query in ("?page=999999", "?q=" + "x" * 1200, "?colour=red", "?page=-1&per_page=0"):
        assert (await client.get("/" + query)).status_code == 200, query


async def test_titles_and_summaries_are_escaped(library, client):
    page = await client.get("/?q=water")
    assert "<script>alert(1)</script>" not in page.text
    assert "Water &amp; sanitation &lt;script&gt;alert(1)&lt;/script&gt; pilot" in titles(page.text)[0]


async def test_paging_links_keep_the_query(library, client):
    page = await client.get("/?q=&page=2")
    assert count(page.text) == "4 cases" and titles(page.text) == []
    assert '<nav class="pager"' not in page.text  # four cases fit on one page


@pytest.fixture
async def bait(world, tmp_path):
    """Beta's private case with a unique word and country, indexed with the world's cases."""
    await cases.create_case(system_actor(world.tenant_ids["beta"]), "beta",
                            make_case("beta-bait", title="Zanzibarite mediation", country="NZ",
                                      summary="Zanzibarite words only beta may read.", sdgs=[14]), "private")
    previous = await use(make_backend("tantivy", tmp_path))
    yield world
    set_backend(previous)


@pytest.mark.parametrize("user", [None, "alpha_admin", "gamma_editor"])
async def test_another_tenants_private_case_never_shows(bait, client, user):
    if user:
        await sign_in(client, f"{user}@example.org")
    for url in ("/", "/?q=zanzibarite", "/?country=NZ", "/?sdg=14"):
        page = await client.get(url)
        assert page.status_code == 200
        assert "Zanzibarite" not in page.text and "zanzibarite</mark>" not in page.text.lower(), url
        if url == "/?country=NZ":  # the visitor's own filter is echoed, with nothing found for it
            assert facet(page.text, "country") == {"NZ": ("New Zealand", 0, True)} and titles(page.text) == []
        else:
            assert "New Zealand" not in page.text and 'value="NZ"' not in page.text, url
    everything = await client.get("/")
    assert "Secret-beta-private" not in everything.text
    assert facet(everything.text, "sdg").get("14") is None


async def test_the_owner_sees_its_private_case(bait, client):
    await sign_in(client, "beta_viewer@example.org")
    page = await client.get("/?q=zanzibarite")
    assert titles(page.text) == ["Zanzibarite mediation"]
    assert "<h2><mark>Zanzibarite</mark> mediation</h2>" in page.text
    assert facet(page.text, "country") == {"NZ": ("New Zealand", 1, False)}


def test_the_pager_shows_the_ends_and_the_pages_near_the_current_one():
    from casebook.web.search_page import SearchState, _pages
    state = SearchState(q="water", filters={"sdg": ("6",)}, sort="date", page=5)
    pages = _pages(state, 200)
    assert [p["number"] for p in pages] == [1, 3, 4, 5, 6, 7, 10]
    assert [p["number"] for p in pages if p["current"]] == [5]
    assert pages[-1]["url"] == "/?q=water&sdg=6&sort=date&page=10"
    assert pages[0]["url"] == "/?q=water&sdg=6&sort=date"
    assert _pages(state, 20) == []


@pytest.fixture
async def kiln(clean, tmp_path):
    """A public case and a public lesson about kilns, indexed."""
    tenant = await tenants.create_tenant("lib", "Library")
    owner = system_actor(tenant["id"])
    await cases.create_case(owner, "lib", make_case("kiln-case", title="Kiln workers partnership"), "public")
    await lessons.create_lesson(owner, "lib", make_lesson("kiln-lesson", title="Kiln safety comes first",
                                                          body="Respirators before the **kiln** season."), "public")
    previous = await use(make_backend("tantivy", tmp_path))
    yield
    set_backend(previous)


async def test_lessons_show_with_a_badge_and_a_kind_facet(kiln, client):
    page = await client.get("/", params={"q": "kiln"})
    assert count(page.text) == "2 results match “kiln”"
    assert facet(page.text, "kind") == {"case": ("Case", 1, False), "lesson": ("Lesson", 1, False)}
    assert "<legend>Kind</legend>" in page.text
    lesson = re.search(r'<li class="card card-lesson">\s*<a class="card-link" href="([^"]+)">\s*'
                       r'<span class="card-meta"><span class="tag lesson-badge">Lesson</span>', page.text)
    assert lesson and lesson.group(1) == "/lessons/lib/kiln-lesson"
    assert 'href="/cases/lib/kiln-case"' in page.text
    assert "<mark>Kiln</mark> season" not in page.text and "the <mark>kiln</mark> season." in page.text
    only = await client.get("/?q=kiln&kind=lesson")
    assert count(only.text) == "1 lesson matches “kiln”" and titles(only.text) == ["Kiln safety comes first"]
    assert 'aria-label="Remove filter Kind: Lesson"' in only.text


def test_facet_values_read_as_the_plans_write_them():
    """A facet value in words keeps its acronyms and hyphenated compounds ('Un agency', 'Post conflict' before)."""
    from casebook.web.search_page import facet_label
    assert facet_label("partner_type", "un-agency") == "UN agency"
    assert facet_label("scenario", "post-conflict") == "Post-conflict"
    assert facet_label("sector", "water-sanitation") == "Water and sanitation"
    assert facet_label("population", "campesino-communities") == "Campesino communities"
