"""The import pipeline every registry importer shares: read records, map each to a case, validate all.

An importer is a `Registry`: how to read its file (records with their line numbers) and how one record
becomes a case document. The pipeline numbers problems by file and line, refuses repeated slugs and
returns every problem at once, so a file with any problem writes nothing (the write itself is
`casebook.services.bulk_import`, one transaction). Also the small helpers mappings share: slugs,
country names and ISO codes, partner lists, years.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from casebook.domain.casefile import check_case
from casebook.domain.errors import Problem

Record = dict[str, Any]
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
COUNTRY_ALIASES = {"tanzania": "TZ", "bolivia": "BO", "venezuela": "VE", "iran": "IR", "russia": "RU",
                   "syria": "SY", "laos": "LA", "vietnam": "VN", "viet nam": "VN", "micronesia": "FM",
                   "moldova": "MD", "south korea": "KR", "north korea": "KP", "republic of korea": "KR",
                   "cote d'ivoire": "CI", "ivory coast": "CI", "cape verde": "CV", "swaziland": "SZ",
                   "macedonia": "MK", "the former yugoslav republic of macedonia": "MK", "palestine": "PS",
                   "state of palestine": "PS", "democratic republic of the congo": "CD", "congo": "CG",
                   "united kingdom": "GB", "czech republic": "CZ", "turkey": "TR", "holy see": "VA",
                   "zam": "ZM"}  # ZAM: Zambia's old code, still used by the UNDP South-South file


@dataclass(frozen=True)
class Registry:
    """One source format: `read(path)` yields (line, record or the error that line raised);
    `to_case(record, this_year)` maps a record; `key` names a record in problems."""

    name: str
    read: Callable[[Path], Iterator[tuple[int, Record | Exception]]]
    to_case: Callable[[Record, int], dict[str, Any]]
    check: Callable[[Record], str | None]  # why a record cannot be mapped at all, or None
    key: Callable[[Record], str]


def convert(registry: Registry, path: Path, this_year: int, progress: Callable[[], None] | None = None,
            ) -> tuple[list[tuple[str, dict[str, Any]]], list[Problem]]:
    """(documents, problems): every record is mapped and validated; any problem means nothing is written."""
    documents: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, record in registry.read(path):
        if progress:
            progress()
        if isinstance(record, Exception):
            problems.append(Problem(f"cannot be read: {record}", file=path.name, line=number))
            continue
        reason = registry.check(record)
        if reason:
            problems.append(Problem(reason, file=path.name, line=number))
            continue
        case = registry.to_case(record, this_year)
        for problem in check_case(case):
            problem.file, problem.line = path.name, number
            problems.append(problem)
        if case["slug"] in seen:
            problems.append(Problem(f"{registry.key(record)} repeats line {seen[case['slug']]}",
                                    field="id", file=path.name, line=number))
        seen[case["slug"]] = number
        documents.append((f"{path.name}:{number}", case))
    return documents, problems


def count_records(registry: Registry, path: Path) -> int:
    return sum(1 for _ in registry.read(path))


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def record_slug(prefix: str, key: Any, title: str) -> str:
    return f"{prefix}-{key}-{slugify(title)}"[:80].strip("-")


def clean(text: Any, limit: int) -> str:
    """One line of text: whitespace collapsed, cut to `limit` characters."""
    return re.sub(r"\s+", " ", str(text or "")).strip()[:limit]


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO alpha-2 of a country name, alpha-2 or alpha-3 code; None when it is not one country."""
    key = name.strip().lower()
    if not key:
        return None
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        pass
    if len(key) <= 3:
        return None
    try:
        found = pycountry.countries.search_fuzzy(name.strip())
    except LookupError:
        return None
    return found[0].alpha_2 if len(found) == 1 else None


def place(codes: list[str]) -> dict[str, Any]:
    """`country` (one main country, or None for several) and `countries` (when several)."""
    codes = list(dict.fromkeys(c for c in codes if c))
    out: dict[str, Any] = {"country": codes[0] if len(codes) == 1 else None}
    if len(codes) > 1:
        out["countries"] = codes
    return out


def year(value: Any) -> int | None:
    found = YEAR.search(str(value or ""))
    return int(found.group(1)) if found else None


def period(start: int | None, end: int | None) -> dict[str, int | None]:
    return {"start": start, "end": end if not (start and end and end < start) else None}


def status(end: int | None, this_year: int) -> str:
    return "completed" if end and end < this_year else "active"


def partner_list(partners: list[tuple[str, str]]) -> list[dict[str, str]]:
    """(name, type) pairs as case partners: names cleaned, the first of each name (any case) kept."""
    out, seen = [], set()
    for name, kind in partners:
        name = clean(name, 200).strip(" -,;.")
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append({"name": name, "type": kind})
    return out
