"""Matching that holds at scale (issue 14): unknown is not half a match, place is a bonus on top of text,
the taxonomy's partial credit, one definition of every rule for the scalar and the vectorised path,
explanations in the target's own words, and a first match that never waits for a fit on a page."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlencode

import numpy as np
import pytest
import yaml

from casebook.domain import vocabulary
from casebook.domain.access import ANONYMOUS
from casebook.domain.casefile import load_case_files
from casebook.matching import scope_models, service
from casebook.matching.context_scale import context_codes, context_field_similarity, context_parts, context_rows
from casebook.matching.entries import Entry
from casebook.matching.index import MatcherIndex
from casebook.matching.scopes import PUBLIC
from casebook.matching.service import compare, rank
from casebook.matching.similarity import set_similarity
from casebook.matching.weights import DEFAULT_WEIGHTS
from casebook.runtime import Runtime
from casebook.services import cases, library, tenants
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests.factory import make_case

NO_TEXT = dict(DEFAULT_WEIGHTS, text=0.0)
STEEL = {"title": "Mistrust between a steel plant and residents", "country": "RS",
         "summary": "Residents distrust the privatised steel plant over air pollution."}


def test_a_facet_the_case_does_not_record_carries_no_weight():
    """The case records no trust: the target's trust drops out instead of counting as half a match, and
    geography keeps the share of the weight it had among what the case records."""
    case = make_case("thin", context={"conflict": "active"}, challenges=["mistrust"])
    target = {"title": "Mistrust in town", "country": "CO", "context": {"trust": "low"}, "challenges": ["mistrust"]}
    result = compare(case, target, weights=NO_TEXT)
    # challenges 1.5 * 1; context unknown (share 0); geography 1 * (1.5 / (1.5 + 2)) of its weight, credit 1
    assert result["facets"] == {"context": 0.0, "challenges": 0.7778, "geography": 0.2222}
    assert result["score"] == 1.0
    assert context_parts({"trust": "low", "conflict": "none"}, {"conflict": "active"}) == (0.0, 0.5)


def test_the_taxonomy_gives_partial_credit():
    assert vocabulary.related_terms("sectors", "mining")["steel"] == 0.5  # both heavy industry
    assert vocabulary.related_terms("sectors", "mining")["natural-resources"] == 0.6
    assert vocabulary.related_group("sectors", "steel", "mining") == "heavy-industry"
    assert set_similarity({"mining": 1.0}, {"steel": 1.0}, "sectors") == 0.5
    assert set_similarity({"mining": 1.0}, {"natural-resources": 1.0}, "sectors") == 0.6
    assert set_similarity({"mining": 1.0}, {"health": 1.0}, "sectors") == 0.0
    assert set_similarity({"mining": 1.0}, {"mining": 1.0, "steel": 1.0}, "sectors") == 1.0  # capped
    assert set_similarity({"mining": 1.0}, {"steel": 1.0}) == 0.0  # no facet, no taxonomy
    assert vocabulary.related_terms("population_groups", "ex-combatants")["conflict-victims"] == 0.6
    assert vocabulary.related_terms("tools", "mediation") == {}


def test_every_taxonomy_member_is_a_slug_of_its_list():
    data = yaml.safe_load(vocabulary.VOCABULARY_FILE.read_text(encoding="utf-8"))
    strays = {(facet, group, member) for facet, groups in data["taxonomy"].items() for group, g in groups.items()
              for member in g["members"] if member not in data[facet]}
    assert strays == set()
    assert set(vocabulary.taxonomy()) == set(vocabulary.TAXONOMY_FACETS)


def test_the_index_scores_exactly_like_the_one_to_one_comparison():
    """One definition: the vectorised ranking and compare() agree on every case and facet (text aside)."""
    docs = [d for _, d in load_case_files([CASES_DIR])]
    index = MatcherIndex(persist=False)
    index.load_entries([Entry(i + 1, 1, "library", d["slug"], d, audience="public") for i, d in enumerate(docs)])
    scope = index.scope(PUBLIC)
    by_slug = {d["slug"]: d for d in docs}
    targets = [dict(STEEL, sectors=["mining"], context={"trust": "low", "setting": "mixed"},
                    population_groups=["ex-combatants"], scenarios=["peacebuilding"]),
               {"title": "Typhoon relief with companies", "country": "PH", "sdgs": ["11.5"], "challenges": ["mistrust"],
                "partners": [{"name": "A telecom", "type": "business-domestic"}], "context": {"conflict": "none"}}]
    for target in targets:
        ranked = rank(index, scope, target, NO_TEXT, len(docs))
        assert len(ranked) == len(docs)
        for r in ranked:
            alone = compare(by_slug[r["slug"]], target, weights=NO_TEXT)
            assert r["score"] == pytest.approx(alone["score"], abs=2e-4), r["slug"]
            assert r["facets"] == pytest.approx(alone["facets"], abs=2e-4), r["slug"]


def test_context_scale_rule_is_shared():
    for target in ({"trust": "low"}, {"setting": "mixed", "conflict": "latent"}, {"setting": "rural"}):
        for case in ({}, {"trust": "high"}, {"setting": "urban", "conflict": "active"}, {"setting": "mixed"}):
            sims, shares = context_rows(context_codes(case)[None, :], target)
            expected = context_parts(target, case)
            assert (round(float(sims[0]), 4), round(float(shares[0]), 4)) == (round(expected[0], 4),
                                                                              round(expected[1], 4))



def test_the_scalar_context_path_is_the_vectorised_rule_on_one_row():
    """Every field and every pair of its values: the scalar path gives the rule's own number (1 - distance
    over the span; mixed is half-way), and the index's float32 rows give the same to float32 precision."""
    for name, scale in vocabulary.CONTEXT_SCALES.items():
        cases = [{name: value} for value in scale]
        codes = np.vstack([context_codes(case) for case in cases])
        for i, target in enumerate(scale):
            rows, shares = context_rows(codes, {name: target})
            for j, case in enumerate(scale):
                mixed = name == "setting" and i != j and "mixed" in (target, case)
                rule = 0.5 if mixed else 1 - abs(i - j) / (len(scale) - 1)
                assert context_field_similarity(name, target, case) == rule
                assert context_parts({name: target}, {name: case}) == (rule, 1.0)
                assert rows[j] == pytest.approx(rule, abs=1e-6) and shares[j] == 1.0
            assert context_field_similarity(name, target, None) is None

