"""Ranking at real size: the 3,834 UN registry records imported next to the 16 seed cases (needs ../shared/data)."""

from __future__ import annotations

import pytest

from casebook.domain.access import ANONYMOUS
from casebook.importers.pipeline import convert
from casebook.importers.un_registry import UN_REGISTRY
from casebook.search.interface import SearchQuery
from casebook.search.tantivy_backend import TantivyBackend
from casebook.services import library, tenants
from casebook.services import search as service
from casebook.services.actors import system_actor
from casebook.settings import CASES_DIR
from tests.conftest import RUNTIME, wipe
from tests.data_files import DATA_DIR
from tests.search_fixtures import set_backend

REGISTRY = DATA_DIR / "un-partnerships-2018.jsonl"
pytestmark = [pytest.mark.data,
              pytest.mark.skipif(not REGISTRY.exists(), reason="../shared/data/un-partnerships-2018.jsonl is not here")]


@pytest.fixture(scope="module")
async def at_scale(migrated, tmp_path_factory):
    await wipe()
    owner = system_actor((await tenants.create_tenant("library", "Library"))["id"])
    await library.import_files(owner, "library", [CASES_DIR], "public")
    documents, problems = convert(UN_REGISTRY, REGISTRY, 2026)
    assert problems == []
    assert (await library.import_documents(owner, "library", documents, "public"))["created"] == 3834
    previous = set_backend(TantivyBackend(tmp_path_factory.mktemp("scale")))
    await service.sync_pending(RUNTIME.search)
    yield
    set_backend(previous)


async def top(q: str, n: int = 10) -> list[str]:
    return [h.slug for h in (await service.search(ANONYMOUS, SearchQuery(q=q, per_page=n), RUNTIME.search)).hits]


async def test_mistrust_mining_finds_the_documented_cases_first(at_scale):
    found = await top("mistrust mining")
    assert {"bosnia-zenica-steelworks", "liberia-concessions-hsbp"} <= set(found)
    assert found[0] == "bosnia-zenica-steelworks"  # distrust and mining both in the case


@pytest.mark.parametrize(("q", "first"), [
    ("polio vaccination", "india-pulse-polio"),
    ("waste pickers", "vietnam-enda-waste"),
])
async def test_what_a_user_would_type_finds_the_seed_case_first(at_scale, q, first):
    assert (await top(q, 3))[0] == first


async def test_records_with_every_word_come_first(at_scale):
    """The first hits for "mobile money" are the seed case and registry records whose text has both words."""
    records = {str(r["id"]): r for _, r in UN_REGISTRY.read(REGISTRY)}
    found = await top("mobile money ", 6)
    assert "kenya-tanzania-vodafone-undp-mobile-money" in found[:3]
    for slug in (s for s in found if s.startswith("un-")):
        record = records[slug.split("-")[1]]
        text = f"{record['title']} {record['description']}".lower()
        assert "mobile" in text and "money" in text, slug
