"""The Meilisearch backend, through the official client.

Settings come from search/meilisearch.json plus the shared synonyms. The access filter (one of the
reader's labels, none of its own tenants in `hide`) is part of every query this backend runs; browsers
that search Meilisearch directly get a tenant token whose search rules carry the same filter (see
`tenant_token`). A rebuild fills a temporary index and then
swaps it with the live one, so searches never see a half-built index.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

import meilisearch
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError, MeilisearchTimeoutError

from casebook.search.interface import (
    EVIDENCE_RANK,
    FACETS,
    EngineHit,
    EngineQuery,
    EngineResult,
    SearchUnavailable,
)
from casebook.search.vocabulary import meili_synonyms
from casebook.settings import SEARCH_CONFIG_DIR

INDEX = "cases"
BATCH = 1000
TASK_TIMEOUT_MS = 120_000
TOKEN_TTL = timedelta(minutes=5)
RETRIEVE = ["id", "kind", "tenant", "slug", "title", "country", "summary", "tags", "lessons", "building_blocks",
            "challenges", "partners", "words", "fp", "status", "evidence_level"]
ENGINE_ERRORS = (MeilisearchCommunicationError, MeilisearchApiError, MeilisearchTimeoutError, OSError)


def index_settings() -> dict[str, Any]:
    config = json.loads((SEARCH_CONFIG_DIR / "meilisearch.json").read_text(encoding="utf-8"))
    return {**config["settings"], "synonyms": meili_synonyms()}


def engine_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as Meilisearch stores it: plus `evidence_rank`, the number the custom ranking rule sorts by."""
    levels = doc.get("evidence_level") or []
    return {**doc, "evidence_rank": max((EVIDENCE_RANK.get(v, 0) for v in levels), default=0)}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label_filter(labels: Iterable[str]) -> str:
    return f"labels IN [{', '.join(_quote(v) for v in labels)}]"


def access_filter(labels: Iterable[str], hide: Iterable[str]) -> str:
    """One of the reader's labels, and not a snapshot hidden from the reader's own tenants."""
    hidden = list(hide)
    shown = label_filter(labels)
    return f"{shown} AND NOT hide IN [{', '.join(_quote(v) for v in hidden)}]" if hidden else shown


