"""`casebook import un-registry` and `undp-south-south`: records become valid cases as their sources mean
them, all or nothing, re-runnable, and searchable; with the real files when ../shared/data is present."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from casebook.db.tables import AuditEvent, CaseFacet, CaseRecord, CaseRevision, Outbox
from casebook.domain.access import ANONYMOUS
from casebook.domain.errors import InvalidInput
from casebook.importers.pipeline import convert as run_convert
from casebook.importers.un_registry import UN_REGISTRY
from casebook.importers.undp_south_south import UNDP_SOUTH_SOUTH
from casebook.search.interface import SearchQuery
from casebook.search.tantivy_backend import TantivyBackend
from casebook.services import cases, library, tenants
from casebook.services import search as service
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.data_files import DATA_DIR
from tests.search_fixtures import set_backend

DATA = DATA_DIR / "un-partnerships-2018.jsonl"
UNDP = DATA_DIR / "undp-south-south-2023.csv"


def convert(path: Path, this_year: int) -> tuple[list, list]:
    return run_convert(UN_REGISTRY, path, this_year)


# Made-up records in the registry's format (not copied from the registry).
RECORDS = [
    {"id": 9001, "hashtag": "#SDGAction9001", "url": "https://example.org/p/9001", "title": "Solar kiosks for islands",
     "description": "Description/achievement of initiativeKiosks sell solar lamps.   Implementation methodologies"
                    "Local women run them.Partner(s)-Sun Ltd-Island Council",
     "sdgs": [7, 5], "partners": [{"name": "Sun Ltd", "type": "Private sector"},
                                  {"name": "Governments:", "type": None}, {"name": "Ministry of Energy", "type": None},
                                  {"name": "Major Groups:", "type": None},
                                  {"name": "University of the Islands", "type": None},
                                  {"name": "Island NGO", "type": "NGO"}, {"name": "Open to additional partners"}],
     "countries": ["Fiji", "Samoa"], "resources": "Financing (in USD) : 5,000; Staff : two",
     "start": "- 2015-03-30", "end": None},
    {"id": 9002, "hashtag": "#SDGAction9002", "url": "https://example.org/p/9002", "title": "Clean rivers",
     "description": "Rivers are cleaned by schools.", "sdgs": [], "partners": [], "countries": ["Viet Nam"],
     "resources": "", "start": "June 2016", "end": "ongoing"},
    {"id": 9003, "title": "Reef watch", "description": "Divers count fish.", "sdgs": [14], "partners": [],
     "countries": [], "resources": "", "start": "2014-01-01", "end": "December 2017"},
]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_records_map_to_valid_cases(tmp_path):
    documents, problems = convert(write(tmp_path / "r.jsonl", [json.dumps(r) for r in RECORDS]), 2026)
    assert problems == []
    first = documents[0][1]
    assert first == {
        "slug": "un-9001-solar-kiosks-for-islands", "title": "Solar kiosks for islands", "country": None,
        "countries": ["FJ", "WS"], "period": {"start": None, "end": 2015}, "status": "completed",
        "summary": "Kiosks sell solar lamps.\n\nLocal women run them.",
        "partners": [{"name": "Sun Ltd", "type": "business-domestic"},
                     {"name": "Ministry of Energy", "type": "government-national"},
                     {"name": "University of the Islands", "type": "unknown"},
                     {"name": "Island NGO", "type": "civil-society"}],
        "resources": "Financing (in USD) : 5,000; Staff : two",
        "sdgs": [5, 7], "evidence_level": "self-reported",
        "sources": [{"title": "UN Partnerships for SDGs registry, #SDGAction9001", "publisher": "United Nations",
                     "year": 2018, "locator": "registry id 9001", "url": "https://example.org/p/9001"}],
    }
    second = documents[1][1]
    assert (second["country"], second["period"], second["status"]) == ("VN", {"start": 2016, "end": None},
                                                                       "active")
    assert "resources" not in second
    assert documents[2][1]["period"] == {"start": 2014, "end": 2017}


async def test_import_is_all_or_nothing_then_searchable(clean, tmp_path):
    tenant = await tenants.create_tenant("un", "UN registry")
    operator = system_actor(tenant["id"])
    bad = write(tmp_path / "bad.jsonl", [json.dumps(RECORDS[0]), "{not json", json.dumps(RECORDS[0])])
    documents, problems = convert(bad, 2026)
    assert [(p.line, p.field) for p in problems] == [(2, None), (3, "id")]
    good = write(tmp_path / "good.jsonl", [json.dumps(r) for r in RECORDS])
    documents, problems = convert(good, 2026)
    assert await library.import_documents(operator, "un", documents, "public") == {
        "created": 3, "updated": 0, "unchanged": 0}
    with pytest.raises(InvalidInput):  # a second import without replace changes nothing
        await library.import_documents(operator, "un", documents, "public")
    assert await CaseRecord.count() == 3
    # Re-run with one record changed: only that one gets a new version.
    documents[1][1]["summary"] = "Rivers are cleaned by schools and parents."
    assert await library.import_documents(operator, "un", documents, "public", replace=True) == {
        "created": 0, "updated": 1, "unchanged": 2}
    versions = {r["slug"]: r["version"] for r in await CaseRecord.select(CaseRecord.slug, CaseRecord.version)}
    assert sorted(versions.values()) == [1, 1, 2]
    assert await CaseRevision.count() == 4
    previous = set_backend(TantivyBackend(tmp_path / "index"))
    try:
        await service.sync_pending(RUNTIME.search)
        result = await service.search(ANONYMOUS, SearchQuery(q="solar kiosks", filters={"region": ["Polynesia"]}),
                                      RUNTIME.search)
        assert [h.slug for h in result.hits] == ["un-9001-solar-kiosks-for-islands"]
    finally:
        set_backend(previous)


@pytest.mark.data
@pytest.mark.skipif(not DATA.exists(), reason="../shared/data/un-partnerships-2018.jsonl is not here")
def test_the_whole_registry_maps_without_problems():
    documents, problems = convert(DATA, 2026)
    assert (len(documents), problems) == (3834, [])
    cases = [d for _, d in documents]
    names = [p["name"] for c in cases for p in c["partners"]]
    assert not [n for n in names if n.endswith(":")]  # headings are not partners
    assert {"Governments", "Major Groups", "UN System"}.isdisjoint(names)
    assert sum(1 for c in cases if c["period"]["start"] is None and c["period"]["end"]) >= 1000
    assert sum(1 for c in cases if c.get("resources")) == 2927
    assert {c["evidence_level"] for c in cases} == {"self-reported"}
    typed = [p["type"] for c in cases for p in c["partners"] if p["type"] != "unknown"]
    assert 600 < len(typed) < 3000 and typed.count("civil-society") < 1000


UNDP_ROWS = [
    "Number,Project Name,Links,Description,Host/Recipient Country/ies,Provider Country/ies,Regions Involved,"
    "Entity/ies Supporting and/or Implementing,Is the private sector involved?,Does it involve LDCs?,"
    "UNDP as Implementor,UNDP as Donor,Start year,End year,Thematic Areas,Sub-thematic areas,"
    "Primary SDG Contribution,Secondary SDG Contribution",
    '7,Seed banks for dry lands,https://example.org/7,"Farmers share seeds across borders.",KEN ,"BRA,IND",'
    '"Africa,LAC","Government of Brazil,UNDP,FAO,Seed Savers Network",YES,YES,YES,,2015,2019,'
    '"Agriculture and Food Security,Resilience",Seeds,SDG2 ,"SDG13,SDG17"',
    '8,Solar schools,,"Schools get panels.","ETH,DJI",,,"Sun Partners",,,,YES,2020,,Energy,,SDG7,',
]


def test_undp_rows_map_to_valid_cases(tmp_path):
    path = write(tmp_path / "undp.csv", UNDP_ROWS)
    documents, problems = run_convert(UNDP_SOUTH_SOUTH, path, 2026)
    assert problems == []
    first, second = documents[0][1], documents[1][1]
    assert first == {
        "slug": "undp-ss-7-seed-banks-for-dry-lands", "title": "Seed banks for dry lands", "country": "KE",
        "countries": ["BR", "IN"], "period": {"start": 2015, "end": 2019}, "status": "completed",
        "summary": "Farmers share seeds across borders.\n\nProvider countries: BR, IN. Regions involved: Africa,LAC. "
                   "The private sector is involved. It involves least developed countries. Themes: Agriculture and "
                   "Food Security, Resilience, Seeds.",
        "partners": [{"name": "UNDP", "type": "un-agency", "contribution": "UNDP as implementer"},
                     {"name": "Government of Brazil", "type": "government-national"},
                     {"name": "FAO", "type": "un-agency"}, {"name": "Seed Savers Network", "type": "unknown"}],
        "sdgs": [2, 13, 17], "evidence_level": "self-reported", "sectors": ["food-security", "resilience", "seeds"],
        "sources": [{"title": "UNDP South-South Galaxy: Seed banks for dry lands", "publisher": "UNDP",
                     "year": 2023, "locator": "project 7", "url": "https://example.org/7"}],
    }
    assert (second["country"], second["countries"], second["period"], second["status"]) == (
        None, ["ET", "DJ"], {"start": 2020, "end": None}, "active")
    assert second["partners"][0] == {"name": "UNDP", "type": "un-agency", "contribution": "UNDP as donor"}


def test_a_bad_undp_file_names_line_and_column(tmp_path):
    documents, problems = run_convert(UNDP_SOUTH_SOUTH, write(tmp_path / "x.csv", ["Number,Title", "1,x"]), 2026)
    assert [(p.line, p.message) for p in problems] == [(1, "cannot be read: missing column(s): Project Name, "
                                                           "Description, Host/Recipient Country/ies, "
                                                           "Provider Country/ies")]
    rows = [UNDP_ROWS[0], UNDP_ROWS[1].replace("7,", "x,", 1), UNDP_ROWS[2].replace(",SDG7,", ",SDG7,") + ""]
    documents, problems = run_convert(UNDP_SOUTH_SOUTH, write(tmp_path / "y.csv", rows), 2026)
    assert [(p.line, p.message) for p in problems] == [(2, "a project needs a whole-number `Number`")]


@pytest.mark.data
@pytest.mark.skipif(not UNDP.exists(), reason="../shared/data/undp-south-south-2023.csv is not here")
def test_the_whole_undp_file_maps_without_problems():
    documents, problems = run_convert(UNDP_SOUTH_SOUTH, UNDP, 2026)
    assert (len(documents), problems) == (273, [])
    cases = [d for _, d in documents]
    assert sum(1 for c in cases if c["country"] or c.get("countries")) >= 250
    assert sum(1 for c in cases if c["sdgs"]) >= 260
    assert sum(1 for c in cases if "The private sector is involved." in c["summary"]) == 91


async def test_bulk_import_writes_what_single_writes_write(clean, tmp_path):
    """Facets, outbox entries and revisions of a bulk import, exactly as one record at a time would."""
    tenant = await tenants.create_tenant("un", "UN registry")
    documents, _ = convert(write(tmp_path / "r.jsonl", [json.dumps(r) for r in RECORDS]), 2026)
    await library.import_documents(system_actor(tenant["id"]), "un", documents, "public")
    facets = await CaseFacet.select(CaseFacet.facet, CaseFacet.value).where(CaseFacet.facet == "partner_types")
    assert sorted(f["value"] for f in facets) == ["business-domestic", "civil-society", "government-national",
                                                  "unknown"]
    assert await Outbox.count() == 3
    rows = await CaseRecord.select(CaseRecord.publication, CaseRecord.published_version)
    assert {(r["publication"], r["published_version"]) for r in rows} == {("published", 1)}
    slug = documents[0][1]["slug"]
    case = await cases.get_case(ANONYMOUS, "un", slug)  # read back as any other case: the published snapshot
    assert (case["case"], case["version"], case["visibility"]) == (documents[0][1], 1, "public")
    assert isinstance(case["updated_at"], datetime)
    history = await cases.revisions(system_actor(tenant["id"]), "un", slug)
    assert [(r["version"], r["action"], r["published_at"] is not None) for r in history] == [(1, "import", True)]
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.target).where(AuditEvent.target == f"un/{slug}")
    assert sorted(e["action"] for e in events) == ["case.approve", "case.import"]
    # Imported again as private: the snapshots come down and their approved revisions are withdrawn for good.
    assert (await library.import_documents(system_actor(tenant["id"]), "un", documents, "private", replace=True)
            )["updated"] == 3
    rows = await CaseRecord.select(CaseRecord.publication, CaseRecord.published_data, CaseRecord.version)
    assert {(r["publication"], r["published_data"], r["version"]) for r in rows} == {("withdrawn", None, 2)}
    revs = await CaseRevision.select(CaseRevision.version, CaseRevision.withdrawn)
    assert sorted((r["version"], r["withdrawn"]) for r in revs) == [(1, True)] * 3 + [(2, False)] * 3
