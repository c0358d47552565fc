"""Search test helpers: the backends under contract, and a small library whose content tests assert on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from casebook.search.tantivy_backend import TantivyBackend
from casebook.services import cases, tenants
from casebook.services import search as service
from casebook.services.actors import system_actor
from tests.conftest import RUNTIME
from tests.factory import make_case

BACKENDS = ["tantivy", "meilisearch"]


def make_backend(kind: str, folder: Path) -> Any:
    """A real backend: tantivy in `folder`, or Meilisearch at MEILI_URL (skipped, with the reason, without it)."""
    if kind == "meilisearch":
        url = os.environ.get("MEILI_URL")
        if not url:
            pytest.skip("MEILI_URL is not set: the Meilisearch contract tests need a running Meilisearch server")
        from casebook.search.meili_backend import MeiliBackend
        return MeiliBackend(url, os.environ.get("MEILI_MASTER_KEY"), index=f"cases_test_{os.getpid()}_{folder.name}")
    return TantivyBackend(folder)


LIBRARY = [
    make_case("mining-liberia", title="Rebuilding trust around mining concessions", country="LR",
              summary="Villagers and a transnational company overcome mistrust about the concession.",
              sectors=["mining"], sdgs=[16], status="active", period={"start": 2012, "end": None},
              evidence_level="documented", scaling=[{"dimension": "physical", "description": "Two more sites."}],
              human_security=["economic"], challenges=["mistrust"], lessons=["Agree on grievance channels early."]),
    make_case("youth-hospitality-kh", title="Hospitality training for youth in Siem Reap", country="KH",
              summary="Young adults from poor families get hospitality training and hotel internships.",
              sectors=["hospitality"], sdgs=[4, 8], status="completed", period={"start": 2015, "end": 2019},
              evidence_level="independently-evaluated", human_security=["economic"], challenges=["unemployment"],
              scaling=[{"dimension": "social", "description": "More provinces."}], lessons=["Hotels co-design."]),
    make_case("zenica-ba", title="Company and community dialogue in Zenica", country="BA",
              summary="Steelworks pollution led to mediation between the plant and residents.",
              sectors=["steel"], sdgs=[3, 16], status="proposed", period={"start": 2004, "end": None},
              evidence_level="documented", human_security=["environmental", "health"], challenges=["pollution"],
              lessons=["Confidential mediation builds trust."]),
    make_case("wash-ph", title="Water & sanitation <script>alert(1)</script> pilot", country="PH",
              summary="A municipality and a utility bring piped water to island villages.",
              sectors=["water-sanitation"], sdgs=[6], status="proposed", period={"start": None, "end": None},
              evidence_level="self-reported", human_security=["health"], challenges=["access"],
              scenarios=["service-delivery"], lessons=["Tariffs need a social component."]),
]


async def seed_library() -> None:
    """Tenant `lib` with the four public cases above (no index work: callers sync or reindex)."""
    tenant = await tenants.create_tenant("lib", "Library")
    owner = system_actor(tenant["id"])
    for case in LIBRARY:
        await cases.create_case(owner, "lib", case, "public")


def set_backend(backend: Any) -> Any:
    """Makes `backend` the run's runtime's search backend (None: the settings' own, rebuilt on next use);
    returns the one it replaces, for putting back."""
    previous, RUNTIME.search = RUNTIME.search_if_built, backend
    return previous


async def use(backend: Any) -> Any:
    previous = set_backend(backend)
    await service.reindex(RUNTIME.search)
    return previous


def seeded_library_fixture(folder: str) -> Any:
    """A module fixture: a tantivy index over the small library, made the service's backend meanwhile."""
    @pytest.fixture(scope="module")
    async def library(migrated: None, tmp_path_factory: pytest.TempPathFactory) -> Any:
        from tests.conftest import wipe
        backend = make_backend("tantivy", tmp_path_factory.mktemp(folder))
        await wipe()
        await seed_library()
        previous = await use(backend)
        yield backend
        set_backend(previous)
    return library
