"""The small interface every search backend implements, and the query/result types of the service.

A backend only indexes documents (see documents.py) and answers `EngineQuery`s; validation, access
labels and synonyms are decided once, in the service, so both backends behave the same. Cases and
lessons (and the building blocks of cases) share one index; a document's `kind` tells them apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from casebook.domain.errors import CasebookError
from casebook.domain.search_filters import FACETS, KINDS  # noqa: F401  (the engine's names for them too)

KIND_PATHS = {"case": "cases", "lesson": "lessons", "block": "cases"}  # page URLs: /{path}/{tenant}/{slug}
SORTS = ("relevance", "date", "evidence")  # evidence: best evidence level first, then relevance (or date)
# Searchable text fields and their BM25 boosts. A lesson's body is its `summary`, its tags are `tags`.
FIELD_BOOSTS = {"title": 4.0, "challenges": 2.0, "tags": 2.0, "partners": 1.5, "summary": 1.5,
                "building_blocks": 1.5, "lessons": 1.2, "extra": 0.5}
# Fields a snippet may come from, in the order a result shows them; the title is always marked whole.
SNIPPET_FIELDS = ("summary", "tags", "challenges", "lessons", "building_blocks", "partners")
HIGHLIGHT_FIELDS = ("title", *SNIPPET_FIELDS)
# The ranking both backends follow (Meilisearch's own rules, then ours; see search/meilisearch.json and
# search/tantivy_ranking.py), and the order of attributes for the "attribute" rule (searchableAttributes).
RANKING_RULES = ("words", "typo", "proximity", "attribute", "sort", "exactness", "evidence_rank:desc")
ATTRIBUTE_ORDER = ("title", "tags", "summary", "lessons", "building_blocks", "challenges", "partners", "extra")
# Quality tie-break: better-evidenced records first when relevance is equal (no level counts as self-reported).
EVIDENCE_RANK = {"self-reported": 0, "documented": 1, "independently-evaluated": 2}
MAX_SNIPPETS = 2  # passages per hit besides the title: all a result card shows
MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10000


class SearchUnavailable(CasebookError):
    """The engine cannot be reached or opened; writes wait in the outbox, reads get a 503."""

    status_code = 503
    code = "search_unavailable"


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"


@dataclass
class Hit:
    kind: str
    tenant: str
    slug: str
    title: str
    country: str | None
    score: float
    highlights: dict[str, str]
    summary: str
    url: str
    block: str | None = None  # a block hit: its id within the case `slug`
    evidence_level: str | None = None
    status: str | None = None
    building_blocks: int = 0  # how many the record has (a plan from a record without any lacks adaptations)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    page: int = 1
    per_page: int = 20

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "page": self.page, "per_page": self.per_page,
                "hits": [h.as_dict() for h in self.hits], "facets": self.facets}


@dataclass(frozen=True)
class Clause:
    """One concept of the query: alternative phrases (synonyms), any of which may match.

    `fuzzy` is the edit distance allowed for single words; `prefix` marks the word being typed.
    """

    phrases: tuple[tuple[str, ...], ...]
    fuzzy: int = 0
    prefix: bool = False


@dataclass(frozen=True)
class EngineQuery:
    """What a backend runs: already validated, with the reader's access labels always present.

    A document matches when it carries one of `labels` and none of `hide` in its `hide` field: the
    published snapshot of a record is hidden from its owner, who finds the working copy instead.
    """

    text: str
    clauses: tuple[Clause, ...]
    labels: tuple[str, ...]
    filters: dict[str, tuple[str, ...]]
    offset: int
    limit: int
    sort: str
    hide: tuple[str, ...] = ()
    exclude: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet, values): documents with none of them


@dataclass
class EngineHit:
    doc: dict[str, Any]
    score: float


@dataclass
class EngineResult:
    total: int
    hits: list[EngineHit]
    facets: dict[str, dict[str, int]]


class SearchBackend(Protocol):
    name: str

    def upsert(self, docs: list[dict[str, Any]]) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def search(self, query: EngineQuery) -> EngineResult: ...

    def rebuild(self, docs: Iterable[dict[str, Any]]) -> None:
        """Replaces the whole index; searches keep answering from the old one until the swap."""

    def fingerprints(self) -> dict[str, str]:
        """id -> fingerprint of every indexed document, for drift checks."""

    def raw_search(self, text: str, limit: int = 20) -> int:
        """The engine's own simplest query (for the benchmark); returns the number of hits."""
