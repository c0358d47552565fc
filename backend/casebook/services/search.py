"""The search service: the one entry point the API, the CLI and pages call (the engine is casebook.search).

It validates the query, adds the reader's access labels (from domain/access) and the reader's own
tenants as `hide` (so an owner finds its working copy, not also its published snapshot), asks the
backend its caller hands it (the runtime's: `runtime.search`), and builds highlights the same way for
every backend. The query and result types the presentation layers need are re-exported here, so they
import this service, never the engine.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from casebook.domain.access import Actor, actor_labels
from casebook.domain.errors import NotFound
from casebook.domain.search_filters import FACETS, KINDS
from casebook.domain.vocabulary import EVIDENCE_LEVELS
from casebook.search import sync
from casebook.search.highlight import highlight_all
from casebook.search.interface import (
    KIND_PATHS,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_RESULT_WINDOW,
    SNIPPET_FIELDS,
    EngineHit,
    EngineQuery,
    EngineResult,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from casebook.search.query import check, facet_name, validate
from casebook.settings import Settings

__all__ = ["FACETS", "KINDS", "MAX_PER_PAGE", "MAX_QUERY_CHARS", "MAX_RESULT_WINDOW", "SNIPPET_FIELDS", "Hit",
           "SearchBackend", "SearchQuery", "SearchResult", "SearchUnavailable", "check_drift", "facet_name",
           "make_backend", "own_tenants", "reindex", "search", "search_token", "suggest", "sync_pending", "validate"]

SUMMARY_CHARS = 280
EVIDENCE_ORDER = tuple(reversed(EVIDENCE_LEVELS))  # independently evaluated, documented, self-reported


def make_backend(settings: Settings) -> SearchBackend:
    """Meilisearch when MEILI_URL is set, else the embedded tantivy index under CASEBOOK_HOME."""
    if settings.meili_url:
        from casebook.search.meili_backend import MeiliBackend
        return MeiliBackend(settings.meili_url, settings.meili_key)
    from casebook.search.tantivy_backend import TantivyBackend
    return TantivyBackend(settings.index_dir)


def _short(text: str) -> str:
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text.rfind(" ", 0, SUMMARY_CHARS)
    return text[: cut if cut > 0 else SUMMARY_CHARS] + "…"


def own_tenants(actor: Actor) -> tuple[str, ...]:
    """The reader's tenant labels: published snapshots hidden from them (see search/documents.py)."""
    return tuple(f"t:{t}" for t in sorted(actor.roles))


def _hit(doc: dict[str, Any], score: float, marked: dict[str, str]) -> Hit:
    kind = doc.get("kind") or "case"
    slug, _, block = doc["slug"].partition("/blocks/")  # a block document: "{case slug}/blocks/{block id}"
    blocks = doc.get("building_blocks") or ""
    return Hit(kind=kind, tenant=doc["tenant"], slug=slug, title=doc["title"], country=doc.get("country"),
               score=score, highlights=marked, summary=_short(doc.get("summary") or ""),
               url=f"/{KIND_PATHS[kind]}/{doc['tenant']}/{doc['slug']}", block=block or None,
               evidence_level=doc.get("evidence_level") or None, status=doc.get("status") or None,
               building_blocks=len([line for line in blocks.split("\n") if line.strip()]))


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    """Non-zero counts, most frequent first, then by value: two sorts in C (the second one is stable)."""
    ordered = sorted(sorted(k for k, n in counts.items() if n), key=counts.__getitem__, reverse=True)
    return {k: counts[k] for k in ordered}


async def _run(backend: SearchBackend, query: EngineQuery) -> EngineResult:
    if getattr(backend, "blocking", False):
        return await asyncio.to_thread(backend.search, query)
    return backend.search(query)


Exclusions = tuple[tuple[str, tuple[str, ...]], ...]
"""(field, values) pairs a document must not match (EngineQuery.exclude)."""
Tier = tuple[tuple[str, ...], dict[str, tuple[str, ...]], Exclusions]


