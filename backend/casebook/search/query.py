"""Validates a SearchQuery and turns its text into clauses: words, synonym alternatives, typo budget."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from casebook.domain.errors import InvalidInput, Problem
from casebook.domain.numbers import parse_int
from casebook.domain.vocabulary import EVIDENCE_LEVELS, HUMAN_SECURITY, SCALING_DIMENSIONS, STATUSES
from casebook.search.interface import (
    FACETS,
    KINDS,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_RESULT_WINDOW,
    MAX_TERMS,
    SORTS,
    Clause,
    SearchQuery,
)
from casebook.search.regions import REGION_NAMES
from casebook.search.vocabulary import fold, synonym_index

ALIASES = {"kinds": "kind", "human-security": "human_security", "evidence": "evidence_level",
           "evidence-level": "evidence_level", "sdgs": "sdg", "sectors": "sector", "scenarios": "scenario",
           "countries": "country"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_PHRASE = 6
CLOSED = {"kind": KINDS, "status": STATUSES, "evidence_level": EVIDENCE_LEVELS, "human_security": HUMAN_SECURITY,
          "scaling": SCALING_DIMENSIONS}


def typo_budget(word: str) -> int:
    """Edits allowed for a word: none under 5 letters, one from 5, two from 9."""
    return 0 if len(word) < 5 else 1 if len(word) < 9 else 2


def facet_name(name: str) -> str:
    return ALIASES.get(name, name)


def _value(facet: str, raw: str) -> str | None:
    """The canonical form of a filter value, or None when it is not a valid value of the facet."""
    value = raw.strip()
    if facet == "country":
        code = value.upper()
        return code if len(code) == 2 and pycountry.countries.get(alpha_2=code) else None
    if facet == "region":
        return next((r for r in REGION_NAMES if r.lower() == value.lower()), None)
    if facet == "sdg":
        goal = value.split(".")[0]
        return goal if (parse_int(goal) or 0) in range(1, 18) else None
    if facet in CLOSED:
        return value if value in CLOSED[facet] else None
    return value if SLUG.match(value) and len(value) <= 80 else None


def _expected(facet: str) -> str:
    if facet == "country":
        return "an ISO 3166-1 alpha-2 country code"
    if facet == "region":
        return "a UN M49 region, such as 'Southern Europe' or 'Africa'"
    if facet == "sdg":
        return "a goal number from 1 to 17"
    if facet in CLOSED:
        return f"one of {', '.join(CLOSED[facet])}"
    return "a slug (lowercase letters, digits and hyphens)"


def validate(query: SearchQuery) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    problems: list[Problem] = []
    filters: dict[str, tuple[str, ...]] = {}
    for raw_name, values in (query.filters or {}).items():
        name = facet_name(raw_name)
        if name not in FACETS:
            problems.append(Problem(f"is not a filter; use one of {', '.join(FACETS)}", field=raw_name))
            continue
        clean = []
        for raw in values if isinstance(values, list | tuple) else [values]:
            value = _value(name, str(raw)) if str(raw).strip() else None
            if value is None:
                problems.append(Problem(f"{str(raw)[:40]!r} is not {_expected(name)}", field=raw_name))
            else:
                clean.append(value)
        if clean:
            filters[name] = tuple(dict.fromkeys([*filters.get(name, ()), *clean]))
    if len(query.q or "") > MAX_QUERY_CHARS:
        problems.append(Problem(f"must be {MAX_QUERY_CHARS} characters or fewer", field="q"))
    if query.sort not in SORTS:
        problems.append(Problem(f"must be one of {', '.join(SORTS)}", field="sort"))
    if not 1 <= query.per_page <= MAX_PER_PAGE:
        problems.append(Problem(f"must be from 1 to {MAX_PER_PAGE}", field="per_page"))
    if query.page < 1 or query.page * query.per_page > MAX_RESULT_WINDOW:
        problems.append(Problem(f"must be 1 or more, and page x per_page at most {MAX_RESULT_WINDOW}",
                                field="page"))
    return filters, problems


@lru_cache(maxsize=1024)
def clauses(text: str) -> tuple[Clause, ...]:
    """Words of the query, with multi-word synonyms matched greedily (longest first). Cached: typing,
    paging and ticking facets repeat the same text.

    The last word is a prefix (search-as-you-type) unless the text ends with a space.
    """
    words = fold(text or "")[:MAX_TERMS]
    index = synonym_index()
    out: list[Clause] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            span = tuple(words[i:i + n])
            if span in index or n == 1:
                alternatives = sorted(tuple(p.split()) for p in index.get(span, ()) if tuple(p.split()) != span)
                out.append(Clause(phrases=(span, *alternatives)))
                i += n
                break
    if out and len(out[-1].phrases[0]) == 1 and text and not text[-1].isspace():
        last = out[-1]
        out[-1] = Clause(phrases=last.phrases, prefix=True)
    return tuple(out)


def check(query: SearchQuery) -> tuple[tuple[Clause, ...], dict[str, tuple[str, ...]]]:
    filters, problems = validate(query)
    if problems:
        raise InvalidInput(problems)
    return clauses(query.q), filters
