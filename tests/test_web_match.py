"""The "Find comparable" page: prefilled from a case, re-ranked by weights, bad input as messages, isolation."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.matching.weights import resolve_weights
from casebook.services import library, tenants
from casebook.services import matching as service
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from casebook.web import match
from tests.conftest import RUNTIME
from tests.test_web_isolation import signed_in

ZENICA = "library/bosnia-zenica-steelworks"


def refs(text: str) -> list[str]:
    return re.findall(r'<li class="match-card card" data-ref="([^"]+)"', text)


def scores(text: str) -> list[str]:
    return re.findall(r'<span class="score-value">(\d+)</span>', text)


@pytest.fixture
async def seeded(clean):
    tenant = await tenants.create_tenant("library", "Library", "organisation")
    await library.import_files(system_actor(tenant["id"]), "library", [CASES_DIR], "public")


async def test_started_from_a_case_the_form_is_prefilled_and_ranked_like_the_service(seeded, client):
    page = await client.get("/match", params={"case": ZENICA})
    assert page.status_code == 200
    text = page.text
    assert ('<input id="m-title" name="title" value="Resetting company-community relations around the Zenica '
            'steelworks (ArcelorMittal Zenica)"') in text
    assert '<option value="BA" selected>Bosnia and Herzegovina</option>' in text
    expected = await service.match(ANONYMOUS, case="bosnia-zenica-steelworks", top=10, index=RUNTIME.matcher)
    assert refs(text) == [f"{r['tenant']}/{r['slug']}" for r in expected["results"]]
    assert refs(text)[:2] == ["library/liberia-concessions-hsbp", "library/colombia-antioquia-rural-hsbp"]
    assert ZENICA not in refs(text)
    first = expected["results"][0]
    assert html.escape(first["explanation"]) in text
    assert html.escape(first["differences"][0]["text"]) in text
    link = html.unescape(re.search(r'href="(/plans/new\?[^"]+)"', text).group(1))
    query = parse_qs(urlsplit(link).query)
    assert query["template"] == ["library/liberia-concessions-hsbp"]
    assert '"country":"BA"' in query["from"][0]
    assert 'href="/cases/library/liberia-concessions-hsbp"' in text


async def test_the_prefilled_form_sent_back_unchanged_still_matches_the_whole_case(seeded, client):
    start = await client.get("/match", params={"case": ZENICA})
    doc = (await client.get(f"/api/v1/cases/{ZENICA}")).json()["case"]
    form = match.form_from_case(doc)
    params = {"case": ZENICA, **{k: v for k, v in form.items() if k not in ("context", "partners")},
              "partners": form["partners"], "summary": form["summary"].replace("\n", "\r\n"),  # as browsers send
              **{f"ctx_{k}": v for k, v in form["context"].items()}, "w_text": "3"}
    sent = await client.get("/match?" + urlencode(params, doseq=True))
    assert sent.status_code == 200 and "\n" in form["summary"]
    assert refs(sent.text) == refs(start.text)


async def test_weights_re_rank_the_results_fragment(seeded, client):
    base = {"case": ZENICA}
    default = await client.get("/match/results", params=base)
    only_geo = await client.get("/match/results", params={**base, "w_text": "0", "w_context": "0",
                                                          "w_scenarios": "0", "w_challenges": "0",
                                                          "w_sectors": "0", "w_human_security": "0",
                                                          "w_sdgs": "0", "w_partners": "0",
                                                          "w_population_groups": "0", "w_tools": "0"})
    assert default.status_code == only_geo.status_code == 200
    assert "<html" not in only_geo.text and "<form" not in only_geo.text
    weights = {"geography": 1.0, **{k: 0.0 for k in ("text", "context", "scenarios", "challenges", "sectors",
                                                     "human_security", "sdgs", "partners", "population_groups",
                                                     "tools")}}
    expected = await service.match(ANONYMOUS, case="bosnia-zenica-steelworks", weights=weights, top=10,
                                   index=RUNTIME.matcher)
    assert refs(only_geo.text) == [f"{r['tenant']}/{r['slug']}" for r in expected["results"]]
    assert refs(only_geo.text) != refs(default.text)
    assert scores(only_geo.text) == [f"{r['score'] * 100:.0f}" for r in expected["results"]]


async def test_an_edited_form_matches_its_own_context_and_leaves_the_start_out(seeded, client):
    form = {"case": ZENICA, "title": "Mistrust between the steel company and residents", "country": "RS",
            "sectors": "Steel Industry, environment", "partners": ["community", "government-local"],
            "ctx_trust": "low", "summary": "", "goals": "", "w_text": "3"}
    page = await client.get("/match?" + urlencode(form, doseq=True))
    assert page.status_code == 200
    assert 'value="steel-industry, environment"' in page.text
    target = {"title": form["title"], "country": "RS", "sectors": ["steel-industry", "environment"],
              "partners": [{"name": "available community", "type": "community"},
                           {"name": "available government-local", "type": "government-local"}],
              "context": {"trust": "low"}}
    expected = await service.match(ANONYMOUS, context=target, top=11, index=RUNTIME.matcher)
    assert refs(page.text) == [f"{r['tenant']}/{r['slug']}" for r in expected["results"]
                               if r["slug"] != "bosnia-zenica-steelworks"][:10]
    assert ZENICA not in refs(page.text)


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"title": "Steel town", "country": "ZZ"}, "country", "unknown country code &#39;ZZ&#39;"),
    ({"title": "", "country": ""}, "title", "this field is required"),
    ({"title": "", "country": ""}, "country", "this field is required"),
    ({"title": "ab", "country": "BA"}, "title", "&#39;ab&#39; is too short"),
    ({"title": "Steel town", "country": "BA", "ctx_trust": "sky-high"}, "ctx_trust", "sky-high"),
    ({"title": "Steel town", "country": "BA", **{f"w_{k}": "0" for k in resolve_weights()}},
     "weights", "at least one weight must be above zero"),
    ({"title": "Steel town", "country": "BA", "w_text": "lots"}, "w_text", "must be a number"),
])
async def test_bad_input_is_a_message_next_to_the_field(clean, client, params, field, message):
    page = await client.get("/match", params=params)
    assert page.status_code == 400
    assert re.search(rf'<p class="field-error" id="err-{field}">[^<]*{re.escape(message)}', page.text)
    fragment = await client.get("/match/results", params=params)  # what a weight slider gets
    assert fragment.status_code == 400
    assert re.search(rf'<li class="problem" data-field="{field}">[^<]*{re.escape(message)}', fragment.text)
    assert refs(page.text) == refs(fragment.text) == []


async def test_a_blank_form_shows_no_results_and_no_error(client, clean):
    response = await client.get("/match")
    assert response.status_code == 200
    assert "Fill in your target" in response.text


@pytest.mark.parametrize("user", ["beta_admin", "gamma_editor", "outsider"])
async def test_another_tenants_private_case_never_appears(world, client, user):
    await signed_in(client, f"{user}@example.org")
    words = {"title": "Secret partnership", "country": "CO",  # the private case's own words, bar its slug
             "summary": "Summary: a company, a municipality and a community organisation work together."}
    page = await client.get("/match", params=words)
    assert page.status_code == 200
    assert "alpha-private" not in page.text
    assert "alpha/alpha-public" in refs(page.text)
    start = await client.get("/match", params={"case": "alpha/alpha-private"})
    assert start.status_code == 404 and "Secret-alpha-private" not in start.text


async def test_the_owner_finds_its_private_case(world, client):
    await signed_in(client, "alpha_viewer@example.org")
    page = await client.get("/match", params={"title": "Secret-alpha-private partnership", "country": "CO"})
    assert refs(page.text)[0] == "alpha/alpha-private"
    start = await client.get("/match", params={"case": "alpha/alpha-private"})
    assert start.status_code == 200 and "alpha/alpha-private" not in refs(start.text)
