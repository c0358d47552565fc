"""The UN Partnerships for SDGs registry (2018 copy, one JSON object per line) -> case documents.

Read as the registry means its fields (checked against the 3,834 records of the 2018 copy):
- partners: a name ending in ":" ("Governments:", "Major Groups:", "UN System:") is a section heading of
  the registry's partner list, not a partner; the partners after it have the heading's type when it
  names one. A partner's own `type` (given for about 700 of 17,800 rows) wins; where neither says,
  the type is `unknown` (never a guess from the name).
- dates: a `start` of "- 2015-03-30" is the second half of a "from - to" range whose first half is
  empty: an end date (1,130 records), so the start is unknown.
- `resources` (financing, staff, in-kind) is kept as text; every record is `evidence_level: self-reported`.
- summary from the description (its section headings turned into paragraphs, the trailing
  "Partner(s)" list dropped); a source whose locator is the registry id and whose url is the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casebook.domain.numbers import parse_int
from casebook.domain.vocabulary import UNKNOWN_PARTNER_TYPE
from casebook.importers.pipeline import (
    Record,
    Registry,
    clean,
    country_code,
    partner_list,
    period,
    place,
    record_slug,
    status,
    year,
)

# The registry's partner types (its `type` field) -> ours; None: the registry's word names no type of ours.
TYPE_MAP: dict[str, str | None] = {
    "government": "government-national", "ngo": "civil-society", "private sector": "business-domestic",
    "academic institution": "academia", "scientific community": "academia",
    "intergovernmental organization": "un-agency", "philanthropic organization": "donor",
    "civil society organization": "civil-society", "un system": "un-agency",
    "partnership": None, "other relevant actor": None, "other": None,
}
# Section headings of the partner list -> the type of the partners under them (None: no type).
HEADING_TYPES: dict[str, str | None] = {
    "governments": "government-national", "government": "government-national", "countries": "government-national",
    "un system": "un-agency", "other intergovernmental organizations": "un-agency",
    "intergovernmental organizations": "un-agency", "intergovernmental organisations": "un-agency",
    "non-governmental organisations": "civil-society", "private sector": "business-domestic",
    "major groups and ngos": "civil-society",
}
NOT_PARTNERS = re.compile(r"^(open to (additional|new) partners|n/?a|none|tbd|-+)\.?$", re.I)
HEADINGS = ("Description/achievement of initiative", "Implementation methodologies",
            "Arrangements for Capacity-Building and Technology Transfer",
            "Coordination mechanisms/governance structure")


def registry_type(value: str | None) -> str | None:
    """Our type for the registry's word, or None when the registry gives none (or one we cannot map)."""
    return TYPE_MAP.get((value or "").strip().lower())


def partners_of(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Partners with headings read as headings: "Governments:" types the names after it."""
    section: str | None = None
    out: list[tuple[str, str]] = []
    for row in rows:
        *headings, name = str(row.get("name") or "").split(":")
        if not headings and clean(name, 200).lower() in HEADING_TYPES:  # a few lists drop the colon
            headings, name = [name], ""
        if headings:
            section = HEADING_TYPES.get(re.sub(r"\s+", " ", headings[-1]).strip().lower())
        name = clean(name, 200).strip(" -,;.")
        if not name or NOT_PARTNERS.match(name):
            continue
        out.append((name, registry_type(row.get("type")) or section or UNKNOWN_PARTNER_TYPE))
    return partner_list(out)


def dates(record: Record) -> tuple[int | None, int | None]:
    """(start year, end year) as the registry means them: a start of "- 2015-03-30" is an end date."""
    start_text = str(record.get("start") or "").strip()
    start, end = year(start_text), year(record.get("end"))
    if start_text.startswith("-"):
        start, end = None, end or start
    return start, end


def summary_of(description: str | None, title: str) -> str:
    text = (description or "").split("Partner(s)")[0]
    for heading in HEADINGS:
        text = text.replace(heading, "\n\n")
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in text.split("\n\n")]
    summary = "\n\n".join(p for p in paragraphs if p)
    return (summary or title)[:20000]


def to_case(record: Record, this_year: int) -> dict[str, Any]:
    rid = record["id"]
    title = clean(record.get("title"), 200)
    if len(title) < 3:
        title = f"UN registry partnership {rid}"
    start, end = dates(record)
    resources = clean(record.get("resources"), 5000)
    case: dict[str, Any] = {
        "slug": record_slug("un", rid, title),
        "title": title,
        **place([country_code(n) or "" for n in record.get("countries") or []]),
        "period": period(start, end),
        "status": status(end, this_year),
        "summary": summary_of(record.get("description"), title),
        "partners": partners_of(record.get("partners") or []),
        "sdgs": sorted({int(g) for g in record.get("sdgs") or [] if (parse_int(str(g)) or 0) in range(1, 18)}),
        "evidence_level": "self-reported",
        "sources": [{"title": f"UN Partnerships for SDGs registry, {record.get('hashtag') or f'#SDGAction{rid}'}",
                     "publisher": "United Nations", "year": 2018, "locator": f"registry id {rid}",
                     "url": (record.get("url") or None)}],
    }
    if resources:
        case["resources"] = resources
    return case


def read_records(path: Path) -> Iterator[tuple[int, Record | Exception]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, ValueError(f"not valid JSON: {exc.msg}")


def _check(record: Any) -> str | None:
    return None if isinstance(record, dict) and isinstance(record.get("id"), int) else "a record needs an integer `id`"


UN_REGISTRY = Registry("un-registry", read_records, to_case, _check, lambda r: f"registry id {r['id']}")
