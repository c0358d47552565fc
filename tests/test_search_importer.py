"""`casebook import un-registry`: registry records become valid cases, all or nothing, and are searchable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casebook.db.tables import CaseRecord
from casebook.domain.access import ANONYMOUS
from casebook.domain.errors import InvalidInput
from casebook.importers.un_registry import convert
from casebook.search import service
from casebook.search.interface import SearchQuery
from casebook.search.tantivy_backend import TantivyBackend
from casebook.services import library, tenants
from casebook.services.actors import system_actor

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "un-partnerships-2018.jsonl"
# Made-up records in the registry's format (not copied from the registry).
RECORDS = [
    {"id": 9001, "hashtag": "#SDGAction9001", "url": "https://example.org/p/9001", "title": "Solar kiosks for islands",
     "description": "Description/achievement of initiativeKiosks sell solar lamps.   Implementation methodologies"
                    "Local women run them.Partner(s)-Sun Ltd-Island Council",
     "sdgs": [7, 5], "partners": [{"name": "Sun Ltd", "type": "Private sector"},
                                  {"name": "Ministry of Energy", "type": None},
                                  {"name": "University of the Islands", "type": None}],
     "countries": ["Fiji", "Samoa"], "resources": "", "start": "- 2015-03-30", "end": "December 2017"},
    {"id": 9002, "hashtag": "#SDGAction9002", "url": "https://example.org/p/9002", "title": "Clean rivers",
     "description": "Rivers are cleaned by schools.", "sdgs": [], "partners": [], "countries": ["Viet Nam"],
     "resources": "", "start": "June 2016", "end": "ongoing"},
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
        "countries": ["FJ", "WS"], "period": {"start": 2015, "end": 2017}, "status": "completed",
        "summary": "Kiosks sell solar lamps.\n\nLocal women run them.",
        "partners": [{"name": "Sun Ltd", "type": "business-domestic"},
                     {"name": "Ministry of Energy", "type": "government-national"},
                     {"name": "University of the Islands", "type": "academia"}],
        "sdgs": [5, 7], "evidence_level": "self-reported",
        "sources": [{"title": "UN Partnerships for SDGs registry, #SDGAction9001", "publisher": "United Nations",
                     "year": 2018, "locator": "registry id 9001", "url": "https://example.org/p/9001"}],
    }
    second = documents[1][1]
    assert (second["country"], second["period"], second["status"]) == ("VN", {"start": 2016, "end": None},
                                                                       "active")


async def test_import_is_all_or_nothing_then_searchable(clean, tmp_path):
    tenant = await tenants.create_tenant("un", "UN registry")
    operator = system_actor(tenant["id"])
    bad = write(tmp_path / "bad.jsonl", [json.dumps(RECORDS[0]), "{not json", json.dumps(RECORDS[0])])
    documents, problems = convert(bad, 2026)
    assert [(p.line, p.field) for p in problems] == [(2, None), (3, "id")]
    good = write(tmp_path / "good.jsonl", [json.dumps(r) for r in RECORDS])
    documents, problems = convert(good, 2026)
    await library.import_documents(operator, "un", documents, "public")
    with pytest.raises(InvalidInput):  # a second import without --replace changes nothing
        await library.import_documents(operator, "un", documents, "public")
    assert await CaseRecord.count() == 2
    previous = service.set_backend(TantivyBackend(tmp_path / "index"))
    try:
        await service.sync_pending()
        result = await service.search(ANONYMOUS, SearchQuery(q="solar kiosks", filters={"region": ["Polynesia"]}))
        assert [h.slug for h in result.hits] == ["un-9001-solar-kiosks-for-islands"]
    finally:
        service.set_backend(previous)


@pytest.mark.data
@pytest.mark.skipif(not DATA.exists(), reason="../shared/data/un-partnerships-2018.jsonl is not here")
def test_the_whole_registry_maps_without_problems():
    documents, problems = convert(DATA, 2026)
    assert (len(documents), problems) == (3834, [])
