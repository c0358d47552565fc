"""The pure parts of the matcher: local similarities, weights, target validation, compare()."""

from __future__ import annotations

import pytest

from casebook.domain.errors import InvalidInput
from casebook.matching import geography
from casebook.matching.context_scale import context_similarity
from casebook.matching.profile import profile, sdg_items
from casebook.matching.service import compare, validate_context
from casebook.matching.similarity import set_similarity
from casebook.matching.weights import DEFAULT_WEIGHTS, resolve_weights
from tests.factory import make_case


def problems(exc: pytest.ExceptionInfo) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in exc.value.problems]


def test_geography_follows_m49():
    assert geography.closeness("BA", "BA") == (1.0, "country")
    assert geography.closeness("CO", "PE") == (0.7, "South America")
    assert geography.closeness("CO", "MX") == (0.5, "Latin America and the Caribbean")
    assert geography.closeness("BA", "RS") == (0.5, "Southern Europe")
    assert geography.closeness("BA", "FR") == (0.25, "Europe")
    assert geography.closeness("BA", "KE") == (0.0, None)
    assert geography.closeness("BA", None) == (0.0, None)


def test_sdg_partial_credit_for_same_goal():
    assert set_similarity(sdg_items(["16.7"]), sdg_items(["16.7"])) == pytest.approx(1.0)
    assert set_similarity(sdg_items([16]), sdg_items(["16.7"])) == pytest.approx(0.7071, abs=1e-4)
    assert set_similarity(sdg_items(["16.6"]), sdg_items(["16.7"])) == pytest.approx(0.5)
    assert set_similarity(sdg_items([8]), sdg_items(["16.7"])) == 0.0


def test_context_is_an_ordinal_distance():
    assert context_similarity({"trust": "low"}, {"trust": "low"}) == 1.0
    assert context_similarity({"trust": "low"}, {"trust": "medium"}) == 0.5
    assert context_similarity({"conflict": "none"}, {"conflict": "active"}) == 0.0
    assert context_similarity({"conflict": "latent"}, {"conflict": "post-conflict"}) == pytest.approx(2 / 3)
    assert context_similarity({"trust": "low"}, {}) is None  # not recorded: unknown, it carries no weight
    assert context_similarity({"trust": "low", "conflict": "active"}, {"trust": "medium"}) == 0.5
    assert context_similarity({"setting": "mixed"}, {"setting": "rural"}) == 0.5
    assert context_similarity({}, {"trust": "low"}) is None


def test_weights_defaults_overrides_and_bad_values():
    assert resolve_weights() == DEFAULT_WEIGHTS
    assert resolve_weights({"geography": 0, "text": 5})["text"] == 5.0
    with pytest.raises(InvalidInput) as exc:
        resolve_weights({"text": -1, "colour": 1, "context": "high"})
    assert problems(exc) == [("weights.text", "must not be negative"),
                             ("weights.colour", "unknown facet; use one of " + ", ".join(DEFAULT_WEIGHTS)),
                             ("weights.context", "must be a number")]
    with pytest.raises(InvalidInput) as exc:
        resolve_weights(dict.fromkeys(DEFAULT_WEIGHTS, 0))
    assert problems(exc) == [("weights", "at least one weight must be above zero")]


def test_validate_context_names_every_problem():
    with pytest.raises(InvalidInput) as exc:
        validate_context({"title": "Water for towns", "country": "XQ", "colour": "red",
                          "context": {"trust": "very low"}})
    assert problems(exc) == [
        ("context.colour", "unknown key"),
        ("context.context.trust", "'very low' is not one of: low, medium, high"),
        ("context.country", "unknown country code 'XQ' (ISO 3166-1 alpha-2 expected)"),
    ]
    with pytest.raises(InvalidInput) as exc:
        validate_context({})
    assert problems(exc) == [("context", "'title' is required"), ("context", "'country' is required")]
    with pytest.raises(InvalidInput) as exc:
        validate_context({"title": "?? !!", "country": "KE"})
    assert problems(exc) == [("context", "no usable content: describe the situation in the title, summary or goals")]
    with pytest.raises(InvalidInput) as exc:
        validate_context(["not", "a", "mapping"])
    assert problems(exc) == [("context", "must be an object with at least title and country")]
    ok = {"title": "Water for towns", "country": "KE", "goals": "Safe water", "sdgs": ["6.1"]}
    assert validate_context(ok) is ok


def test_compare_explains_agreements_and_differences():
    case = make_case("template", country="BA", context={"trust": "medium", "conflict": "post-conflict"},
                     challenges=["mistrust", "pollution"])
    target = {"title": "Mistrust between a smelter and residents", "country": "RS",
              "context": {"trust": "low", "conflict": "post-conflict"}, "challenges": ["mistrust"],
              "human_security": ["economic", "environmental"]}
    result = compare(case, target, weights={"text": 0})
    # weights 2 + 1.5 + 1 + 1 = 5.5 over the described facets; context (0.5 + 1) / 2 = 0.75,
    # challenges 1 / sqrt(1 * 2), human security 1 / sqrt(2 * 2) = 0.5, geography (same sub-region) 0.5
    assert result["facets"] == {"context": 0.2727, "challenges": 0.1928, "human_security": 0.0909,
                                "geography": 0.0909}
    assert result["score"] == 0.6474
    assert [a["text"] for a in result["agreements"]] == [
        "shared challenges: mistrust", "shared human-security dimensions: economic",
        "same context: conflict post-conflict", "same region: Southern Europe"]
    assert result["differences"][0] == {"facet": "context", "field": "trust", "template": "medium",
                                        "target": "low", "text": "trust: low here vs medium in the case"}
    assert [d["field"] for d in result["differences"]] == ["trust", "human_security", "country"]
    assert result["explanation"].startswith("A close match (0.65) with “Test case template”.")
    assert "trust: low here vs medium in the case" in result["explanation"]


def test_profile_reads_tags_and_partners():
    p = profile(make_case("p"))
    assert p.sets["partners"] == {"type:business-multinational": 1.0, "role:company": 0.5, "type:community": 1.0,
                                  "role:community-organisation": 0.5}
    assert p.sets["sdgs"] == {"g8": 1.0, "g16": 1.0, "t16.7": 1.0}
    assert "mistrust" in p.text
