"""Case files: the seed library validates, and bad files are reported by file, line, field and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.domain.casefile import case_files, dump_case, load_case_files, load_case_text, parse_yaml
from casebook.domain.errors import InvalidInput
from casebook.settings import CASES_DIR
from tests.factory import make_case

SEED_FILES = case_files([CASES_DIR])


def test_the_seed_library_has_seventeen_valid_cases_with_located_sources():
    loaded = load_case_files([CASES_DIR])
    assert len(loaded) == 17
    for path, data in loaded:
        assert path.stem == data["slug"]
        assert data["sources"] and all(s["locator"].strip() for s in data["sources"])


@pytest.mark.parametrize("slug", [
    "colombia-antioquia-rural-hsbp", "liberia-concessions-hsbp", "bosnia-zenica-steelworks",
    "mexico-campana-altamira", "cambodia-egbok-hospitality", "cambodia-ngo-forum", "nepal-fwld",
    "philippines-angat-buhay", "india-tamil-nadu-banana-trade", "india-pulse-polio", "india-niti-aayog-sdg-index",
    "vietnam-enda-waste", "mongolia-microstart-xacbank", "papua-new-guinea-provincial-capacity",
    "sids-partnership-framework", "haiti-earthquake-private-sector-response",
    "kenya-tanzania-vodafone-undp-mobile-money",
])
def test_every_case_the_issue_names_is_in_the_library(slug):
    assert (CASES_DIR / f"{slug}.yaml").exists()


def _problems(text: str) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        load_case_text(text, "bad.yaml")
    return [str(p) for p in info.value.problems]


def test_a_yaml_syntax_error_names_the_file_and_line():
    assert _problems("slug: a\ntitle: [unclosed\n") == [
        "bad.yaml:3: not valid YAML: expected ',' or ']', but got '<stream end>'"]


def test_schema_errors_name_the_line_and_field():
    text = dump_case(make_case("good-slug")).replace("type: community", "type: villagers")
    problems = _problems(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "villagers" in row)
    assert problems == [f"bad.yaml:{line} partners[1].type: 'villagers' is not one of: "
                        "business-multinational, business-domestic, business-sme, government-national, "
                        "government-subnational, government-local, community, civil-society, un-agency, donor, "
                        "academia, media, faith-based, unknown"]


def test_unknown_country_unknown_key_and_missing_field_are_all_reported():
    data = make_case("x", country="XX", colour="blue")
    del data["summary"]
    problems = _problems(dump_case(data))
    assert any("country: unknown country code 'XX'" in p for p in problems)
    assert any("colour: unknown key" in p for p in problems)
    assert any("'summary' is required" in p for p in problems)


def test_countries_that_are_not_a_list_are_a_schema_problem_not_a_crash():
    problems = _problems(dump_case(make_case("x", countries=1)))
    assert any("countries: 1 is not of type 'array'" in p for p in problems), problems


def test_duplicate_slugs_across_files_are_refused(tmp_path: Path):
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(dump_case(make_case("same-slug")))
    with pytest.raises(InvalidInput) as info:
        load_case_files([tmp_path])
    assert [p.message for p in info.value.problems] == [f"duplicate slug 'same-slug', also in {tmp_path / 'one.yaml'}"]


def test_dump_then_parse_is_lossless_for_every_seed_case():
    for _, data in load_case_files([CASES_DIR]):
        parsed, _ = parse_yaml(dump_case(data))
        assert parsed == data
