"""The editor's form <-> case mapping, problem -> field mapping, and field-by-field case differences."""

from __future__ import annotations

from dataclasses import replace

from casebook.domain.casediff import by_section, diff_cases
from casebook.domain.casefile import check_case
from casebook.domain.errors import Problem
from casebook.web.forms import field_errors, form_to_case, keep_unshown
from tests.factory import make_case


class Form:
    """The multidict shape the editor reads (getall, keys)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def keys(self):
        return list(dict.fromkeys(k for k, _ in self.pairs))

    def getall(self, key, default=None):
        values = [v for k, v in self.pairs if k == key]
        return values if values else (default if default is not None else [])


def test_form_to_case_reads_every_kind_of_field():
    form = Form([
        ("slug", "kiosks"), ("title", " Water kiosks "), ("country", "ke"), ("status", "active"),
        ("summary", "A line.\r\n\r\nAnother."), ("period.start", "2019"), ("period.end", ""),
        ("sectors", "water, sanitation"), ("sdgs", "6, 16.7"), ("human_security", "health"),
        ("human_security", "economic"), ("context.trust", "low"), ("context.policy_frameworks", "Act A\n\nAct B"),
        ("partners.3.name", "County"), ("partners.3.type", "government-local"), ("partners.3.roles", "funder"),
        ("partners.0.name", "Utility"), ("partners.0.type", "business-domestic"), ("partners.0.sensitive", "yes"),
        ("partners.7.name", ""), ("partners.7.type", ""),
        ("building_blocks.0.title", "Tariff"), ("building_blocks.0.description", "Agreed first."),
        ("building_blocks.0.msp_steps", "4"), ("building_blocks.0.msp_steps", "5"),
        ("outcomes.0.indicator", "Kiosks"), ("outcomes.0.baseline", "0"), ("outcomes.0.actual", "2.5"),
        ("outcomes.0.unit", "count"), ("lessons.2", "Second."), ("lessons.0", "First."), ("lessons.1", ""),
        ("sources.0.title", "Notes"), ("sources.0.locator", "p. 4"), ("sources.0.year", "20x4"),
        ("principles.inclusive", "Everyone."), ("lineage.replicates", "old-case"),
    ])
    assert form_to_case(form) == {
        "slug": "kiosks", "title": "Water kiosks", "country": "KE", "status": "active",
        "summary": "A line.\n\nAnother.", "period": {"start": 2019, "end": None},
        "sectors": ["water", "sanitation"], "sdgs": [6, "16.7"], "human_security": ["health", "economic"],
        "context": {"trust": "low", "policy_frameworks": ["Act A", "Act B"]},
        "principles": {"inclusive": "Everyone."},
        "partners": [{"name": "Utility", "type": "business-domestic", "sensitive": True},
                     {"name": "County", "type": "government-local", "roles": ["funder"]}],
        "building_blocks": [{"title": "Tariff", "description": "Agreed first.", "msp_steps": [4, 5]}],
        "outcomes": [{"indicator": "Kiosks", "baseline": 0, "actual": 2.5, "unit": "count"}],
        "sources": [{"title": "Notes", "year": "20x4", "locator": "p. 4"}],
        "lessons": ["First.", "Second."], "lineage": {"replicates": "old-case"},
    }


def test_an_edit_on_the_page_keeps_the_mapped_list_and_block_ids_the_form_does_not_show():
    previous = {"mapped": ["sdgs"], "building_blocks": [
        {"id": "tariff-deal", "title": "Tariff", "description": "Old."},
        {"id": "kiosk-rota", "title": "Kiosk rota", "description": "Old."}]}
    form = Form([("building_blocks.0.title", "Kiosk rota"), ("building_blocks.0.description", "New."),
                 ("building_blocks.1.title", "Renamed tariff"), ("building_blocks.1.description", "New."),
                 ("building_blocks.2.title", "Tariff"), ("building_blocks.2.description", "Back again.")])
    assert keep_unshown(form_to_case(form), previous) == {"country": None, "mapped": ["sdgs"], "building_blocks": [
        {"id": "kiosk-rota", "title": "Kiosk rota", "description": "New."},
        {"title": "Renamed tariff", "description": "New."},
        {"id": "tariff-deal", "title": "Tariff", "description": "Back again."}]}
    assert keep_unshown({"title": "x"}, {}) == {"title": "x"}


def test_schema_problems_land_on_their_form_fields():
    data = form_to_case(Form([("slug", "Bad Slug"), ("title", "ok title"), ("partners.0.name", "X"),
                              ("sdgs", "6, 99"), ("sources.0.title", "S"), ("sources.0.locator", "p"),
                              ("sources.0.year", "20x4")]))
    problems = [replace(p, field=f"case.{p.field}" if p.field else "case") for p in check_case(data)]
    by_field, general = field_errors(problems)
    assert by_field == {
        "slug": ["'Bad Slug' has the wrong form"], "status": ["'status' is required"],
        "summary": ["'summary' is required"], "partners.0.type": ["'type' is required"],
        "sdgs": ["99 is not a valid value here"], "sources.0.year": ["'20x4' is not of type 'integer', 'null'"],
    }
    assert general == []
    assert field_errors([Problem("odd", field="case"), Problem("x", field="visibility")]) == (
        {"visibility": ["x"]}, ["odd"])


def test_diff_names_each_changed_field():
    before = make_case("a")
    after = make_case("a", title="Renamed case", sectors=["mining", "water"], context={"conflict": "none"},
                      summary=before["summary"].replace("work together", "share the work"), locality=None)
    after["partners"][1]["name"] = "Village Council"
    changes = diff_cases(before, after)
    assert [(c.path, c.kind) for c in changes] == [
        ("title", "changed"), ("locality", "removed"), ("sectors", "changed"), ("summary", "changed"),
        ("context.conflict", "changed"), ("context.state_capacity", "removed"), ("context.trust", "removed"),
        ("partners[Village Council].name", "changed")]
    sectors = changes[2]
    assert (sectors.added, sectors.removed) == (("water",), ())
    assert [op for op in changes[3].words if op[0] != "="] == [("-", "work together."), ("+", "share the work.")]
    assert [s.name for s in by_section(changes)] == ["title", "locality", "sectors", "summary", "context", "partners"]
    assert diff_cases(before, before) == []
