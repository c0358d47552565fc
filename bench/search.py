"""Search benchmark: seed library + UN registry + synthetic cases, then latency of service, HTTP and raw engine.

    python -m bench.search [--total 10000] [--runs 5]     # also --total 50000

Prints JSON: latencies, peak RSS of the process and the size of the index on disk. Runs in a throwaway
CASEBOOK_HOME (SQLite, embedded tantivy). The UN registry part is skipped, and said so in the output,
when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ["CASEBOOK_HOME"] = tempfile.mkdtemp(prefix="casebook-bench-")
os.environ.pop("CASEBOOK_DATABASE_URL", None)
os.environ.pop("MEILI_URL", None)
logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request would drown the JSON

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data") if p.is_dir()),
                ROOT.parent / "shared" / "data")  # next to the repository, or to the main checkout of a worktree
UN_DATA = DATA_DIR / "un-partnerships-2018.jsonl"
QUERIES = [
    "mistrust mining concession", "youth hospitality training", "water sanitation", "hospi", "concesion",
    "women rights", "climate adaptation islands", "grievance mechanism", "TNC", "Bosnia", "sdg 16",
    "education", "renewable energy", "ocean", "health workers", "fisheries", "agricultur", "peace", "urban waste",
    "microfinance", "community dialogue trust", "disaster response", "policy advocacy", "partnership",
]
FILTERS = [{}, {}, {"sdg": ["6"]}, {"region": ["Africa"]}, {"status": ["active"]}, {"country": ["IN"]}]
WORDS = ("community water school health women youth farmers energy solar market trust dialogue training "
         "mining forest ocean climate finance savings cooperative clinic housing waste recycling road "
         "governance monitoring mediation grievance inclusion disability migrants fisheries coffee cocoa").split()


def synthetic(n: int, rng: random.Random) -> dict[str, Any]:
    text = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))  # noqa: E731
    return {
        "slug": f"synthetic-{n}", "title": f"Synthetic {text(5)}",
        "country": rng.choice(["IN", "KE", "CO", "PH", "BR"]),
        "status": rng.choice(["active", "completed", "proposed"]), "summary": text(120),
        "sdgs": sorted(rng.sample(range(1, 18), 3)), "sectors": [rng.choice(["agriculture", "health", "energy"])],
        "lessons": [text(30), text(30)], "challenges": [rng.choice(["mistrust", "funding", "capacity"])],
        "partners": [{"name": f"Partner {text(2)}", "type": "civil-society"}],
        "evidence_level": "self-reported", "period": {"start": rng.randint(2000, 2024), "end": None},
        "sources": [{"title": "Synthetic", "locator": f"n{n}"}],
    }


def pcts(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2), "n": len(ordered)}


async def load(total: int) -> dict[str, Any]:
    from casebook.db.migrate import migrate
    from casebook.importers.pipeline import convert
    from casebook.importers.un_registry import UN_REGISTRY
    from casebook.services import library, tenants
    from casebook.services.actors import system_actor
    from casebook.settings import CASES_DIR

    await migrate()
    tenant = await tenants.create_tenant("library", "Library")
    operator = system_actor(tenant["id"])
    info: dict[str, Any] = {}
    info["seed"] = (await library.import_files(operator, "library", [CASES_DIR], "public"))[
        "created"]
    if UN_DATA.exists():
        documents, problems = convert(UN_REGISTRY, UN_DATA, 2026)
        assert not problems, problems[:3]
        info["un_registry"] = (await library.import_documents(operator, "library", documents, "public"))["created"]
    else:
        info["un_registry"] = f"skipped: {UN_DATA} is absent"
    have = info["seed"] + (info["un_registry"] if isinstance(info["un_registry"], int) else 0)
    rng = random.Random(7)
    batch: list[tuple[str, dict]] = []
    for n in range(max(0, total - have)):
        batch.append((f"synthetic-{n}", synthetic(n, rng)))
        if len(batch) == 5000:
            await library.import_documents(operator, "library", batch, "public")
            batch = []
    if batch:
        await library.import_documents(operator, "library", batch, "public")
    info["synthetic"] = max(0, total - have)
    info["cases"] = have + info["synthetic"]
    return info


def raw_engine_query(backend: Any, q: str, filters: dict[str, list[str]]) -> Any:
    """The plain BM25 tantivy query of (q, filters) as an anonymous reader (text AND access AND filters),
    built once, untimed: the service runs it too, plus the ranking-rule queries over a candidate pool."""
    from casebook.domain.access import ANONYMOUS, actor_labels
    from casebook.search.interface import EngineQuery, SearchQuery
    from casebook.search.query import check
    from casebook.services.search import own_tenants

    clauses, checked = check(SearchQuery(q=q, filters=filters))
    query = EngineQuery(text=q, clauses=clauses, labels=tuple(actor_labels(ANONYMOUS)), filters=checked, offset=0,
                        limit=20, sort="relevance", hide=own_tenants(ANONYMOUS))
    return backend._query(query, backend._ranks(query))[2]


def raw_query(searcher: Any, final: Any) -> int:
    """The engine alone: top 20, their stored fields, and the total + facet-count aggregation. Like the
    service, the top-20 search does not count (the aggregation does), so neither pays for it twice."""
    from casebook.search.tantivy_backend import FACET_AGGREGATION

    found = searcher.search(final, 20, count=False)
    docs = [searcher.doc(address).to_dict() for _, address in found.hits]
    searcher.aggregate(final, FACET_AGGREGATION)
    return len(docs)


async def measure(runs: int) -> dict[str, Any]:
    import httpx

    from casebook import active
    from casebook.app import create_app
    from casebook.domain.access import ANONYMOUS
    from casebook.services import search as service
    from casebook.services.search import SearchQuery

    backend = active.require().search
    started = time.perf_counter()
    built = await service.reindex(backend)
    build_s = time.perf_counter() - started
    cases = [(q, f) for q in QUERIES for f in FILTERS[:2]] + [(q, f) for q in QUERIES[:6] for f in FILTERS[2:]]
    for q, f in cases:  # warm up
        await service.search(ANONYMOUS, SearchQuery(q=q, filters=f), backend)
    engine_queries = [raw_engine_query(backend, q, f) for q, f in cases]
    searcher = backend.index().searcher()
    svc, raw, http = [], [], []

    async def timed_service(q: str, f: dict[str, list[str]]) -> None:
        t = time.perf_counter()
        await service.search(ANONYMOUS, SearchQuery(q=q, filters=f), backend)
        svc.append((time.perf_counter() - t) * 1000)

    def timed_raw(final: Any) -> None:
        t = time.perf_counter()
        raw_query(searcher, final)
        raw.append((time.perf_counter() - t) * 1000)

    for run in range(runs):
        for (q, f), final in zip(cases, engine_queries, strict=True):
            # The second of a pair finds the query's postings warm in the CPU caches: take turns.
            if run % 2 == 0:
                await timed_service(q, f)
                timed_raw(final)
            else:
                timed_raw(final)
                await timed_service(q, f)
    app = create_app(active.require())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for _ in range(runs):
            for q, f in cases:
                params = {"q": q, **{k: ",".join(v) for k, v in f.items()}}
                t = time.perf_counter()
                response = await client.get("/api/v1/search", params=params)
                http.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, response.text
    service_p, raw_p = pcts(svc), pcts(raw)
    index_bytes = sum(f.stat().st_size for f in Path(os.environ["CASEBOOK_HOME"], "index").rglob("*") if f.is_file())
    return {
        "indexed": built["indexed"], "index_build_s": round(build_s, 2),
        "index_mb": round(index_bytes / 1e6, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "service": service_p, "http": pcts(http),
        "raw_engine": raw_p,
        "service_to_raw_ratio": {"p50": round(service_p["p50_ms"] / raw_p["p50_ms"], 2),
                                 "p95": round(service_p["p95_ms"] / raw_p["p95_ms"], 2)},
        "targets": {"service_p95_below_20ms": service_p["p95_ms"] < 20,
                    "within_1_5x_raw_p50": service_p["p50_ms"] <= 1.5 * raw_p["p50_ms"]},
        "measures": {
            "service": "casebook.services.search.search(ANONYMOUS, SearchQuery) in-process: validation, synonym "
                       "expansion, access labels, engine query (top 20 + count + facet counts), stored fields "
                       "of the page, highlights (title + 2 passages per hit, from the stored snippet material), "
                       "summaries. The backend caches built engine-query objects, so repeated runs skip building "
                       "them (as raw_engine does); stored fields and highlights are not cached",
            "http": "GET /api/v1/search through the ASGI app (routing, auth, JSON), in-process httpx client",
            "raw_engine": "the plain BM25 engine query run directly on a tantivy Searcher opened once: the "
                          "same text query, access filter and facet filters (built before timing), top 20 by "
                          "BM25 without counting (the service also ranks a candidate pool by the ranking rules: "
                          "three searches instead of one), stored fields of the 20 hits (the same "
                          "fields the service reads), and the aggregation that counts the total and every facet "
                          "value",
            "cases": f"{len(cases)} query/filter pairs x {runs} runs, after one warm-up pass; service and "
                     "raw_engine interleaved per query, taking turns at going first",
        },
    }


async def main(total: int, runs: int) -> dict[str, Any]:
    from casebook.runtime import Runtime
    started = time.perf_counter()
    async with Runtime.build().running(pool=False):
        info = await load(total)
        info["load_s"] = round(time.perf_counter() - started, 1)
        return {"library": info, **(await measure(runs))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--total", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    try:
        print(json.dumps(asyncio.run(main(args.total, args.runs)), indent=2))
    finally:
        shutil.rmtree(os.environ["CASEBOOK_HOME"], ignore_errors=True)  # the throwaway home
