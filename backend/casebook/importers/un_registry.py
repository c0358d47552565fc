"""The UN Partnerships for SDGs registry (2018 copy, one JSON object per line) -> case documents.

Mapping: title; summary from the description (section headings turned into paragraphs, the trailing
"Partner(s)" list dropped); goals; partners with the registry's types mapped to ours (or guessed
from the name when the registry gives none); countries to ISO alpha-2; period years; status
completed when the end year has passed, else active; evidence self-reported; a source whose locator
is the registry id and whose url is the registry page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from casebook.domain.casefile import check_case
from casebook.domain.errors import Problem

TYPE_MAP = {
    "government": "government-national", "ngo": "civil-society", "private sector": "business-domestic",
    "partnership": "civil-society", "academic institution": "academia", "scientific community": "academia",
    "intergovernmental organization": "un-agency", "philanthropic organization": "donor",
    "civil society organization": "civil-society", "un system": "un-agency", "major group": "civil-society",
}
# When the registry gives no type: the first pattern that matches the partner's name wins.
NAME_RULES = (
    (r"\b(united nations|undp|unep|unicef|unesco|fao|who|unido|unfpa|un-habitat|unhcr|wfp|ilo|itu|iom|ifad|"
     r"world bank|un women|unops|unctad|wmo|imo|escap|ecla?c|uneca)\b", "un-agency"),
    (r"\b(university|universidad|université|institute|college|academy|school|research)\b", "academia"),
    (r"\b(ministry|government|republic|department|kingdom|municipal|city of|council|agency for|"
     r"state of|federal)\b", "government-national"),
    (r"\b(foundation|fund|trust|philanthrop)\b", "donor"),
    (r"\b(ltd|inc|plc|gmbh|s\.a\.|corporation|corp|company|co\.|group|bank|llc|ag)\b", "business-domestic"),
    (r"\b(church|mosque|faith|caritas|islamic|christian)\b", "faith-based"),
    (r"\b(media|news|radio|television|tv)\b", "media"),
)
COUNTRY_ALIASES = {"tanzania": "TZ", "bolivia": "BO", "venezuela": "VE", "iran": "IR", "russia": "RU",
                   "syria": "SY", "laos": "LA", "vietnam": "VN", "viet nam": "VN", "micronesia": "FM",
                   "moldova": "MD", "south korea": "KR", "north korea": "KP", "republic of korea": "KR",
                   "cote d'ivoire": "CI", "ivory coast": "CI", "cape verde": "CV", "swaziland": "SZ",
                   "macedonia": "MK", "the former yugoslav republic of macedonia": "MK", "palestine": "PS",
                   "state of palestine": "PS", "democratic republic of the congo": "CD", "congo": "CG",
                   "united kingdom": "GB", "czech republic": "CZ", "turkey": "TR", "holy see": "VA"}
HEADINGS = ("Description/achievement of initiative", "Implementation methodologies",
            "Arrangements for Capacity-Building and Technology Transfer",
            "Coordination mechanisms/governance structure")
YEAR = re.compile(r"(19\d\d|20\d\d)")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    key = name.strip().lower()
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        pass
    try:
        found = pycountry.countries.search_fuzzy(name.strip())
    except LookupError:
        return None
    return found[0].alpha_2 if len(found) == 1 else None


def partner_type(name: str, registry_type: str | None) -> str:
    if registry_type and registry_type.strip().lower() in TYPE_MAP:
        return TYPE_MAP[registry_type.strip().lower()]
    lowered = name.lower()
    for pattern, kind in NAME_RULES:
        if re.search(pattern, lowered):
            return kind
    return "civil-society"


def summary_of(description: str | None, title: str) -> str:
    text = (description or "").split("Partner(s)")[0]
    for heading in HEADINGS:
        text = text.replace(heading, "\n\n")
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in text.split("\n\n")]
    summary = "\n\n".join(p for p in paragraphs if p)
    return (summary or title)[:20000]


def year(value: Any) -> int | None:
    found = YEAR.search(str(value or ""))
    return int(found.group(1)) if found else None


def to_case(record: dict[str, Any], this_year: int) -> dict[str, Any]:
    rid = record["id"]
    title = re.sub(r"\s+", " ", str(record.get("title") or "")).strip()[:200]
    if len(title) < 3:
        title = f"UN registry partnership {rid}"
    codes = list(dict.fromkeys(c for c in (country_code(n) for n in record.get("countries") or []) if c))
    start, end = year(record.get("start")), year(record.get("end"))
    if start and end and end < start:
        end = None
    partners, seen = [], set()
    for p in record.get("partners") or []:
        name = re.sub(r"\s+", " ", str(p.get("name") or "")).strip(" -")[:200]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            partners.append({"name": name, "type": partner_type(name, p.get("type"))})
    case: dict[str, Any] = {
        "slug": f"un-{rid}-{_slugify(title)}"[:80].strip("-"),
        "title": title,
        "country": codes[0] if len(codes) == 1 else None,
        "period": {"start": start, "end": end},
        "status": "completed" if end and end < this_year else "active",
        "summary": summary_of(record.get("description"), title),
        "partners": partners,
        "sdgs": sorted({int(g) for g in record.get("sdgs") or [] if str(g).isdigit() and 1 <= int(g) <= 17}),
        "evidence_level": "self-reported",
        "sources": [{"title": f"UN Partnerships for SDGs registry, {record.get('hashtag') or f'#SDGAction{rid}'}",
                     "publisher": "United Nations", "year": 2018, "locator": f"registry id {rid}",
                     "url": (record.get("url") or None)}],
    }
    if len(codes) > 1:
        case["countries"] = codes
    return case


def read_records(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, exc


def convert(path: Path, this_year: int, progress: Any = None) -> tuple[list[tuple[str, dict]], list[Problem]]:
    """(documents, problems): every line is mapped and validated; any problem means nothing is written."""
    documents: list[tuple[str, dict]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, record in read_records(path):
        if progress:
            progress()
        where = f"{path.name}:{number}"
        if isinstance(record, Exception):
            problems.append(Problem(f"not valid JSON: {record.msg}", file=path.name, line=number))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("id"), int):
            problems.append(Problem("a record needs an integer `id`", file=path.name, line=number))
            continue
        case = to_case(record, this_year)
        for problem in check_case(case):
            problem.file, problem.line = path.name, number
            problems.append(problem)
        if case["slug"] in seen:
            problems.append(Problem(f"registry id {record['id']} repeats line {seen[case['slug']]}",
                                    field="id", file=path.name, line=number))
        seen[case["slug"]] = number
        documents.append((where, case))
    return documents, problems
