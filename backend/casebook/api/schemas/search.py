"""Search answers beside the result page (which is `casebook.search.interface.SearchResult` itself)."""

from __future__ import annotations

from casebook.api.schemas import Shape


class Suggestion(Shape):
    kind: str
    tenant: str
    slug: str
    title: str
    url: str


class SearchToken(Shape):
    """A Meilisearch tenant token: search `index` at `url` directly until `expires_at`."""

    url: str
    index: str
    token: str
    expires_at: str
