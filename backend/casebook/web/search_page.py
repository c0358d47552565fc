"""The library search page's state: parsed from the query string, validated by the search service's own
rules, and turned back into shareable URLs (one per chip, facet link and page)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import pycountry

from casebook.domain.access import Actor
from casebook.domain.errors import InvalidInput
from casebook.domain.numbers import parse_int
from casebook.domain.slugwords import slug_words
from casebook.domain.vocabulary import SDG_NAMES
from casebook.services import search as service
from casebook.services.search import (
    FACETS,
    MAX_RESULT_WINDOW,
    SNIPPET_FIELDS,
    SearchBackend,
    SearchQuery,
    SearchResult,
    facet_name,
    validate,
)

PER_PAGE = 20
DEFAULT_SORT = "evidence"  # the library leads with its documented cases, not with whatever was imported last
# Evidence and status right under the kind: with thousands of self-reported records, the first filters to reach for.
FIRST_FACETS = ("kind", "evidence_level", "status")
PAGE_FACETS = (*FIRST_FACETS, *(f for f in FACETS if f not in FIRST_FACETS))
SORT_LABELS = {"evidence": "Best evidence first", "relevance": "Relevance", "date": "Newest first"}
SNIPPET_LABELS = {"summary": "", "tags": "Tags", "challenges": "Challenges", "lessons": "Lessons",
                  "building_blocks": "Building blocks", "partners": "Partners"}
PLAIN = ("q", "page", "sort", "per_page")
KIND_LABELS = {"block": "Building block"}  # others: the word itself ("Case", "Lesson")
FACET_TITLES = {"kind": "Kind", "country": "Country", "region": "Region", "sector": "Sector",
                "sdg": "Sustainable Development Goal", "scenario": "Scenario", "human_security": "Human security",
                "scaling": "Scaling dimension", "status": "Status", "evidence_level": "Evidence level"}


def facet_label(facet: str, value: str) -> str:
    """What a person reads for a facet value: country names, SDG goal names, words instead of slugs."""
    if facet == "country":
        country = pycountry.countries.get(alpha_2=value)
        return getattr(country, "common_name", None) or country.name if country else value
    if facet == "sdg" and parse_int(value) in SDG_NAMES:
        return f"SDG {value} · {SDG_NAMES[int(value)]}"
    if facet == "region":
        return value
    if facet == "kind" and value in KIND_LABELS:
        return KIND_LABELS[value]
    text = slug_words(value)  # 'UN agency', 'post-conflict', as the plans write them
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    page: int = 1

    def pairs(self) -> list[tuple[str, str]]:
        out = [("q", self.q)] if self.q else []
        out += [(f, v) for f in FACETS for v in self.filters.get(f, ())]
        if self.sort != DEFAULT_SORT:
            out.append(("sort", self.sort))
        if self.page > 1:
            out.append(("page", str(self.page)))
        return out

    def url(self, path: str = "/", **changes: Any) -> str:
        pairs = replace(self, **changes).pairs()
        return f"{path}?{urlencode(pairs)}" if pairs else path

    def without(self, facet: str, value: str) -> str:
        kept = {f: tuple(v for v in vs if v != value or f != facet) for f, vs in self.filters.items()}
        return self.url(filters={f: vs for f, vs in kept.items() if vs}, page=1)

    def chips(self) -> list[dict[str, str]]:
        return [{"facet": FACET_TITLES[f], "label": facet_label(f, v), "url": self.without(f, v)}
                for f in FACETS for v in self.filters.get(f, ())]


def parse(params: Any) -> tuple[SearchState, list[str]]:
    """The valid part of the query string, and a message per invalid part (which is left out, not fatal)."""
    errors: list[str] = []
    raw: dict[str, list[str]] = {}
    for key, value in params.multi_items():
        if key not in PLAIN:
            raw.setdefault(key, []).extend(p for p in str(value).split(",") if p.strip())
    order = {f: i for i, f in enumerate(FACETS)}
    raw = dict(sorted(raw.items(), key=lambda kv: (order.get(facet_name(kv[0]), len(order)), kv[0])))
    page_text = params.get("page") or "1"
    page = parse_int(page_text, maximum=999999) or 0
    query = SearchQuery(q=params.get("q") or "", filters=raw, page=max(page, 1), per_page=PER_PAGE,
                        sort=params.get("sort") or DEFAULT_SORT)
    if page < 1:
        errors.append(f"page: {page_text[:20]!r} is not a page number; showing page 1")
    filters, problems = validate(query)
    bad = {p.field for p in problems}
    errors += [str(p) for p in problems]
    return SearchState(q=query.q if "q" not in bad else query.q[:1000],
                       filters={f: filters[f] for f in FACETS if f in filters},
                       sort=query.sort if "sort" not in bad else DEFAULT_SORT,
                       page=query.page if "page" not in bad else 1), errors


def _facet_groups(state: SearchState, result: SearchResult) -> list[dict[str, Any]]:
    """Every facet the service returns, with the chosen values listed even when they count nothing now."""
    groups = []
    for facet in PAGE_FACETS:
        counts = dict(result.facets.get(facet, {}))
        chosen = state.filters.get(facet, ())
        for value in chosen:
            counts.setdefault(value, 0)
        values = [{"value": v, "label": facet_label(facet, v), "count": n, "checked": v in chosen,
                   "id": f"f-{facet}-{''.join(c if c.isalnum() else '-' for c in v)}"}
                  for v, n in counts.items()]
        groups.append({"name": facet, "title": FACET_TITLES[facet], "values": values,
                       "open": bool(chosen)})
    return groups


def snippets(highlights: dict[str, str], most: int = 2) -> list[tuple[str, str]]:
    """Up to `most` highlighted passages (already escaped HTML with <mark>), the summary first."""
    found = [(SNIPPET_LABELS[f], highlights[f]) for f in SNIPPET_FIELDS if highlights.get(f)]
    return found[:most]


def _pages(state: SearchState, total: int) -> list[dict[str, Any]]:
    last = max(1, min(-(-total // PER_PAGE), MAX_RESULT_WINDOW // PER_PAGE))
    shown = sorted({1, last, *range(max(1, state.page - 2), min(last, state.page + 2) + 1)})
    return [{"number": n, "url": state.url(page=n), "current": n == state.page} for n in shown] if last > 1 else []


def _noun(state: SearchState, result: SearchResult) -> str:
    """What the results are called: cases, lessons, building blocks, or results when kinds are mixed."""
    kinds = {k for k, n in result.facets.get("kind", {}).items() if n} or set(state.filters.get("kind", ()))
    if len(kinds) > 1:
        return "result"
    return {"lesson": "lesson", "block": "building block"}.get(next(iter(kinds), "case"), "case")


async def run(actor: Actor, params: Any, backend: SearchBackend) -> dict[str, Any]:
    """Everything the page and its partial need; bad input becomes messages, never an exception."""
    state, errors = parse(params)
    try:
        result = await service.search(actor, SearchQuery(q=state.q, filters=dict(state.filters), page=state.page,
                                                         per_page=PER_PAGE, sort=state.sort), backend)
    except InvalidInput as exc:
        errors += [str(p) for p in exc.problems] or [exc.message]
        state = SearchState()
        result = await service.search(actor, SearchQuery(per_page=PER_PAGE, sort=DEFAULT_SORT), backend)
    pages = _pages(state, result.total)
    return {"state": state, "result": result, "errors": errors, "sorts": SORT_LABELS,
            "groups": _facet_groups(state, result), "chips": state.chips(), "pages": pages, "facet_label": facet_label,
            "snippets": {h.url: snippets(h.highlights) for h in result.hits}, "noun": _noun(state, result),
            "prev_url": state.url(page=state.page - 1) if state.page > 1 else None,
            "next_url": state.url(page=state.page + 1) if pages and state.page < pages[-1]["number"] else None}
