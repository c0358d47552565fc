"""GET /api/v1/search: full-text search over cases and lessons, with facet filters, highlights and facet
counts."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from casebook.api.params import ActorDep, QueryStr, RuntimeDep
from casebook.api.schemas import shaped
from casebook.api.schemas.search import SearchToken, Suggestion
from casebook.domain.errors import InvalidInput, Problem
from casebook.services import search as service
from casebook.services.search import FACETS, SearchQuery, SearchResult

PLAIN = ("q", "page", "per_page", "sort")


def _int(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(Problem("must be a whole number", field=name)) from None


def query_from(params: Any) -> SearchQuery:
    """Builds a SearchQuery from query-string pairs; facets repeat (?sdg=3&sdg=8) or use commas."""
    filters: dict[str, list[str]] = {}
    for key, value in params.multi_items():
        if key in PLAIN:
            continue
        parts = [p for p in str(value).split(",") if p.strip()] or [str(value)]
        filters.setdefault(key, []).extend(parts)
    return SearchQuery(q=params.get("q") or "", filters=filters, page=_int(params.get("page"), "page", 1),
                       per_page=_int(params.get("per_page"), "per_page", 20),
                       sort=params.get("sort") or "relevance")


class SearchController(Controller):
    path = "/search"
    tags = ["search"]

    @get("/", summary="Search the cases and lessons you may read",
         description="Parameters: q, page, per_page, sort (relevance|date) and any facet as a filter "
                     f"({', '.join(FACETS)}); repeat a facet or separate values with commas. `kind` is case "
                     "or lesson; each hit carries its kind and the url of its page. Outside its owner "
                     "organisation a record is found by its published snapshot only.")
    async def search(self, request: Request, actor: ActorDep, runtime: RuntimeDep) -> SearchResult:
        return await service.search(actor, query_from(request.query_params), runtime.search)

    @get("/suggest", summary="Titles for search-as-you-type")
    async def suggest(self, actor: ActorDep, runtime: RuntimeDep, q: QueryStr = "") -> list[Suggestion]:
        if len(q) > 200:
            raise InvalidInput(Problem("must be 200 characters or fewer", field="q"))
        return shaped(list[Suggestion], await service.suggest(actor, q, backend=runtime.search))

    @get("/token", summary="A short-lived Meilisearch tenant token for direct searches (Meilisearch only)")
    async def token(self, actor: ActorDep, runtime: RuntimeDep) -> SearchToken:
        return shaped(SearchToken, await service.search_token(actor, runtime.search))