def test_a_same_country_record_with_unrelated_words_does_not_outrank_a_relevant_one():
    docs = [{"slug": "stadium", "title": "Floodlights for the national football stadium", "country": "RS",
             "summary": "New floodlights and seats for the stadium, with a sponsor.", "sdgs": [11]},
            {"slug": "smelter", "title": "Residents and a steel plant rebuild trust", "country": "KE",
             "summary": "Mistrust between the steel plant and residents over air pollution; a dialogue forum.",
             "sdgs": [11]},
            *[{"slug": f"filler-{i}", "title": f"School meals in district {w}", "country": "PE",
               "summary": f"Meals for pupils of {w} with parents and teachers."} for i, w in enumerate("abcdefgh")]]
    index = MatcherIndex(persist=False)
    index.load_entries([Entry(i + 1, 1, "library", d["slug"], d, audience="public") for i, d in enumerate(docs)])
    ranked = rank(index, index.scope(PUBLIC), STEEL, dict(DEFAULT_WEIGHTS), 3)
    assert [r["slug"] for r in ranked[:2]] == ["smelter", "stadium"]
    assert ranked[1]["facets"]["geography"] < ranked[0]["facets"]["text"]


def test_shared_terms_are_words_the_target_wrote():
    """Tag slugs ("mining", from sectors) and filler ("partnership") are never listed as shared words."""
    case = make_case("words", title="Mining partnership and the steel company",
                     summary="A mining partnership: the steel company and residents rebuild trust.")
    target = {"title": "A partnership with the steel company", "country": "RS", "sectors": ["mining"],
              "summary": "Residents want a partnership with the company."}
    terms = next(a["values"] for a in compare(case, target)["agreements"] if a["facet"] == "text")
    assert sorted(terms) == ["company", "residents", "steel"]


@pytest.fixture
async def library_cases(clean):
    tenant = await tenants.create_tenant("library", "Library", "organisation")
    await library.import_files(system_actor(tenant["id"]), "library", [CASES_DIR], "public")
    return tenant


async def test_the_match_page_shows_progress_instead_of_waiting_for_a_first_model(library_cases, client,
                                                                                   monkeypatch, runtime):
    monkeypatch.setattr(scope_models, "CHEAP_REFIT", 0)  # the seed library stands in for a large import
    fresh = MatcherIndex(persist=False)
    monkeypatch.setattr(runtime, "matcher", fresh)
    query = urlencode({"title": "mistrust between the steel company and residents", "country": "RS"})
    first = await client.get(f"/match?{query}")
    assert first.status_code == 200
    assert 'id="match-progress"' in first.text and 'class="match-list"' not in first.text
    assert f'hx-get="/match/results?{query}"' in first.text.replace("&amp;", "&")
    await fresh._warming  # the warm-up the page started
    assert fresh.progress is None and PUBLIC in fresh.scopes
    ready = await client.get(f"/match/results?{query}")
    assert 'id="match-progress"' not in ready.text
    assert 'data-ref="library/bosnia-zenica-steelworks"' in ready.text


async def test_a_model_served_while_a_warm_up_works_never_shows_a_deleted_case(library_cases):
    index = MatcherIndex(persist=False)
    owner = system_actor(library_cases["id"])
    await cases.create_case(owner, "library", make_case("gone-soon", title="Mistrust of the steel company",
                                                        country="RS"), "public")
    query = {"title": "mistrust between the steel company and residents", "country": "RS"}
    before = await service.match(ANONYMOUS, context=query, top=50, index=index)
    assert "gone-soon" in [r["slug"] for r in before["results"]]
    await cases.delete_case(owner, "library", "gone-soon")
    async with index.lock:  # a warm-up at work: the page is served the model as it is, checked against the database
        served = await service.match(ANONYMOUS, context=query, top=50, index=index, wait=False)
    slugs = [r["slug"] for r in served["results"]]
    assert "gone-soon" not in slugs and len(slugs) == len(before["results"]) - 1
    after = await service.match(ANONYMOUS, context=query, top=50, index=index)  # refitted without it
    assert sorted(r["slug"] for r in after["results"]) == sorted(slugs)


def test_the_command_line_pins_numeric_libraries_to_one_thread():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    code = ("import casebook.cli, os, numpy; from threadpoolctl import threadpool_info; "
            "print(os.environ['OMP_NUM_THREADS'], sorted({p['num_threads'] for p in threadpool_info()}))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1 [1]"


async def test_the_app_owns_the_matchers_worker(runtime):
    own = Runtime.build(runtime.settings, engine=runtime.engine)  # the run's engine, not closed by this one
    assert own.matcher.executor is None
    async with own.running():
        executor = own.matcher.executor
        assert executor is not None and executor._max_workers == 1
    assert own.matcher.executor is None and executor._shutdown
