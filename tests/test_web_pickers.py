"""Evidence in sight and pickers that scale, without a browser: the library's default order and badges, its
feed link, /cases/suggest through the access rule, and the plain-form pickers resolving typed text."""

from __future__ import annotations

import re

import pytest

from casebook.services import cases
from casebook.services.actors import system_actor
from tests.factory import make_case
from tests.search_fixtures import make_backend, seeded_library_fixture, set_backend, use
from tests.test_web_plans import FORM, signed_in
from tests.test_web_search import titles

library = seeded_library_fixture("picker-index")


async def test_the_library_leads_with_the_best_evidence_and_the_reader_can_change_the_order(library, client):
    page = await client.get("/")
    assert titles(page.text) == ["Hospitality training for youth in Siem Reap",  # independently evaluated
                                 "Rebuilding trust around mining concessions",  # documented, 2012
                                 "Company and community dialogue in Zenica",  # documented, 2004
                                 "Water &amp; sanitation &lt;script&gt;alert(1)&lt;/script&gt; pilot"]  # self-reported
    assert '<option value="evidence" selected>Best evidence first</option>' in page.text
    newest = await client.get("/?sort=date")
    assert '<option value="date" selected>Newest first</option>' in newest.text
    assert titles(newest.text)[:2] == ["Hospitality training for youth in Siem Reap",
                                       "Rebuilding trust around mining concessions"]
    assert titles((await client.get("/?sort=date&evidence_level=self-reported")).text) == [
        "Water &amp; sanitation &lt;script&gt;alert(1)&lt;/script&gt; pilot"]


async def test_cards_carry_evidence_and_status_badges_and_an_add_to_compare_link(library, client):
    page = await client.get("/?q=zenica")
    card = re.search(r'<li class="card">(.*?)</li>\s*</ul>', page.text, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", re.search(r'<p class="card-badges">(.*?)</p>', card, re.S).group(1)).split() == [
        "Evidence:", "Documented", "Status:", "Proposed"]
    assert ('<a class="btn btn-quiet add-compare" href="/compare?cases=lib/zenica-ba" data-compare-add="lib/zenica-ba"'
            ' data-compare-title="Company and community dialogue in Zenica">') in card
    for facet_name in ("evidence_level", "status"):
        assert f'name="{facet_name}" value=' in page.text


@pytest.mark.parametrize("path", ["/", "/lessons"])
async def test_library_pages_link_their_atom_feed(library, client, path):
    page = await client.get(path)
    assert ('<link rel="alternate" type="application/atom+xml" title="Casebook public library" '
            'href="/feeds/public.atom">') in page.text


async def test_suggest_offers_cases_by_title_country_or_slug(library, client):
    for q in ("zenica", "Bosnia", "zenica-ba", "dialogue in zen"):
        body = (await client.get("/cases/suggest", params={"q": q})).json()
        assert [o["ref"] for o in body["options"]][:1] == ["lib/zenica-ba"], q
    option = body["options"][0]
    assert option == {"ref": "lib/zenica-ba", "tenant": "lib", "slug": "zenica-ba",
                      "title": "Company and community dialogue in Zenica", "country": "BA",
                      "evidence_level": "documented", "status": "proposed", "building_blocks": 0,
                      "url": "/cases/lib/zenica-ba"}
    health = (await client.get("/cases/suggest", params={"q": "health"})).json()
    assert (health["total"], [o["ref"] for o in health["options"]]) == (2, ["lib/zenica-ba", "lib/wash-ph"])
    too_long = await client.get("/cases/suggest", params={"q": "x" * 1001})
    assert too_long.status_code == 400


async def test_the_compare_picker_resolves_typed_text_or_says_why_not(library, client):
    page = await client.get("/compare", params={"cases": "lib/mining-liberia", "add": "zenica"})
    assert page.status_code == 200
    compared = re.findall(r'<th scope="col"><a href="/cases/([^"]+)">', page.text)
    assert compared == ["lib/mining-liberia", "lib/zenica-ba"]
    ambiguous = await client.get("/compare", params={"cases": "lib/mining-liberia", "add": "health"})
    assert "“health” matches 2 cases: choose one, or type more of its title" in ambiguous.text
    assert re.findall(r'<li><a href="(/compare\?cases=[^"]+)">', ambiguous.text) == [
        "/compare?cases=lib/mining-liberia,lib/zenica-ba", "/compare?cases=lib/mining-liberia,lib/wash-ph"]
    unknown = await client.get("/compare", params={"add": "quokka"})
    assert "no case you may read matches “quokka”; try other words or its slug" in unknown.text
    assert '<select id="add-case"' not in unknown.text  # no capped list any more


async def test_find_comparable_starts_from_a_typed_case(library, client):
    page = await client.get("/match", params={"case": "zenica"})
    assert page.status_code == 200 and 'Started from <a href="/cases/lib/zenica-ba">' in page.text
    unknown = await client.get("/match", params={"case": "quokka"})
    assert unknown.status_code == 200 and "no case you may read matches “quokka”" in unknown.text


@pytest.fixture
async def indexed_world(world, tmp_path):
    """The world's cases (some private, some shared with a network) plus a public Bosnia case, indexed."""
    await cases.create_case(system_actor(world.tenant_ids["beta"]), "beta",
                            make_case("bosnia-zenica", title="Zenica steelworks dialogue", country="BA"), "public")
    previous = await use(make_backend("tantivy", tmp_path))
    yield world
    set_backend(previous)


@pytest.mark.parametrize(("user", "expected"), [
    (None, ["alpha/alpha-public", "beta/beta-public"]),
    ("alpha_editor", ["alpha/alpha-network", "alpha/alpha-private", "alpha/alpha-public", "beta/beta-public",
                      "gamma/gamma-network"]),
    ("beta_viewer", ["alpha/alpha-public", "beta/beta-network", "beta/beta-private", "beta/beta-public"]),
])
async def test_suggestions_hold_only_what_the_reader_may_read(indexed_world, client, user, expected):
    if user:
        await signed_in(client, user)
    body = (await client.get("/cases/suggest", params={"q": "secret partnership"})).json()
    assert sorted(o["ref"] for o in body["options"]) == expected and body["total"] == len(expected)


async def test_the_wizard_accepts_a_typed_template_and_explains_an_ambiguous_one(indexed_world, client):
    token = await signed_in(client, "alpha_editor")
    made = await client.post("/plans/new", data={**FORM, "template": "bosnia", "_csrf_token": token})
    assert made.status_code == 303, made.text
    plan = await client.get(made.headers["location"])
    assert "Zenica steelworks dialogue" in plan.text
    vague = await client.post("/plans/new", data={**FORM, "template": "secret", "_csrf_token": token})
    assert vague.status_code == 400
    assert ("“secret” matches 5 cases: choose one, or type more of its title: " in vague.text
            and "(gamma/gamma-network)" in vague.text and "beta-private" not in vague.text)
    unknown = await client.post("/plans/new", data={**FORM, "template": "beta-private", "_csrf_token": token})
    assert unknown.status_code == 400 and "Secret-beta-private" not in unknown.text