def _tiers(filters: dict[str, tuple[str, ...]], words: bool, exclude: Exclusions = ()) -> list[Tier]:
    """The evidence tiers a query spans, best first: (levels, filters, exclusions) each. Browsing, each level is
    a tier; with words, evaluated and documented records share the first (by relevance), so one evaluated
    case that barely matches does not head every search, while self-reported records still come after."""
    chosen = filters.get("evidence_level")
    groups = [EVIDENCE_ORDER[:2], EVIDENCE_ORDER[2:]] if words else [(level,) for level in EVIDENCE_ORDER]
    tiers: list[Tier] = []
    for group in groups:
        levels = tuple(v for v in group if chosen is None or v in chosen)
        if levels:
            tiers.append((levels, {**filters, "evidence_level": levels}, exclude))
    if chosen is None:  # records without a level (lessons, cases that do not say) come last
        tiers.append(((), filters, (*exclude, ("evidence_level", EVIDENCE_ORDER))))
    return tiers


async def _by_evidence(backend: SearchBackend, base: EngineQuery) -> EngineResult:
    """Best evidence level first (see _tiers), then relevance (or date without words): one engine query per tier
    the page overlaps, placed by the tier counts of a first query, so both backends need no extra index field."""
    whole = await _run(backend, replace(base, offset=0, limit=1))
    counts = whole.facets.get("evidence_level", {})
    known = sum(counts.get(level, 0) for level in EVIDENCE_ORDER)
    hits: list[EngineHit] = []
    start, want = base.offset, base.limit
    seen = 0
    for levels, filters, exclude in _tiers(base.filters, bool(base.clauses), base.exclude):
        size = sum(counts.get(level, 0) for level in levels) if levels else whole.total - known
        if want > 0 and size > 0 and start < seen + size:
            offset = max(0, start - seen)
            part = await _run(backend, replace(base, filters=filters, exclude=exclude, offset=offset,
                                               limit=min(want, size - offset)))
            hits += part.hits
            want -= len(part.hits)
            start = seen + size
        seen += size
    return EngineResult(total=whole.total, hits=hits, facets=whole.facets)


async def search(actor: Actor, query: SearchQuery, backend: SearchBackend) -> SearchResult:
    """`backend`: the caller's runtime's (handlers and commands pass `runtime.search`)."""
    clauses, filters = check(query)
    # Browsing (no words, no kind chosen) lists whole records: a case's building blocks would crowd it out.
    browse = () if clauses or "kind" in filters else (("kind", ("block",)),)
    engine_query = EngineQuery(text=query.q or "", clauses=clauses, labels=tuple(actor_labels(actor)),
                               filters=filters, offset=(query.page - 1) * query.per_page, limit=query.per_page,
                               sort=query.sort, hide=own_tenants(actor), exclude=browse)
    if query.sort == "evidence":
        found = await _by_evidence(backend, replace(engine_query, sort="relevance"))
    else:
        found = await _run(backend, engine_query)
    marked = highlight_all([h.doc for h in found.hits], clauses)
    hits = [_hit(h.doc, h.score, m) for h, m in zip(found.hits, marked, strict=True)]
    facets = {f: _by_count(found.facets.get(f, {})) for f in FACETS}
    return SearchResult(total=found.total, hits=hits, facets=facets, page=query.page, per_page=query.per_page)


async def suggest(actor: Actor, prefix: str, backend: SearchBackend, limit: int = 8) -> list[dict[str, Any]]:
    """Titles for search-as-you-type, from the same access-filtered search."""
    result = await search(actor, SearchQuery(q=prefix, per_page=limit), backend)
    return [{"kind": h.kind, "tenant": h.tenant, "slug": h.slug, "title": h.title, "url": h.url}
            for h in result.hits]


async def search_token(actor: Actor, backend: SearchBackend) -> dict[str, Any]:
    """A short-lived Meilisearch tenant token for searching directly from a browser."""
    if not hasattr(backend, "tenant_token"):
        raise NotFound("direct search needs the Meilisearch backend (set MEILI_URL)")
    return await asyncio.to_thread(backend.tenant_token, actor_labels(actor), list(own_tenants(actor)))


async def sync_pending(backend: SearchBackend) -> dict[str, Any]:
    """Applies the outbox's pending changes to `backend`."""
    return await sync.sync_pending(backend)


async def reindex(backend: SearchBackend) -> dict[str, Any]:
    """Rebuilds `backend`'s index from the database."""
    return await sync.reindex(backend)


async def check_drift(backend: SearchBackend) -> dict[str, Any]:
    """How `backend`'s index differs from the database (missing, stale, extra documents)."""
    return await sync.check(backend)