def _unavailable(method: Any) -> Any:
    @wraps(method)
    def wrapper(self: MeiliBackend, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ENGINE_ERRORS as exc:
            raise SearchUnavailable(f"Meilisearch at {self.url} failed: {exc}") from exc
    return wrapper


class MeiliBackend:
    name = "meilisearch"
    blocking = True  # the client does HTTP: the service runs it in a thread

    def __init__(self, url: str, key: str | None, index: str = INDEX) -> None:
        self.url, self.key, self.uid = url, key, index
        self.client = meilisearch.Client(url, key, timeout=10)
        self._ready = False

    def _wait(self, task: Any) -> None:
        uid = getattr(task, "task_uid", None)
        if uid is None:
            uid = task["taskUid"]
        done = self.client.wait_for_task(uid, timeout_in_ms=TASK_TIMEOUT_MS, interval_in_ms=20)
        status = getattr(done, "status", None) or done["status"]
        if status != "succeeded":
            error = getattr(done, "error", None) or {}
            raise SearchUnavailable(f"Meilisearch task {uid} {status}: {error}")

    def _prepare(self, uid: str) -> Any:
        try:
            self.client.get_index(uid)
        except MeilisearchApiError:
            self._wait(self.client.create_index(uid, {"primaryKey": "id"}))
        index = self.client.index(uid)
        self._wait(index.update_settings(index_settings()))
        return index

    def _index(self) -> Any:
        if not self._ready:
            self._prepare(self.uid)
            self._ready = True
        return self.client.index(self.uid)

    @_unavailable
    def upsert(self, docs: list[dict[str, Any]]) -> None:
        index = self._index()
        for start in range(0, len(docs), BATCH):
            self._wait(index.add_documents([engine_document(d) for d in docs[start:start + BATCH]],
                                           primary_key="id"))

    @_unavailable
    def delete(self, ids: list[str]) -> None:
        self._wait(self._index().delete_documents(list(ids)))

    @_unavailable
    def rebuild(self, docs: Iterable[dict[str, Any]]) -> None:
        self._index()
        temporary = f"{self.uid}_rebuild_{int(time.time() * 1000)}"
        fresh = self._prepare(temporary)
        batch: list[dict[str, Any]] = []
        for doc in docs:
            batch.append(engine_document(doc))
            if len(batch) >= BATCH:
                self._wait(fresh.add_documents(batch, primary_key="id"))
                batch = []
        if batch:
            self._wait(fresh.add_documents(batch, primary_key="id"))
        self._wait(self.client.swap_indexes([{"indexes": [self.uid, temporary]}]))
        self._wait(self.client.delete_index(temporary))

    def _filter(self, query: EngineQuery) -> list[str]:
        parts = [access_filter(query.labels, query.hide)]
        for facet, values in query.filters.items():
            parts.append(f"{facet} IN [{', '.join(_quote(v) for v in values)}]")
        for facet, values in query.exclude:
            parts.append(f"NOT {facet} IN [{', '.join(_quote(v) for v in values)}]")
        return parts

    @_unavailable
    def search(self, query: EngineQuery) -> EngineResult:
        if not query.labels:
            return EngineResult(0, [], {f: {} for f in FACETS})
        words = " ".join(w for c in query.clauses for w in c.phrases[0])
        if words and query.text[-1:].isspace():
            words += " "  # no prefix match on a finished word, as in the embedded backend
        by_date = query.sort == "date" or not query.clauses
        params: dict[str, Any] = {
            "filter": self._filter(query), "facets": list(FACETS), "hitsPerPage": query.limit,
            "page": query.offset // query.limit + 1, "attributesToRetrieve": RETRIEVE,
            "showRankingScore": True, "matchingStrategy": "last",
        }
        if by_date:
            params["sort"] = ["date:desc"]
        found = self._index().search(words, params)
        skip = query.offset % query.limit  # an offset off the page grid (evidence tiers): two pages, sliced
        if skip:
            following = self._index().search(words, {**params, "page": params["page"] + 1})
            found["hits"] = (found["hits"] + following["hits"])[skip:skip + query.limit]
        hits = []
        for hit in found["hits"]:
            doc = dict(hit)
            doc["country"] = (doc.get("country") or [None])[0]
            doc["kind"] = (doc.get("kind") or ["case"])[0]
            for name in ("status", "evidence_level"):
                doc[name] = (doc.get(name) or [None])[0]
            score = 0.0 if by_date else round(float(hit.get("_rankingScore") or 0.0), 4)
            hits.append(EngineHit(doc=doc, score=score))
        facets = {f: dict(found.get("facetDistribution", {}).get(f, {})) for f in FACETS}
        return EngineResult(total=found.get("totalHits", len(hits)), hits=hits, facets=facets)

    @_unavailable
    def fingerprints(self) -> dict[str, str]:
        index, out, offset = self._index(), {}, 0
        while True:
            page = index.get_documents({"fields": ["id", "fp"], "limit": BATCH, "offset": offset})
            results = page.results if hasattr(page, "results") else page["results"]
            for doc in results:
                doc = doc if isinstance(doc, dict) else dict(doc.__dict__)
                out[str(doc["id"])] = doc.get("fp")
            if len(results) < BATCH:
                return out
            offset += BATCH

    @_unavailable
    def raw_search(self, text: str, limit: int = 20) -> int:
        return len(self._index().search(text, {"limit": limit})["hits"])

    @_unavailable
    def tenant_token(self, labels: list[str], hide: list[str]) -> dict[str, Any]:
        """A short-lived token for searching this index directly, restricted as the reader's own searches."""
        keys = self.client.get_keys({"limit": 100}).results
        key = next((k for k in keys if "search" in k.actions or "*" in k.actions), None)
        if key is None:
            raise SearchUnavailable("Meilisearch has no search API key to sign tenant tokens with")
        token, expires = sign_tenant_token(self.client, key.uid, key.key, self.uid, labels, hide)
        return {"url": self.url, "index": self.uid, "token": token, "expires_at": expires.isoformat()}


def sign_tenant_token(client: Any, key_uid: str, key: str, index: str, labels: list[str],
                      hide: list[str]) -> tuple[str, datetime]:
    """A JWT whose search rules filter `index` as `access_filter` does; expires in minutes."""
    expires = datetime.now(UTC) + TOKEN_TTL
    rules = {index: {"filter": access_filter(labels, hide)}}
    token = client.generate_tenant_token(api_key_uid=key_uid, search_rules=rules, expires_at=expires, api_key=key)
    return token, expires
