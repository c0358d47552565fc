"""Choosing a case by typing: suggestions from the search index and resolving what was typed to one case.

Every picker (compare, the plan wizard, find comparable) offers the cases the actor may read through the
same access-filtered search, best evidence first, so no list is capped at the first hundred titles. The
plain-form fallback sends whatever was typed (a `tenant/slug`, a slug, a title or a few of its words);
`resolve` turns it into one case or says why it cannot: unknown, or which cases it could mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from casebook.domain.access import Actor
from casebook.domain.errors import InvalidInput, NotFound, Problem
from casebook.search.vocabulary import fold
from casebook.services import cases, search
from casebook.services.search import MAX_QUERY_CHARS, Hit, SearchBackend, SearchQuery

SUGGESTIONS = 8
CANDIDATES = 20  # looked at when resolving typed text
SHOWN_WHEN_AMBIGUOUS = 6


def _option(hit: Hit) -> dict[str, Any]:
    return {"ref": f"{hit.tenant}/{hit.slug}", "tenant": hit.tenant, "slug": hit.slug, "title": hit.title,
            "country": hit.country, "evidence_level": hit.evidence_level, "status": hit.status,
            "building_blocks": hit.building_blocks, "url": hit.url}


async def suggest(actor: Actor, text: str, backend: SearchBackend, limit: int = SUGGESTIONS) -> dict[str, Any]:
    """Cases matching the typed text (titles, countries, slugs...), best evidence first; `total` says how
    many match in all, so a picker can tell the reader to type more."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(Problem(f"must be {MAX_QUERY_CHARS} characters or fewer", field="q"))
    result = await search.search(actor, SearchQuery(q=text, filters={"kind": ["case"]}, per_page=limit,
                                                    sort="evidence"), backend)
    return {"total": result.total, "options": [_option(h) for h in result.hits]}


@dataclass
class Resolved:
    """One case (`ref`), or none with a message and the cases the text could mean."""

    ref: str | None = None
    title: str | None = None
    message: str | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


def _words(text: str) -> set[str]:
    return set(fold(text.replace("-", " ").replace("/", " ")))


async def resolve(actor: Actor, text: str, backend: SearchBackend) -> Resolved:
    """The case the text names: an exact `tenant/slug`, slug or title; else the only case whose title or slug
    holds every word typed; else the only search hit. Unknown or ambiguous text gets a message saying so."""
    typed = " ".join((text or "").split())
    if not typed:
        return Resolved(message="type a case's title, a few of its words or its slug")
    if typed.count("/") == 1 and " " not in typed:
        tenant, _, slug = typed.partition("/")
        try:
            found = await cases.get_case(actor, tenant, slug)
            return Resolved(ref=typed, title=found["case"]["title"])
        except NotFound:
            pass  # perhaps words with a slash: search for them
    try:
        listed = await suggest(actor, typed, backend, CANDIDATES)
    except InvalidInput:
        return Resolved(message=f"no case you may read matches “{typed[:80]}”")
    options = listed["options"]
    exact = [o for o in options if typed.casefold() in (o["slug"], o["ref"], o["title"].casefold())]
    words = _words(typed)
    whole = [o for o in options if words and words <= _words(o["title"]) | _words(o["slug"])]
    for chosen in (exact, whole, options if listed["total"] == 1 else []):
        if len(chosen) == 1:
            return Resolved(ref=chosen[0]["ref"], title=chosen[0]["title"])
    if not options:
        return Resolved(message=f"no case you may read matches “{typed[:80]}”; try other words or its slug")
    shown = (exact or whole or options)[:SHOWN_WHEN_AMBIGUOUS]
    count = len(exact or whole) if exact or whole else listed["total"]
    return Resolved(message=f"“{typed[:80]}” matches {count} cases: choose one, or type more of its title",
                    candidates=shown)
