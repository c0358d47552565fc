"""Revision diffs compare lists of objects by identity, so an insertion is one change, not a cascade."""

from __future__ import annotations

from casebook.domain.casediff import by_section, diff_cases
from tests.factory import make_case

NEW = {"name": "River Trust", "type": "civil-society", "roles": ["dynamiser"]}


def paths(changes):
    return [(c.path, c.kind) for c in changes]


def test_a_partner_inserted_at_the_top_is_one_added_partner():
    before = make_case("a")
    after = make_case("a", partners=[NEW, *before["partners"]])
    changes = diff_cases(before, after)
    assert paths(changes) == [("partners[River Trust]", "added")]
    assert changes[0].after == "name: River Trust; type: civil-society; roles: dynamiser"
    assert [s.name for s in by_section(changes)] == ["partners"]


def test_removed_and_edited_partners_are_named_by_identity():
    before = make_case("a", partners=[NEW, *make_case("a")["partners"]])
    after = make_case("a")
    after["partners"] = [{**after["partners"][1], "roles": ["community-organisation", "monitor"]},
                         after["partners"][0]]  # reordered, one edited, River Trust removed
    changes = diff_cases(before, after)
    assert paths(changes) == [("partners[River Trust]", "removed"), ("partners[Community Council].roles", "changed")]
    assert changes[1].added == ("monitor",)


def test_a_rename_in_place_is_one_changed_field():
    before = make_case("a")
    after = make_case("a")
    after["partners"][1]["name"] = "Village Council"
    assert paths(diff_cases(before, after)) == [("partners[Village Council].name", "changed")]


def test_blocks_risks_and_sources_by_their_titles():
    blocks = [{"title": "Mediation", "description": "A mediator."}, {"title": "Fund", "description": "Money."}]
    risks = [{"area": "reputation", "description": "Bad press.", "mitigation": "Talk early."}]
    before = make_case("a", building_blocks=blocks, risks=risks)
    after = make_case("a", building_blocks=[{"title": "Baseline", "description": "Data first."}, blocks[0],
                                            {**blocks[1], "description": "More money."}],
                      risks=[{"area": "autonomy", "description": "Capture.", "mitigation": "Rotate."},
                             {**risks[0], "mitigation": "Talk early and often."}],
                      sources=[{"title": "Field notes", "locator": "p. 1"},
                               *make_case("a")["sources"]])
    assert paths(diff_cases(before, after)) == [
        ("building_blocks[Baseline]", "added"), ("building_blocks[Fund].description", "changed"),
        ("risks[autonomy: Capture.]", "added"), ("risks[reputation: Bad press.].mitigation", "changed"),
        ("sources[Field notes]", "added")]


def test_repeated_identities_and_items_without_one_stay_apart():
    before = make_case("a", sources=[{"title": "Report", "locator": "p. 1"}, {"title": "Report", "locator": "p. 2"}])
    after = make_case("a", sources=[{"title": "Report", "locator": "p. 1"}, {"title": "Report", "locator": "p. 9"},
                                    {"title": "Report", "locator": "p. 3"}])
    assert paths(diff_cases(before, after)) == [("sources[Report (2)].locator", "changed"),
                                                ("sources[Report (3)]", "added")]
    assert diff_cases(after, after) == []
    assert paths(diff_cases({"partners": [{"type": "community"}]}, {"partners": [{"type": "donor"}]})) == [
        ("partners[#1].type", "changed")]
